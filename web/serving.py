"""One search engine per app (flaskr's ``init_app`` pattern), one index generation per request.

The engine is opened on first use (a site started before its index exists answers 503 until
the index appears) and closed with the app.  Each request pins the generation it first
touches and releases it at teardown, so a page's counts, hits and links come from one
commit and no commit closes files under a running request.
"""
from __future__ import annotations

import threading
import weakref

from flask import Flask, current_app, g

from search.engine import SearchEngine

EXTENSION = "vnsearch"


class EngineHolder:
    """The app's engine, opened once by the first request that needs it."""

    def __init__(self, index_dir):
        self.index_dir = index_dir
        self._engine: SearchEngine | None = None
        self._lock = threading.Lock()

    def get(self) -> SearchEngine:
        """The engine; raises ``IndexNotFoundError`` (a 503) while there is no index."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = SearchEngine(self.index_dir)
        return self._engine

    def close(self) -> None:
        """Close the engine (its generation closes when the last request on it ends)."""
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()


def init_app(app: Flask) -> None:
    """Give the app its engine holder and release each request's generation at teardown."""
    holder = EngineHolder(app.config.get("INDEX_DIR"))
    app.extensions[EXTENSION] = holder
    app.after_request(_generation_header)
    app.teardown_appcontext(_unpin)
    # The app has no "stopped" event; its engine closes when the app is collected or at exit.
    weakref.finalize(app, holder.close)


def engine_of(app: Flask) -> SearchEngine:
    """The engine of an app (opens it now: ``vnsearch serve`` fails early without an index)."""
    return app.extensions[EXTENSION].get()


def close_engine(app: Flask) -> None:
    """Close an app's engine (``vnsearch serve`` on shutdown, test fixtures)."""
    app.extensions[EXTENSION].close()


def request_engine() -> SearchEngine:
    """The current app's engine, with the current request pinned to one generation."""
    engine = engine_of(current_app)
    if "vnsearch_pin" not in g:
        g.vnsearch_pin = engine.pin()
    return engine


def _generation_header(response):
    """Say which index generation answered (``bench/load.py`` compares answers per generation)."""
    pin = g.get("vnsearch_pin")
    if pin is not None:
        response.headers["X-Index-Generation"] = pin.state.generation
    return response


def _unpin(exc: BaseException | None) -> None:
    pin = g.pop("vnsearch_pin", None)
    if pin is not None:
        pin.release()
