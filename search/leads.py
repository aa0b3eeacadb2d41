"""Articles' leads as folded syllables, kept for one index generation.

Every relevance search reranks its best candidates by the query's syllables found in their
lead (title and first lines, ``SearchEngine._lead_rerank``).  Reading a candidate's stored
fields and cutting its lead into syllables costs about half a millisecond, thirty times per
search, and the same articles come back search after search: the lead depends on the
article, not on the query.  So a generation keeps each lead it has read, as one string of
folded syllables, and a search reads the stored fields only of the hits it shows.

One ``Leads`` per ``ReaderState`` (``st.lazily("leads")``): a ``DocMemo``
(``search/docmemo.py``: owner, lifetime, bound and threads) of at most ``MAX_LEADS`` leads of
a few hundred bytes.
"""
from __future__ import annotations

from index.analysis import surface_syllables
from index.normalize import fold_diacritics
from search.docmemo import DocMemo

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


class Leads(DocMemo[str]):
    """``docnum -> folded syllables of its lead`` for one generation (``get(docnum, fields)``)."""

    def __init__(self, size: int | None = None):
        super().__init__(lambda fields: folded_syllables(lead_text(fields)), size or MAX_LEADS)


def found_in(lead: str, wanted) -> set[str]:
    """The syllables of ``wanted`` that a lead (from :meth:`Leads.get`) holds.

    >>> sorted(found_in(" nghi quyet trung uong 4 ", {"nghi", "uong", "dang"}))
    ['nghi', 'uong']
    """
    return {w for w in wanted if f" {w} " in lead}
