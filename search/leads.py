"""Articles' leads as folded syllables, kept for one index generation.

Every relevance search reranks its best candidates by the query's syllables found in their
lead (title and first lines, ``SearchEngine._lead_rerank``).  Reading a candidate's stored
fields and cutting its lead into syllables costs about half a millisecond, thirty times per
search, and the same articles come back search after search: the lead depends on the
article, not on the query.  So a generation keeps each lead it has read, as one string of
folded syllables, and a search reads the stored fields only of the hits it shows.

Owner and lifetime: one ``Leads`` per ``ReaderState`` (``st.lazily("leads")``), dropped with
its generation (document numbers mean nothing in another one).  Bounded: at most
``MAX_LEADS`` leads of a few hundred bytes; the oldest go first.  Threads: a dict lookup
needs no lock; insertion and eviction take one, and a lead is cut outside it (two threads
may both cut the same lead once; neither waits on the other).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from index.analysis import surface_syllables
from index.normalize import fold_diacritics

MAX_LEADS = 50_000  # ~300 bytes each: at most ~15 MB per generation
LEAD_CHARS = 300  # of the body, after the title


def lead_text(fields: dict) -> str:
    """The title and the first ``LEAD_CHARS`` characters of the body."""
    return (fields.get("title") or "") + " " + (fields.get("body") or "")[:LEAD_CHARS]


def folded_syllables(text: str) -> str:
    """``" syl syl … "``: the text's syllables as the pipeline cuts them, folded and
    lower-cased, with a space either side of each.

    >>> folded_syllables("Nghị quyết TW4, ngày 27/4")
    ' nghi quyet tw 4 ngay 27/4 '
    """
    return " " + " ".join(fold_diacritics(u[0].lower()) for u in surface_syllables(text)) + " "


class Leads:
    """``docnum -> folded syllables of its lead`` for one generation."""

    def __init__(self, size: int | None = None):
        self._size = size or MAX_LEADS
        self._leads: OrderedDict[int, str] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._leads)

    def get(self, docnum: int, fields: Callable[[], dict]) -> str:
        """The folded syllables of ``docnum``'s lead; ``fields()`` gives its stored fields on a miss."""
        known = self._leads.get(docnum)
        if known is not None:
            return known
        text = folded_syllables(lead_text(fields()))
        with self._lock:
            self._leads[docnum] = text
            while len(self._leads) > self._size:
                self._leads.popitem(last=False)  # the oldest, in O(1)
        return text


def found_in(lead: str, wanted) -> set[str]:
    """The syllables of ``wanted`` that a lead (from :meth:`Leads.get`) holds.

    >>> sorted(found_in(" nghi quyet trung uong 4 ", {"nghi", "uong", "dang"}))
    ['nghi', 'uong']
    """
    return {w for w in wanted if f" {w} " in lead}
