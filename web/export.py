"""Export of a whole result set (every page, up to a cap) as CSV or JSON."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

from index.normalize import fold_diacritics

from web.formatting import vn_number
from web.state import SearchState
from web.views import engine

COLUMNS = ("id", "title", "date", "source", "url", "category", "provinces", "provinces_new", "terms",
           "resolutions", "score")
LIST_SEPARATOR = "; "
MAX_SLUG = 60  # characters of the query kept in a download's file name
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOTICE_MARK = "# "  # the last line of a capped CSV: a comment to scripts, a sentence to people


def export_rows(state: SearchState, limit: int) -> dict:
    """The first ``limit`` hits of a search in rank order (no snippets, no facets), the total,
    and, when that is not all of them, a Vietnamese ``notice`` saying so."""
    result = engine().export(state.query, state.facade_filters(), state.sort, limit, **state.facade_dates())
    exported, total = len(result["hits"]), result["total"]
    return {
        "query": state.query,
        "filters": state.facade_filters(),
        **state.facade_dates(),
        "sort": state.sort,
        "total": total,
        "exported": exported,
        "limit": limit,
        "truncated": total > exported,
        "notice": capped_notice(exported, total) if total > exported else None,
        "hits": result["hits"],
    }


def capped_notice(exported: int, total: int) -> str:
    """What a user must know about a capped export: it is not every result.

    >>> capped_notice(2000, 12786)
    'Tệp chỉ có 2.000 kết quả đầu tiên (theo thứ tự trên trang) trong tổng số 12.786 kết quả. Hãy thu hẹp tìm kiếm (thêm từ, bộ lọc, khoảng thời gian) để tải phần còn lại.'
    """
    return (f"Tệp chỉ có {vn_number(exported)} kết quả đầu tiên (theo thứ tự trên trang) trong tổng số "
            f"{vn_number(total)} kết quả. Hãy thu hẹp tìm kiếm (thêm từ, bộ lọc, khoảng thời gian) "
            "để tải phần còn lại.")


def inert_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection).

    A title or source from a crawled page may start with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return; Excel and LibreOffice would evaluate it.  A leading
    apostrophe makes it text and is not shown.

    >>> inert_cell("=1+1"), inert_cell("-1"), inert_cell("Đảng")
    ("'=1+1", "'-1", 'Đảng')
    """
    return "'" + text if text[:1] in FORMULA_STARTS else text


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
            value = LIST_SEPARATOR.join(value) if isinstance(value, list) else ("" if value is None else value)
            row.append(inert_cell(value) if isinstance(value, str) else value)
        writer.writerow(row)
    if export.get("notice"):
        # A spreadsheet user sees the end of the rows: say there that they are not all.
        writer.writerow([NOTICE_MARK + export["notice"]] + [""] * (len(COLUMNS) - 1))
    return out.getvalue()


def filename(query: str, extension: str, day: date | None = None) -> str:
    """A download name that says which search and which day: ASCII, for every browser and disk.

    >>> filename("Nghị quyết Trung ương 4 / khóa XII", "csv", date(2026, 11, 23))
    'vnsearch-nghi-quyet-trung-uong-4-khoa-xii-2026-11-23.csv'
    >>> filename("", "json", date(2026, 11, 23))
    'vnsearch-tat-ca-2026-11-23.json'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold_diacritics(query).lower()).strip("-")[:MAX_SLUG].strip("-")
    return f"vnsearch-{slug or 'tat-ca'}-{(day or date.today()).isoformat()}.{extension}"


def content_disposition(query: str, extension: str) -> str:
    """The download header of an export (the name is ASCII, so it needs no RFC 5987 form)."""
    return f'attachment; filename="{filename(query, extension)}"'
