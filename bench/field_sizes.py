"""Bytes per field of an existing index: postings, term dictionary, stored values, columns.

Reads every segment of the index as Whoosh's W3 codec wrote it:

* postings: the extent of each term's posting list in the ``.pst`` file, summed per field;
* term dictionary: each ``.trm`` record (8 length bytes, the field-prefixed key, the
  term info) summed per field, plus the file's hash tables and key index shared out by
  the field's number of terms (every term costs its two hash slots and an index entry);
* stored: the ``_stored`` column holds one zlib-compressed pickle of each document's
  stored values, so a field's share is estimated on a sample of documents as what the
  compressed record shrinks by without that field (the shares are scaled to the column's
  size on disk);
* columns: the per-field length bytes (``_<field>_len``), sortable values and vectors.

What is not a field's (segment headers, the table of contents, deletions) is printed as
"other".  Figures are bytes on disk, summed over segments.

    .venv/bin/python bench/field_sizes.py INDEX_DIR [--sample 2000]
"""
from __future__ import annotations

import argparse
import pickle
import re
import sys
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402
from whoosh.codec.whoosh3 import W3TermInfo  # noqa: E402
from whoosh.filedb.filetables import _lengths as _RECORD  # noqa: E402

from index.schema import INDEX_NAME  # noqa: E402

PARTS = ("postings", "terms", "stored", "columns")
COUNTS = ("n_terms", "n_once")  # terms, and terms found in one document only (per segment)
_COLUMN_RE = re.compile(r"\.(?P<col>.+)\.col$")


def _column_field(col: str) -> str:
    """The field a column belongs to: ``_body_len`` → body, ``_title_vec`` → title."""
    m = re.fullmatch(r"_(.+)_(len|vec|vecL)", col)
    return m.group(1) if m else col


def _stored_shares(reader, sample: int) -> dict[str, float]:
    """Each stored field's share of the compressed stored records, on ``sample`` documents."""
    n = reader.doc_count_all()
    step = max(1, n // sample)
    cost: dict[str, float] = defaultdict(float)
    for docnum in range(0, n, step):
        if reader.is_deleted(docnum):
            continue
        fields = reader.stored_fields(docnum)
        whole = len(zlib.compress(pickle.dumps(fields, 2), 3))
        for name in fields:
            rest = {k: v for k, v in fields.items() if k != name}
            cost[name] += max(whole - len(zlib.compress(pickle.dumps(rest, 2), 3)), 0)
    total = sum(cost.values()) or 1.0
    return {name: c / total for name, c in cost.items()}


def segment_sizes(ix, segment, leaf, sizes: dict, sample: int) -> int:
    """Add one segment's bytes per field and part to ``sizes`` (``leaf``: its reader);
    return its bytes on disk."""
    storage = ix.storage
    files_storage = segment.open_compound_file(storage) if segment.is_compound() else storage
    prefix = segment.make_filename("")
    files = {name: files_storage.file_length(name) for name in files_storage.list() if name.startswith(prefix)}
    on_disk = (storage.file_length(segment.make_filename(segment.COMPOUND_EXT)) if segment.is_compound()
               else sum(files.values()))

    codec = segment.codec()
    terms = codec.terms_reader(files_storage, segment)
    unmap = {num: name for name, num in terms._fieldmap.items()}
    records, count = defaultdict(int), defaultdict(int)
    for key, value in terms._tindex.items():
        name = unmap[int.from_bytes(key[:2], "big")]
        records[name] += _RECORD.size + len(key) + len(value)
        count[name] += 1
        info = W3TermInfo.from_bytes(value)
        sizes[name]["n_terms"] += 1
        sizes[name]["n_once"] += info.doc_frequency() == 1
        if info._offset is not None:  # W3TermInfo.from_bytes leaves the length in a 1-tuple
            length = info._length
            sizes[name]["postings"] += length[0] if isinstance(length, tuple) else length
    terms.close()
    trm = files.pop(segment.make_filename(codec.TERMS_EXT), 0)
    shared = trm - sum(records.values())
    n_terms = sum(count.values()) or 1
    for name in records:
        sizes[name]["terms"] += records[name] + shared * count[name] / n_terms
    files.pop(segment.make_filename(codec.POSTS_EXT), 0)

    stored = files.pop(codec.column_filename(segment, "_stored"), 0)
    for name, share in _stored_shares(leaf, sample).items():
        sizes[name]["stored"] += stored * share
    for filename in list(files):
        m = _COLUMN_RE.search(filename[len(prefix):] if filename.startswith(prefix) else filename)
        if m:
            sizes[_column_field(m.group("col"))]["columns"] += files.pop(filename)
    sizes["(other)"]["columns"] += sum(files.values())
    return on_disk


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index")
    ap.add_argument("--sample", type=int, default=2000, help="documents per segment for the stored shares")
    args = ap.parse_args()
    folder = Path(args.index)
    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    sizes: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(PARTS + COUNTS, 0.0))
    segments = ix._segments()
    with ix.reader() as reader:
        leaves = {leaf.segment().segid: leaf for leaf, _ in reader.leaf_readers()}
        for segment in segments:
            segment_sizes(ix, segment, leaves[segment.segid], sizes, args.sample)
        docs = reader.doc_count()
    ix.close()
    folder_bytes = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    counted = sum(sum(parts[p] for p in PARTS) for parts in sizes.values())
    sizes["(other)"]["columns"] += folder_bytes - counted
    print(f"{folder}: {docs} documents, {len(segments)} segments, {folder_bytes / 1e6:.1f} MB on disk")
    print(f"{'field':18}" + "".join(f"{p + ' MB':>13}" for p in PARTS) + f"{'total MB':>10}{'share':>7}"
          f"{'terms':>11}{'in 1 doc':>9}")
    order = sorted(sizes, key=lambda name: -sum(sizes[name][p] for p in PARTS))
    for name in order:
        total = sum(sizes[name][p] for p in PARTS)
        terms = sizes[name]["n_terms"]
        print(f"{name:18}" + "".join(f"{sizes[name][p] / 1e6:13.2f}" for p in PARTS)
              + f"{total / 1e6:10.2f}{total / folder_bytes:7.1%}{int(terms):11d}"
              + f"{sizes[name]['n_once'] / max(terms, 1):9.0%}")
    print(f"{'all':18}" + "".join(f"{sum(s[p] for s in sizes.values()) / 1e6:13.2f}" for p in PARTS)
          + f"{folder_bytes / 1e6:10.2f}{1:7.1%}{int(sum(s['n_terms'] for s in sizes.values())):11d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
