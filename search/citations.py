"""Which plenum resolutions an article writes by name, kept for one index generation.

An article is tagged with a plenum's resolution when it writes it by name ("Nghị quyết
Trung ương 5", "NQ TW5 khóa XII", "Nghị quyết Hội nghị Trung ương 5") and also when it
names only the plenum in a sentence about its resolutions ("Hội nghị Trung ương 5 bế mạc,
thông qua các nghị quyết").  A user asking for the resolution wants the first kind first
(``search/scoring.py`` gives them a sub-tier).  The tag cannot tell them apart and syllable
pairs cannot either (they have no positions: "giải quyết từ" and "Hội nghị Trung ương 5"
make every pair of "Nghị quyết TƯ 5"), so the article's stored text is read with the
extraction's own pattern (``index.party_documents.find_plenum_resolutions``).

Only articles tagged with the resolution a query names are read, at most the best
``MAX_CITED_READS`` of a search (``search/scoring.py``), once per generation: the same ones
come back search after search.  Owner and lifetime: one ``NamedPlenums`` per ``ReaderState``
(``st.lazily("named_plenums")``), dropped with its generation.  Bounded: at most
``MAX_ARTICLES`` articles' answers (a few plenum numbers each); the oldest go first.
Threads: a lookup needs no lock; insertion and eviction take one, and the text is read
outside it (two threads may both read one article once).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

import numpy as np

from index.normalize import normalize_text
from index.party_documents import find_plenum_resolutions

MAX_ARTICLES = 100_000
# A citation by name sits in the article's text, not past the first 200,000 characters of a
# 50 MB document: reading that far would cost a search seconds.
READ_CHARS = 200_000

Named = frozenset  # of (plenum number, term or None)


def plenums_named(fields: dict) -> Named:
    """The (plenum, term or None) pairs an article's title and body write by name.

    >>> sorted(plenums_named({"title": "", "body": "Quán triệt NQ TW5 khóa XII; Hội nghị Trung ương 6 bế mạc."}))
    [(5, 'XII')]
    """
    # Normalised as the extraction read it when it tagged the article (NFC, no soft hyphens).
    text = normalize_text((fields.get("title") or "") + "\n" + (fields.get("body") or "")[:READ_CHARS])
    return frozenset((n, term) for n, _, term in find_plenum_resolutions(text, by_name=True))


class NamedPlenums:
    """``docnum -> plenums its text names`` for one generation, read on demand."""

    def __init__(self, stored_fields: Callable[[int], dict], size: int | None = None):
        self._stored_fields = stored_fields
        self._size = size or MAX_ARTICLES
        self._known: OrderedDict[int, Named] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._known)

    def of(self, docnum: int) -> Named:
        """What ``docnum``'s text names (read from its stored fields the first time)."""
        known = self._known.get(docnum)
        if known is not None:
            return known
        named = plenums_named(self._stored_fields(docnum))
        with self._lock:
            self._known[docnum] = named
            while len(self._known) > self._size:
                self._known.popitem(last=False)
        return named

    def citing(self, candidates: np.ndarray, number: int, term: str | None) -> np.ndarray:
        """Which of ``candidates`` (a mask) write plenum ``number``'s resolution by name, in
        ``term`` or with no term beside it (the article's term is then the tag's); any term
        when ``term`` is None."""
        out = np.zeros(len(candidates), bool)
        for d in np.flatnonzero(candidates):
            named = self.of(int(d))
            out[d] = any(n == number and (t is None or term is None or t == term) for n, t in named)
        return out
