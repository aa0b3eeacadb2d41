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
come back search after search.  One ``NamedPlenums`` per ``ReaderState``
(``st.lazily("named_plenums")``): a ``DocMemo`` (``search/docmemo.py``: owner, lifetime,
bound and threads) of at most ``MAX_ARTICLES`` articles' answers (a few plenum numbers each).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from index.normalize import normalize_text
from index.party_documents import find_plenum_resolutions
from search.docmemo import DocMemo

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


class NamedPlenums(DocMemo[Named]):
    """``docnum -> plenums its text names`` for one generation, read on demand."""

    def __init__(self, stored_fields: Callable[[int], dict], size: int | None = None):
        super().__init__(plenums_named, size or MAX_ARTICLES)
        self._stored_fields = stored_fields

    def citing(self, docnums: np.ndarray, plenums: list[tuple[int, str | None]]) -> np.ndarray:
        """For each of ``docnums``, whether its text writes one of ``plenums``' resolutions
        by name, in its term or with no term beside it (the article's term is then the
        tag's); any term when the plenum's is None."""
        def cites(named: Named) -> bool:
            return any(n == number and (t is None or term is None or t == term)
                       for n, t in named for number, term in plenums)

        return np.fromiter((cites(self.get(d, lambda d=d: self._stored_fields(d))) for d in docnums.tolist()),
                           bool, len(docnums))
