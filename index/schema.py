"""The Whoosh schema and the versioned manifest (``meta.json``) beside the index files."""
from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from index.analysis import (
    ANALYZER_VERSION,
    folded_bigram_analyzer,
    syllable_analyzer,
    word_analyzer,
)

FORMAT_VERSION = 3  # 2: cited_resolutions; 3: no folded syllable fields (derived from title_s, body_s), an id column
META_FILE = "meta.json"
INDEX_NAME = "vnsearch"

# Facet fields hold canonical values such as "Nghị quyết Trung ương 4 khóa XII"; values
# never contain commas, so a comma-separated keyword field stores lists as they are.
FACET_FIELDS = ("resolutions", "terms", "provinces", "provinces_new", "year", "source")


def _facet():
    return KEYWORD(stored=True, commas=True, lowercase=False, scorable=False)


def build_schema() -> Schema:
    """Fields: title and body as pyvi words, syllables and folded syllable pairs (bigrams).

    Folded syllables are not a field: their postings are the syllables' that fold to them
    (``search.scoring.FOLDED_FROM``), so writing them cost 9% of the index and of its time.

    No field stores positions: phrases and adjacency are matched through the bigram fields
    (see ``search/scoring.py``), which costs less to write and nothing to read.
    """
    return Schema(
        # The id column lets the accent reader pick its sample by id (search/reading.py).
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=word_analyzer(), stored=True, phrase=False),
        title_s=TEXT(analyzer=syllable_analyzer(), phrase=False),
        title_fb=TEXT(analyzer=folded_bigram_analyzer(), phrase=False),
        body=TEXT(analyzer=word_analyzer(), stored=True, phrase=False),
        body_s=TEXT(analyzer=syllable_analyzer(), phrase=False),
        body_fb=TEXT(analyzer=folded_bigram_analyzer(), phrase=False),
        # Lowercased resolution names and their twins ("Nghị quyết 04-NQ/TW"), so a search
        # for either name finds the article.
        resolution_names=TEXT(analyzer=word_analyzer(), phrase=False),
        date=ID(stored=True, sortable=True),
        url=STORED(),
        category=ID(stored=True),
        length=STORED(),  # characters of the body; shown, never searched (an indexed number cost 0.8%)
        resolutions=_facet(),
        # The plenum resolutions among them that the text writes by name, not only as a
        # plenum ("Hội nghị Trung ương 5 bế mạc"): a search for one ranks these first.
        cited_resolutions=KEYWORD(commas=True, lowercase=False, scorable=False),
        terms=_facet(),
        provinces=_facet(),
        provinces_new=_facet(),
        year=_facet(),
        source=_facet(),
    )


class IndexVersionError(Exception):
    """The index on disk was built by another analyzer or format version."""


def manifest() -> dict:
    """What this code writes into ``meta.json``."""
    return {"format": FORMAT_VERSION, "analyzer": ANALYZER_VERSION, "index_name": INDEX_NAME}


def write_manifest(index_dir: Path, **extra) -> None:
    """Write ``meta.json`` atomically (UTF-8, readable)."""
    data = manifest() | extra
    tmp = index_dir / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, index_dir / META_FILE)


def read_manifest(index_dir: Path) -> dict | None:
    """The manifest of an index folder, or None when there is none."""
    path = Path(index_dir) / META_FILE
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexVersionError(f"{path} is unreadable ({exc}); rebuild the index with `vnsearch index`") from exc


def check_manifest(index_dir: Path) -> dict:
    """Refuse an index built by another version, with the command that fixes it."""
    data = read_manifest(index_dir)
    if data is None:
        raise IndexVersionError(
            f"{index_dir} has no {META_FILE}: it was not built by vnsearch; "
            f"rebuild it with `vnsearch index --rebuild --index {index_dir}`"
        )
    wanted = manifest()
    if data.get("format") != wanted["format"] or data.get("analyzer") != wanted["analyzer"]:
        raise IndexVersionError(
            f"{index_dir} was built with analyzer {data.get('analyzer')!r} (format {data.get('format')}), "
            f"this vnsearch uses {wanted['analyzer']!r} (format {wanted['format']}); "
            f"rebuild it with `vnsearch index --rebuild --index {index_dir} SOURCE...`"
        )
    return data
