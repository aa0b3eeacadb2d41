"""The rows of an export, read lean: an export's cost is its per-row path.

Profiled on the 12,786-article VNTC index (``bench/export_speed.py``), an export's time
was almost all in reading stored fields: per row, one lock round trip, Whoosh's
multi-segment lookup, its schema check of every field, then zlib and pickle of the whole
stored record (the body is most of it; Whoosh stores a record as one blob, so that part
cannot be skipped without a schema change).  Here the lock is held once per chunk, each
segment is read directly, and a chunk's records (bodies and all) are dropped once its rows
are built, so a large export never holds thousands of bodies.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Callable

CHUNK = 200  # rows per hold of the generation's lock: searches on other threads run between chunks


def export_hits(st, ranked: list[tuple[int, float | None]], loaded: dict[int, dict],
                public: Callable[[dict], dict]) -> list[dict]:
    """``public(fields)`` plus ``score`` for each ``(docnum, score)`` of ``ranked``, in order.

    ``loaded`` holds stored fields the ranking has read already (the reranked leads).
    """
    reader = st.searcher.raw.reader()
    leaves = list(reader.leaf_readers())  # [(segment reader, first docnum)]
    starts = [offset for _, offset in leaves]
    hits = []
    for begin in range(0, len(ranked), CHUNK):
        chunk = ranked[begin:begin + CHUNK]
        with st.lock:
            records = []
            for docnum, _ in chunk:
                fields = loaded.get(docnum)
                if fields is None:
                    segment, offset = leaves[bisect_right(starts, docnum) - 1]
                    fields = segment.stored_fields(docnum - offset)
                records.append(fields)
        for fields, (_, score) in zip(records, chunk):
            hit = public(fields)
            hit["score"] = round(score, 4) if score is not None else None
            hits.append(hit)
    return hits
