"""Export of a whole result set (every page, up to a cap) as CSV or JSON."""
from __future__ import annotations

import csv
import io
from datetime import date

from web.state import SearchState
from web.views import engine

COLUMNS = ("id", "title", "date", "source", "url", "category", "provinces", "provinces_new", "terms",
           "resolutions", "score")
LIST_SEPARATOR = "; "


def export_rows(state: SearchState, limit: int) -> dict:
    """Every hit of a search (no snippets, no facets), at most ``limit``, with the total."""
    result = engine().export(state.query, state.facade_filters(), state.sort, limit)
    return {
        "query": state.query,
        "filters": state.facade_filters(),
        "sort": state.sort,
        "total": result["total"],
        "exported": len(result["hits"]),
        "truncated": result["total"] > len(result["hits"]),
        "hits": result["hits"],
    }


def to_csv(export: dict) -> str:
    """CSV text with a byte-order mark so Excel reads Vietnamese as UTF-8.

    >>> to_csv({"hits": [{"id": "a", "title": "Đảng", "provinces": ["Long An", "An Giang"]}]}).splitlines()
    ['\\ufeffid,title,date,source,url,category,provinces,provinces_new,terms,resolutions,score', 'a,Đảng,,,,,Long An; An Giang,,,,']
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for hit in export["hits"]:
        row = []
        for col in COLUMNS:
            value = hit.get(col)
            row.append(LIST_SEPARATOR.join(value) if isinstance(value, list) else ("" if value is None else value))
        writer.writerow(row)
    return out.getvalue()


def filename(extension: str) -> str:
    """A dated download name."""
    return f"vnsearch-{date.today().isoformat()}.{extension}"
