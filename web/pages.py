"""The HTML blueprint: search page, article page, facet values, overview, exports."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template, request, send_from_directory, url_for

from search.facets import FACET_LABELS, FACETS
from search.query import QueryError
from web import views
from web.charts import bar_chart
from web.export import content_disposition, export_rows, to_csv
from web.state import SearchState, whole_number

bp = Blueprint("pages", __name__)

OVERVIEW_TOP = 20


def _state() -> SearchState:
    """The search state of the current request."""
    return SearchState.from_args(request.args, current_app.config["DEFAULT_PAGE_SIZE"])


@bp.get("/")
def search():
    """The search page: query box, facet sidebar, results, pages; every state is a URL."""
    return render_template("search.html", **views.search_page(_state()))


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str):
    """One article, highlighted for ``q``, with its facet values as links and similar articles."""
    query = request.args.get("q", "")
    doc = views.document_or_404(doc_id, query)
    # The search this article was opened from (filters, sort, page): the back link returns to it.
    try:
        state = _state()
    except QueryError:
        state = SearchState(query=query)
    facets = [(name, FACET_LABELS[name], [(v, views.search_url(SearchState.browse(name, v))) for v in doc.get(field) or []])
              for name, field in (("resolution", "resolutions"), ("term", "terms"), ("province", "provinces"),
                                  ("province_new", "provinces_new"))]
    if doc.get("source"):
        facets.append(("source", FACET_LABELS["source"], [(doc["source"], views.search_url(SearchState.browse("source", doc["source"])))]))
    return render_template("doc.html", doc=doc, query=query, facets=facets,
                           back_url=views.search_url(state), state_query=state.query_string(),
                           json_url=url_for("api.document", doc_id=doc_id, q=query or None))


@bp.get("/facets/<name>")
def facet_values(name: str):
    """Every value of one facet for the current search (the "xem thêm" page), filterable."""
    if name not in FACETS:
        raise QueryError(f"unknown facet {name!r}; facets are: {', '.join(FACETS)}")
    return render_template("facet.html", **views.facet_page(name, _state(), request.args.get("contains", "")))


@bp.get("/tong-quan")
def overview():
    """The corpus at a glance, as inline SVG bar charts."""
    data = views.engine().overview()
    facets = data["facets"]

    def rows(name, values):
        return [(v["value"] if name != "term" else f"Khóa {v['value']}", v["count"],
                 views.search_url(SearchState.browse(name, v["value"]))) for v in values]

    years = sorted(facets.get("year", []), key=lambda v: v["value"])
    charts = [
        bar_chart("Số bài viết theo năm", rows("year", years)),
        bar_chart("Số bài viết theo tỉnh, thành (trước 2025)", rows("province", facets.get("province", [])[:OVERVIEW_TOP])),
        bar_chart("Nghị quyết, văn bản được nhắc đến nhiều nhất", rows("resolution", facets.get("resolution", [])[:OVERVIEW_TOP])),
        bar_chart("Số bài viết theo khóa", rows("term", facets.get("term", [])[:OVERVIEW_TOP])),
    ]
    return render_template("overview.html", documents=data["documents"], charts=charts,
                           counts={name: len(values) for name, values in facets.items()})


def _export(fmt: str):
    """The current result set (all pages up to the site's cap, or fewer with ``limit``) as a download."""
    cap = current_app.config["EXPORT_LIMIT"]
    data = export_rows(_state(), whole_number(request.args.get("limit"), "limit", cap, 1, cap))
    if fmt == "csv":
        body, content_type = to_csv(data), "text/csv; charset=utf-8"
    else:
        body, content_type = json.dumps(data, ensure_ascii=False, indent=1), "application/json; charset=utf-8"
    # content_type, not mimetype: Flask would append a second "; charset=utf-8".
    return Response(body, content_type=content_type, headers={
        "Content-Disposition": content_disposition(data["query"], fmt),
        "X-Total-Count": str(data["total"]),
        "X-Exported-Count": str(data["exported"]),
    })


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links: answer with the site's icon."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/export.csv")
def export_csv():
    """The current result set as CSV (UTF-8 with BOM, for Excel)."""
    return _export("csv")


@bp.get("/export.json")
def export_json():
    """The current result set as JSON."""
    return _export("json")
