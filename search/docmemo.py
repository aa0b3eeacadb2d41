"""What a search derives from one article's stored fields, kept for one index generation.

The lead rerank (``search/leads.py``) and the citation sub-tier (``search/citations.py``)
each read the stored fields of the same articles search after search, and what they derive
depends on the article, not on the query.  A ``DocMemo`` keeps it by document number.

Owner and lifetime: one per ``ReaderState`` and use (``st.lazily(name)``), dropped with its
generation (document numbers mean nothing in another one).  Bounded: at most ``size``
entries; the oldest go first.  Threads: a lookup needs no lock; insertion and eviction take
one, and the value is computed outside it (two threads may both compute one entry once;
neither waits on the other).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class DocMemo(Generic[T]):
    """``docnum -> derive(stored fields)`` for one generation, computed on first use."""

    def __init__(self, derive: Callable[[dict], T], size: int):
        self._derive = derive
        self._size = size
        self._known: OrderedDict[int, T] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._known)

    def get(self, docnum: int, fields: Callable[[], dict]) -> T:
        """The value for ``docnum``; ``fields()`` gives its stored fields on a miss."""
        known = self._known.get(docnum)
        if known is not None:
            return known
        value = self._derive(fields())
        with self._lock:
            self._known[docnum] = value
            while len(self._known) > self._size:
                self._known.popitem(last=False)  # the oldest, in O(1)
        return value
