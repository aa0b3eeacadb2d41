"""Writing documents into the Whoosh index: extraction, analysis, replacement by id, locking.

Documents are analysed and written into new segments (``index/segment_builder.py``): for
large sources by worker processes, each writing segments of its own
(``index/segment_workers.py``); this process holds the write lock, deletes the documents
being replaced and commits the new segments in one step.  Field lengths and their totals
are written per segment, exactly, as Whoosh does.
"""
from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import MERGE_SMALL

from index.analysis import SegmentedText
from index.extract import equivalent_resolutions, extract_article
from index.facet_values import keyword_list, keyword_value
from index.large_text import segmented
from index.lifecycle import DiskFullError, IndexBusyError, IndexRun, abandon
from index.progress import MERGING, WRITING, Progress, count_documents
from index.schema import INDEX_NAME, build_schema, check_manifest, read_manifest, write_manifest
from index.segment_builder import SegmentBuilder
from index.segment_workers import SegmentWorkers
from index.sources import BadRecord, RawDocument, SourceNotFoundError, check_sources, iter_sources, without_duplicates

BATCH = 64  # documents sent to a worker at once
PARALLEL_FROM = 4 * BATCH  # below this many documents, workers cost more than they save


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: int = 0
    replaced: int = 0
    skipped: list[BadRecord] = field(default_factory=list)
    cleaned: list[Path] = field(default_factory=list)  # leftovers of killed runs, removed
    chars: int = 0
    seconds: float = 0.0
    total: int = 0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase, in order


def prepare_document(raw: RawDocument) -> dict:
    """Extract the article's fields and segment its title and body, ready for the writer."""
    given = raw.given
    info = extract_article(raw.text, given)
    title = info.get("title") or ""
    # The sapo (lead paragraph) of a news record is part of what readers see and search.
    body = "\n\n".join(x for x in (given.get("sapo", "").strip(), info.get("body") or "") if x)
    date = info.get("date") or ""
    # The article's terms tell which plenum a reused code (04-NQ/TW) belongs to.
    terms = info.get("terms") or None
    names = sorted({n for r in info.get("resolutions", []) for n in equivalent_resolutions(r, terms)})
    return {
        "id": raw.id,
        "title": SegmentedText.of(title),
        "body": segmented(body),  # in pieces when long: bounded memory
        "date": date,
        "year": date[:4] if date else "",
        "source": info.get("source") or "",
        "url": raw.given.get("url", ""),
        "category": raw.given.get("category", ""),
        "resolutions": info.get("resolutions", []),
        "cited_resolutions": info.get("cited", []),
        "terms": info.get("terms", []),
        "provinces": info.get("provinces", []),
        "provinces_new": info.get("provinces_new", []),
        "resolution_names": "\n".join(names),
        "chars": len(raw.text),
    }


def prepare_batch(raws: list[RawDocument]) -> list[dict | BadRecord]:
    """Prepare several documents; one that breaks extraction is reported, not fatal."""
    out: list[dict | BadRecord] = []
    for raw in raws:
        try:
            out.append(prepare_document(raw))
        except Exception as exc:  # noqa: BLE001 — a bad document must not stop the others
            out.append(BadRecord(raw.origin, f"could not be analysed ({type(exc).__name__}: {exc})"))
    return out


def _whoosh_fields(doc: dict) -> dict:
    """The keyword arguments of ``add_document`` for a prepared document."""
    fields = {k: v for k, v in doc.items() if k != "chars"}
    fields["title_s"] = fields["title_fb"] = doc["title"]
    fields["body_s"] = fields["body_fb"] = doc["body"]
    fields["_stored_title"] = str(doc["title"])
    fields["_stored_body"] = str(doc["body"])
    fields["length"] = len(doc["body"])
    for name in ("resolutions", "cited_resolutions", "terms", "provinces", "provinces_new"):
        fields[name] = keyword_list(doc[name])
    fields["source"] = keyword_value(doc["source"])
    return {k: v for k, v in fields.items() if v != "" or k in ("title", "body")}


def _batched(items, n):
    it = iter(items)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def open_or_create(index_dir: Path):
    """Open the index at ``index_dir`` (checking its manifest), creating it when absent."""
    index_dir = Path(index_dir)
    if index_dir.exists() and whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME):
        check_manifest(index_dir)
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)
    write_manifest(index_dir, documents=0)
    return ix


def validate_sources(sources) -> tuple[int, list[BadRecord]]:
    """Read every source without writing: the count of good records and the bad ones."""
    good, bad = 0, []
    for item in without_duplicates(iter_sources(sources)):
        if isinstance(item, BadRecord):
            bad.append(item)
        else:
            good += 1
    return good, bad


def index_documents(
    sources,
    index_dir: Path,
    *,
    rebuild: bool = False,
    workers: int | None = None,
    lock_timeout: float = 10.0,
    on_skip: Callable[[BadRecord], None] | None = None,
    progress: bool | None = None,
) -> IndexReport:
    """Index every document of ``sources`` into ``index_dir`` and commit once at the end.

    A document whose id is already in the index replaces it.  Bad records are reported
    through ``on_skip`` and skipped.  Nothing is committed if the run fails, so the previous
    index stays as it was; with ``rebuild`` the new index is built aside and swapped in.
    The run's lock, leftovers and failure clean-up are ``index/lifecycle.py``'s.
    """
    index_dir = Path(index_dir)
    check_sources(sources)
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    report = IndexReport()
    start = time.perf_counter()

    def skip(bad: BadRecord):
        report.skipped.append(bad)
        if on_skip:
            on_skip(bad)

    def good_records():
        for item in without_duplicates(iter_sources(sources)):
            if isinstance(item, BadRecord):
                skip(item)
            else:
                yield item

    with IndexRun(index_dir, rebuild=rebuild, lock_timeout=lock_timeout) as run:
        target, report.cleaned = run.target, run.cleaned
        ix = open_or_create(target)
        try:
            writer = ix.writer(timeout=lock_timeout)
        except LockError:
            raise IndexBusyError(
                f"another process is writing to the index {index_dir} (waited {lock_timeout:g} s); "
                "try again when it has finished"
            ) from None
        show = Progress(count_documents(sources) if progress is not False else None,
                        enabled=progress is not False, quiet_below=PARALLEL_FROM)
        try:
            segments = _write_segments(ix, writer, good_records(), workers, report, skip, show)
            show.phase(MERGING)
            # Small old segments are merged as Whoosh would; the new ones are added as written.
            writer.commit(mergetype=lambda w, old: MERGE_SMALL(w, old) + segments)
        except BaseException:
            abandon(writer)
            raise
        finally:
            show.close()
            report.phases = dict(show.seconds)
        run.committed()
        report.total = ix.doc_count()
        write_manifest(target, documents=report.total)
        ix.close()
    report.seconds = time.perf_counter() - start
    return report


def _write_segments(ix, writer, raws, workers: int, report: IndexReport, skip, show: Progress) -> list:
    """Analyse and write every document into new segments; delete the ones they replace.

    Returns the finished segments, not yet part of the index (the caller commits them).
    """
    committed = writer.reader() if ix.doc_count_all() > 0 else None

    def written(ids, bad, chars):
        for b in bad:
            skip(b)
        for doc_id in ids:
            if committed is not None and ("id", doc_id) in committed:
                report.replaced += 1
                writer.delete_by_term("id", doc_id)
            else:
                report.added += 1
        report.chars += chars
        show.update(len(ids) + len(bad))

    raws = iter(raws)
    head = list(itertools.islice(raws, PARALLEL_FROM))
    if len(head) < PARALLEL_FROM or workers <= 1:
        builder = None
        try:
            for batch in _batched(itertools.chain(head, raws), BATCH):
                ids, bad, chars = [], [], 0
                for doc in prepare_batch(batch):
                    if isinstance(doc, BadRecord):
                        bad.append(doc)
                        continue
                    builder = builder or SegmentBuilder(ix.storage, ix.indexname, ix.schema)
                    builder.add_document(**_whoosh_fields(doc))
                    ids.append(doc["id"])
                    chars += doc["chars"]
                written(ids, bad, chars)
            show.phase(WRITING)
            return [builder.finish()] if builder else []
        except BaseException:
            if builder:
                builder.cancel()
            raise
    pool = SegmentWorkers(ix.storage.folder, ix.indexname, ix.schema, workers, prepare_batch, _whoosh_fields)
    try:
        return pool.run(_batched(itertools.chain(head, raws), BATCH), written, lambda: show.phase(WRITING))
    finally:
        pool.close()


def index_stats(index_dir: Path) -> dict:
    """Document count, size on disk, manifest and facet value counts of an index."""
    index_dir = Path(index_dir)
    meta = check_manifest(index_dir)
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as s:
        facets = {}
        for name in ("resolutions", "terms", "provinces", "provinces_new", "year", "source"):
            facets[name] = sum(1 for _ in s.reader().lexicon(name))
        out = {
            "index": str(index_dir),
            "documents": s.doc_count(),
            "segments": len(ix._segments()),
            "size_bytes": sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file()),
            "analyzer": meta.get("analyzer"),
            "format": meta.get("format"),
            "facet_values": facets,
        }
    ix.close()
    return out


__all__ = ["index_documents", "index_stats", "validate_sources", "DiskFullError", "IndexBusyError", "IndexReport",
           "SourceNotFoundError", "read_manifest"]
