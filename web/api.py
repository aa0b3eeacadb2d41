"""The JSON API: the search facade's dicts as they are, plus clean 400/404 errors."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from search.query import QueryError
from web import views
from web.pages import _export
from web.state import SearchState, whole_number

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_SUGGEST_CHARS = 200  # completions are for what is being typed, not for pasted text


def _state() -> SearchState:
    return SearchState.from_args(request.args, current_app.config["DEFAULT_PAGE_SIZE"])


@bp.get("/")
def index():
    """The endpoints of the API."""
    return jsonify({"endpoints": {
        "search": url_for("api.search") + "?q=&province=&province_new=&term=&resolution=&year=&source=&sort=&page=&size=",
        "document": url_for("api.document", doc_id="ID") + "?q=",
        "facet": url_for("api.facet_values", name="province") + "?q=&contains=",
        "overview": url_for("api.overview"),
        "suggest": url_for("api.suggest") + "?q=",
        "export": url_for("api.export") + "?format=csv|json&q=…",
    }})


@bp.get("/search")
def search():
    """One search: ``total``, ``hits``, ``facets {name: [{value, count, selected}]}``, ``took_ms``."""
    return jsonify(views.run_search(_state()))


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str):
    """One article with its highlighted body and similar articles; 404 for an unknown id."""
    return jsonify(views.document_or_404(doc_id, request.args.get("q", "")))


@bp.get("/facets/<name>")
def facet_values(name: str):
    """All values of one facet for a search, optionally those containing ``contains``."""
    state = _state()
    limit = whole_number(request.args.get("limit"), "limit", None, 1, 100_000)
    # The filter box sends the page's date range: its counts must be the page's.
    return jsonify(views.engine().facet_values(name, state.query, state.facade_filters(),
                                               contains=request.args.get("contains", ""), limit=limit,
                                               **state.facade_dates()))


@bp.get("/suggest")
def suggest():
    """Completions of ``q`` as the user types: ``{"query", "suggestions": [{text, completion, kind, count}]}``."""
    query = request.args.get("q", "")
    if len(query) > MAX_SUGGEST_CHARS:
        raise QueryError(f"the query is too long ({len(query)} characters; at most {MAX_SUGGEST_CHARS})")
    return jsonify({"query": query, "suggestions": views.engine().completions(query)})


@bp.get("/overview")
def overview():
    """Number of articles and every facet's counts over the whole index."""
    return jsonify(views.engine().overview())


@bp.get("/export")
def export():
    """The whole result set as ``format=csv`` or ``format=json``."""
    fmt = request.args.get("format", "json")
    if fmt not in ("csv", "json"):
        raise QueryError(f"unknown format {fmt!r}; use csv or json")
    return _export(fmt)
