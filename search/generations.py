"""Searcher generations: how many threads share one index while it is being written.

Whoosh's readers keep file positions: two threads reading stored fields, postings or
``more_like`` through one reader interleave their seeks and read each other's bytes (wrong
related articles, 500s).  Opening a reader per thread does not work either: a commit deletes
the files of merged segments, so a generation can only be opened while it is the latest.

So each generation (one Whoosh searcher and the arrays derived from it) carries one lock,
and every call into its searcher goes through that lock (:class:`LockedSearcher`).  Scoring,
facet counts and highlighting run on NumPy arrays and strings outside it; only reads of the
index files wait for each other.  A request *pins* one generation from start to end, so a
page's counts, hits and links agree; a generation is closed when the last request that uses
it ends, never under a running one.  A commit publishes a new generation in one assignment.
"""
from __future__ import annotations

import contextvars
import logging
import threading
from contextlib import contextmanager
from typing import Callable, Generic, Iterator, TypeVar

State = TypeVar("State")
log = logging.getLogger(__name__)


class LockedSearcher:
    """A Whoosh searcher whose every method call holds the generation's lock.

    Methods that return lazy objects (matchers, generators) would escape the lock; the
    engine only calls methods that return finished values (``stored_fields``,
    ``document_number``, ``more_like`` results read inside the call, …).
    """

    def __init__(self, searcher, lock: threading.RLock):
        self._searcher = searcher
        self._lock = lock

    @property
    def raw(self):
        """The Whoosh searcher itself, for code that takes the lock on its own."""
        return self._searcher

    def more_like(self, *args, **kwargs) -> list:
        """``Searcher.more_like`` with its hits' stored fields read inside the lock."""
        with self._lock:
            results = self._searcher.more_like(*args, **kwargs)
            return [_ReadHit(h.fields(), h.score, h.docnum) for h in results]

    def __getattr__(self, name):
        attr = getattr(self._searcher, name)
        if not callable(attr):
            return attr

        def locked(*args, **kwargs):
            with self._lock:
                return attr(*args, **kwargs)

        return locked


class _ReadHit:
    """A ``more_like`` hit whose stored fields were read under the lock."""

    __slots__ = ("_fields", "score", "docnum")

    def __init__(self, fields: dict, score: float, docnum: int):
        self._fields, self.score, self.docnum = fields, score, docnum

    def fields(self) -> dict:
        return self._fields


class Generation(Generic[State]):
    """One searcher generation and the number of requests using it."""

    def __init__(self, state: State, close: Callable[[], None], lock: threading.RLock):
        self.state = state
        self.lock = lock
        self._close = close
        self.users = 0
        self.retired = False
        self.closed = False

    def _close_now(self) -> None:
        with self.lock:  # never under a reader call still running on another thread
            if not self.closed:
                self.closed = True
                self._close()


class Pin:
    """A request's hold on one generation: its ``state`` until ``release()`` (idempotent)."""

    def __init__(self, state, release: Callable[[], None]):
        self.state = state
        self._release = release

    def release(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()


class Generations(Generic[State]):
    """The current generation of one index, replaced atomically when the index changes.

    ``open_state(lock)`` builds a new generation's state (its searcher locked by ``lock``);
    ``is_current(state)`` says whether the index has changed since; ``close_state(state)``
    frees its files.
    """

    def __init__(self, open_state: Callable[[threading.RLock], State],
                 is_current: Callable[[State], bool], close_state: Callable[[State], None]):
        self._open_state = open_state
        self._is_current = is_current
        self._close_state = close_state
        self._counts = threading.Lock()  # users, current, retired: short critical sections
        self._building = threading.Lock()  # one thread builds the next generation
        self._current: Generation | None = None
        self._pinned: contextvars.ContextVar = contextvars.ContextVar(f"pinned-{id(self)}", default=None)
        self._closed = False
        self._publish(self._build())

    def _build(self) -> Generation:
        lock = threading.RLock()
        state = self._open_state(lock)
        return Generation(state, lambda: self._close_state(state), lock)

    def _publish(self, new: Generation) -> None:
        with self._counts:
            old, self._current = self._current, new
            if old is not None:
                old.retired = True
                idle = old.users == 0
        if old is not None and idle:
            old._close_now()

    def _refresh(self) -> None:
        """Build and publish the next generation if the index changed (one builder at a time).

        Other threads do not wait: they go on with the generation they have.
        """
        current = self._current
        if self._is_current(current.state):
            return
        if not self._building.acquire(blocking=False):
            return
        try:
            if self._current is current:
                try:
                    new = self._build()
                except Exception:  # noqa: BLE001 — a commit half-visible, a swap under way
                    # The generation in hand is still whole: serve it, try again next time.
                    log.warning("could not open the new index generation; serving the previous one",
                                exc_info=True)
                    return
                self._publish(new)
        finally:
            self._building.release()

    def acquire(self) -> Generation:
        """The latest generation, counted as used until :meth:`release`."""
        if self._closed:
            raise RuntimeError("the search engine is closed")
        self._refresh()
        with self._counts:
            gen = self._current
            gen.users += 1
        return gen

    def release(self, gen: Generation) -> None:
        """One user less; the last user of a replaced generation closes it."""
        with self._counts:
            gen.users -= 1
            idle = gen.retired and gen.users == 0
        if idle:
            gen._close_now()

    @contextmanager
    def use(self) -> Iterator[State]:
        """The state of the pinned generation, else of the latest one for this block."""
        pinned = self._pinned.get()
        if pinned is not None:
            yield pinned.state
            return
        gen = self.acquire()
        try:
            yield gen.state
        finally:
            self.release(gen)

    def pin(self) -> "Pin":
        """Pin the latest generation to the calling context (one request); ``Pin.release`` ends it."""
        if self._pinned.get() is not None:
            return Pin(self._pinned.get().state, lambda: None)
        gen = self.acquire()
        token = self._pinned.set(gen)

        def unpin() -> None:
            try:
                self._pinned.reset(token)
            except ValueError:  # reset from another context: the pin is dropped with it
                pass
            self.release(gen)

        return Pin(gen.state, unpin)

    def latest(self) -> State:
        """The latest state, unpinned (for single-threaded scripts and benchmarks)."""
        self._refresh()
        return self._current.state

    def close(self) -> None:
        """Retire the current generation; it closes when its last user ends."""
        self._closed = True
        with self._counts:
            gen = self._current
            gen.retired = True
            idle = gen.users == 0
        if idle:
            gen._close_now()
