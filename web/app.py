"""The Flask application factory (``vnsearch serve`` calls ``create_app``)."""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from index.schema import IndexVersionError
from search.engine import IndexNotFoundError
from search.messages import translate
from search.query import QueryError
from web import views

log = logging.getLogger(__name__)

# No CDN and no inline script: the site works offline and an escaping slip cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the site; ``INDEX_DIR`` names the index folder (default: the CLI's default)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX_DIR=None,
        # Rows of one export.  An export's cost is per row (~0.3 ms to read and format one,
        # whatever the index's size: bench/export_speed.py); under bench/fuzz.py's load a row
        # costs ~1 ms, so 1,000 rows keep every export well under 2 s.  A capped export says so.
        EXPORT_LIMIT=1_000,
        DEFAULT_PAGE_SIZE=10,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    # Vietnamese stays readable in JSON; keys keep the facade's order.
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from web import api, pages, serving
    from web.formatting import register_filters

    serving.init_app(app)

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    register_filters(app)
    _register_error_handlers(app)

    @app.after_request
    def security_headers(response):
        """Send headers that keep documents' text inert in the browser."""
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


def _wants_json() -> bool:
    """API and export URLs answer errors in JSON; pages answer with an HTML page."""
    return request.path.startswith("/api") or request.path.endswith(".json")


def error_response(status: int, message: str, title: str, repair: dict | None = None):
    """One error as JSON or as a page, by the URL asked for.

    JSON keeps the English ``error`` for scripts, beside a stable ``code`` and the
    Vietnamese ``message_vi``; a page shows only the Vietnamese text, and ``repair`` (a link
    to the same search mended) when there is one.
    """
    msg = translate(message, status)
    if _wants_json():
        return jsonify({"error": message, "code": msg.code, "message_vi": msg.vietnamese, "status": status}), status
    if request_ctx.url_adapter is None:
        # A Host header Werkzeug refuses leaves no way to build the page's links.
        return Response(f"{status} {title}: {msg.vietnamese}\n", status, mimetype="text/plain; charset=utf-8")
    return render_template("error.html", status=status, title=title, message=msg.vietnamese, repair=repair), status


def _register_error_handlers(app: Flask) -> None:
    """Map bad input to 400, unknown things to 404, a missing index to 503; never a bare 500."""

    @app.errorhandler(QueryError)
    def bad_query(exc):
        return error_response(400, str(exc), "Yêu cầu không hợp lệ", views.repair_link())

    @app.errorhandler(IndexNotFoundError)
    @app.errorhandler(IndexVersionError)
    def no_index(exc):
        # The folder's path is the server's business: logged, not shown.
        log.error("no usable index: %s", exc)
        return error_response(503, "no index to search yet; "
                              "the administrator builds one with `vnsearch index`", "Chưa có chỉ mục tìm kiếm")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        titles = {404: "Không tìm thấy trang", 405: "Phương thức không được hỗ trợ", 400: "Yêu cầu không hợp lệ"}
        return error_response(exc.code or 500, exc.description or exc.name, titles.get(exc.code, "Lỗi"))

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unexpected error on %s", request.path)
        return error_response(500, "internal error; see the server log", "Lỗi máy chủ")
