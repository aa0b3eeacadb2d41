"""Views as data: each builds one dict from the search facade that a page renders or the API returns."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import abort, current_app, request, url_for

from search.engine import SearchEngine
from search.facets import FACET_LABELS, FACETS
from search.query import QueryError
from web.formatting import facet_value_label, vn_date
from web.serving import request_engine
from web.state import SearchState, repaired_args

FACET_SHOWN = 10  # values per facet in the sidebar before "xem thêm"
PAGE_WINDOW = 2  # page links either side of the current page
# Every link of a page (facet values, chips, pages, sorts) carries the whole state, so a
# page's size grows with (links × selected values).  Pages take this many values in all;
# /api/search, which has no links, takes the facade's own bound.
MAX_PAGE_FILTERS = 30


def engine() -> SearchEngine:
    """The app's search engine, this request pinned to one generation (503 without an index)."""
    return request_engine()


def run_search(state: SearchState, **options) -> dict:
    """The facade's result for a state: what ``/api/search`` returns as is."""
    return engine().search(state.query, state.facade_filters(), state.sort, state.page, state.size,
                           **state.facade_dates(), **options)


def search_url(state: SearchState, endpoint: str = "pages.search") -> str:
    """The URL of a search state on the search page (or another endpoint that reads a state)."""
    return url_for(endpoint) + state.query_string()


def facet_groups(result: dict, state: SearchState) -> list[dict]:
    """Datasette-style facets: ``name, label, results[{value, label, count, selected, toggle_url}], truncated``."""
    groups = []
    for name in FACETS:
        values = result["facets"].get(name, [])
        groups.append({
            "name": name,
            "label": FACET_LABELS[name],
            "results": [{
                **v,
                "label": facet_value_label(name, v["value"]),
                "toggle_url": search_url(state.toggled(name, v["value"])),
            } for v in values],
            "truncated": bool(result["facets_truncated"].get(name)),
            "more_url": url_for("pages.facet_values", name=name) + state.query_string(page=False),
            "api_url": url_for("api.facet_values", name=name) + state.query_string(page=False),
        })
    return groups


def active_filters(result: dict, state: SearchState) -> list[dict]:
    """The selected facet values as removable chips."""
    chips = []
    for name, values in state.filters.items():
        for value in values:
            chips.append({
                "name": name,
                "facet_label": FACET_LABELS[name],
                "value": value,
                "label": facet_value_label(name, value),
                "remove_url": search_url(state.toggled(name, value)),
            })
    if state.date_from or state.date_to:
        chips.append(date_chip(state))
    return chips


def pagination(result: dict, state: SearchState) -> dict:
    """Previous/next and a window of page numbers (with gaps marked ``None``)."""
    pages = result["pages"]
    current = state.page
    numbers = sorted({1, pages, *range(max(1, current - PAGE_WINDOW), min(pages, current + PAGE_WINDOW) + 1)} - {0})
    items, last = [], 0
    for n in numbers:
        if n - last > 1:
            items.append(None)
        items.append({"number": n, "url": search_url(state.with_page(n)), "current": n == current})
        last = n
    return {
        "pages": pages,
        "current": current,
        "links": items if pages > 1 else [],
        "prev_url": search_url(state.with_page(current - 1)) if current > 1 else None,
        "next_url": search_url(state.with_page(current + 1)) if current < pages else None,
    }


def alternatives(result: dict, state: SearchState) -> dict:
    """What to try when a search finds little: a corrected query (the facade offers one only
    when it finds something, with its count), fewer filters.  No "without accents" link: an
    unaccented query selects the same articles as the accented one."""
    out = {"suggestion": None, "drop_filters": [], "drop_all_url": None}
    suggestion = result.get("suggestion")
    if suggestion and suggestion != state.query:
        out["suggestion"] = {"query": suggestion, "url": search_url(state.with_query(suggestion)),
                             "total": result.get("suggestion_total")}
    if result["total"]:
        return out
    if state.filters or state.date_from or state.date_to:
        # Facet values: totals the facade computed from the search's own masks (no search per
        # value, whatever their number); the date range: one search more.
        dropped = {(d["facet"], d["value"]): d["total"] for d in result.get("without_filter", [])}
        for chip in active_filters(result, state):
            if chip["name"] == "date":
                smaller = state.with_dates()
                total = engine().search(smaller.query, smaller.facade_filters(), size=1, facets=False,
                                        snippets=False, suggest=False, **smaller.facade_dates())["total"]
            elif (chip["name"], chip["value"]) in dropped:
                smaller = state.toggled(chip["name"], chip["value"])
                total = dropped[(chip["name"], chip["value"])]
            else:
                continue  # beyond the facade's MAX_DROPPED: "drop every filter" covers it
            out["drop_filters"].append({**chip, "total": total, "url": search_url(smaller)})
        out["drop_all_url"] = search_url(state.without_filters())
    return out


def check_page_state(state: SearchState) -> None:
    """Refuse (400) a page state whose links would make the page grow without bound."""
    count = sum(len(values) for values in state.filters.values())
    if count > MAX_PAGE_FILTERS:
        raise QueryError(f"too many filter values for a page ({count}; at most {MAX_PAGE_FILTERS}) — "
                         "bỏ bớt bộ lọc, or ask /api/search, which takes more")


def search_page(state: SearchState) -> dict:
    """Everything the search page shows: the facade result plus facets, chips, pages, links."""
    check_page_state(state)
    result = run_search(state, collapse=True)
    return {
        "state": state,
        "result": result,
        "facet_groups": facet_groups(result, state),
        "chips": active_filters(result, state),
        "pagination": pagination(result, state),
        "alternatives": alternatives(result, state),
        "timeline": timeline_view(result, state),
        "export_limit": current_app.config["EXPORT_LIMIT"],
        "links": {
            "json": url_for("api.search") + state.query_string(),
            "csv": url_for("pages.export_csv") + state.query_string(page=False),
            "export_json": url_for("pages.export_json") + state.query_string(page=False),
            "clear": url_for("pages.search"),
            "clear_filters": search_url(state.without_filters()),
            "sort": {s: search_url(replace(state, sort=s, page=1)) for s in ("relevance", "date")},
        },
    }


def facet_page(name: str, state: SearchState, contains: str) -> dict:
    """All values of one facet for the current search, optionally those containing ``contains``."""
    check_page_state(state)
    values = engine().facet_values(name, state.query, state.facade_filters(), contains=contains, **state.facade_dates())
    for v in values["values"]:
        v["label"] = facet_value_label(name, v["value"])
        v["toggle_url"] = search_url(state.toggled(name, v["value"]))
    return {"state": state, "name": name, "label": FACET_LABELS[name], "contains": contains, "facet": values,
            "back_url": search_url(state)}


def document_or_404(doc_id: str, query: str) -> dict:
    """One article highlighted for ``query``; a 404 for an unknown id, a 400 for a bad query."""
    doc = engine().document(doc_id, query)
    if doc is None:
        abort(404, description=f"no document with id {doc_id!r}")
    return doc



def date_chip(state: SearchState) -> dict:
    """The date range as a removable chip ("Thời gian: 01/06/2021 – 30/06/2021")."""
    label = " – ".join(part for part in (
        ("từ " if not state.date_to else "") + vn_date(state.date_from) if state.date_from else "",
        ("đến " if not state.date_from else "") + vn_date(state.date_to) if state.date_to else "") if part)
    return {"name": "date", "facet_label": "Thời gian", "value": f"{state.date_from}/{state.date_to}",
            "label": label, "remove_url": search_url(state.with_dates())}


TIMELINE_HEIGHT = 64
TIMELINE_WIDTH = 240


def timeline_view(result: dict, state: SearchState) -> dict | None:
    """The search's timeline as bars of an inline SVG, each a link that narrows to its month (or year)."""
    data = result.get("timeline")
    if not data:
        return None
    bars = data["bars"]
    top = max((b["count"] for b in bars), default=0) or 1
    step = TIMELINE_WIDTH / max(len(bars), 1)
    out = []
    for i, b in enumerate(bars):
        height = round(TIMELINE_HEIGHT * b["count"] / top, 1) if b["count"] else 0
        label = b["period"] if data["interval"] == "year" else f"{b['period'][5:]}/{b['period'][:4]}"
        out.append({
            **b, "label": label,
            "x": round(i * step, 2), "width": round(max(step - 1, 1), 2),
            "y": TIMELINE_HEIGHT - height, "height": height,
            "url": search_url(state.with_dates(b["date_from"], b["date_to"])),
            "selected": (b["date_from"], b["date_to"]) == (state.date_from, state.date_to),
        })
    return {
        "interval": data["interval"],
        "bars": out,
        "undated": data["undated"],
        "dated": sum(b["count"] for b in bars),
        "width": TIMELINE_WIDTH,
        "height": TIMELINE_HEIGHT,
        "first": out[0]["label"] if out else None,
        "last": out[-1]["label"] if out else None,
    }


# What mending a bad search parameter did, as the error page's link says it.
REPAIRS = {"swapped_dates": "đã đổi chỗ hai ngày", "page": "bỏ số trang", "size": "bỏ số kết quả mỗi trang",
           "sort": "bỏ cách sắp xếp", "date_from": "bỏ «từ ngày»", "date_to": "bỏ «đến ngày»"}


def repair_link() -> dict | None:
    """On the error page of a search or facet page, the same page with its bad parameter
    mended (``{url, label}``), so a mistyped date or page does not cost the query and filters."""
    if request.endpoint not in ("pages.search", "pages.facet_values"):
        return None
    mended = repaired_args(request.args)
    if mended is None:
        return None
    pairs, what = mended
    query = request.args.get("q", "").strip()
    label = f"Xem kết quả tìm «{query}»" if query else "Xem kết quả lọc"
    return {"url": url_for(request.endpoint, **(request.view_args or {})) + ("?" + urlencode(pairs) if pairs else ""),
            "label": f"{label} ({REPAIRS.get(what, 'bỏ phần không hợp lệ')})"}

