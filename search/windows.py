"""Where to look in a very long article: snippets and highlights read a window, not the body.

``match_spans`` normalises and folds every syllable of the text it is given (about 1 s for
a million characters), so a snippet of a long report, or its article page, must not hand it
the whole body.  A snippet looks at the passages where the query's words occur, found with
C-speed string operations on a folded copy; the article page highlights its first
``PAGE_CHARS`` characters and says the rest is left out.
"""
from __future__ import annotations

import itertools
import re

from markupsafe import Markup, escape

from index.normalize import fold_diacritics
from search.highlight import MatchTerms, snippet

SCAN_CHARS = 20_000  # texts up to this long are highlighted whole
WINDOW_CHARS = 4_000  # the passage handed to the snippet maker in a longer text
PAGE_CHARS = 200_000  # what an article page shows (and highlights) of a longer body

# One character for one character, so offsets in the folded copy are offsets in the text.
_FOLD = {i: fold_diacritics(chr(i)) for i in range(0xC0, 0x2000)}
_FOLD = str.maketrans({i: f for i, f in _FOLD.items() if len(f) == 1 and f != chr(i)})


def fold_same_length(text: str) -> str:
    """``text`` lowercased and without accents, character for character.

    >>> fold_same_length("Nghị quyết Đảng")
    'nghi quyet dang'
    """
    folded = text.lower().translate(_FOLD)
    return folded if len(folded) == len(text) else text.lower()


def _occurrences(folded: str, terms: MatchTerms, limit: int = 200) -> list[tuple[int, int]]:
    """(position, sequence number) of the first ``limit`` occurrences of each query sequence."""
    found = []
    for n, seq in enumerate(sorted(terms.sequences)):
        pattern = r"(?<!\w)" + r"\W+".join(re.escape(fold_diacritics(s)) for s in seq) + r"(?!\w)"
        for k, m in enumerate(re.finditer(pattern, folded)):
            if k >= limit:
                break
            found.append((m.start(), n))
    return sorted(found)


def best_window(text: str, terms: MatchTerms, width: int = WINDOW_CHARS) -> tuple[int, int]:
    """The ``width``-character stretch of ``text`` holding the most distinct query sequences.

    >>> t = MatchTerms(); t.add(["chi", "bộ"])
    >>> best_window("x " * 30000 + "Chi bộ họp." + " y" * 30000, t, 100)[0]
    59975
    """
    if len(text) <= max(width, SCAN_CHARS) or not terms:
        return 0, min(len(text), max(width, SCAN_CHARS))
    hits = _occurrences(fold_same_length(text), terms)
    if not hits:
        return 0, width
    best, best_count = 0, -1
    for i, (pos, _) in enumerate(hits):
        count = len({n for p, n in itertools.takewhile(lambda h: h[0] < pos + width // 2, hits[i:])})
        if count > best_count:
            best, best_count = i, count
    start = max(0, hits[best][0] - width // 4)
    return start, min(len(text), start + width)


def long_snippet(text: str, terms: MatchTerms) -> Markup:
    """``snippet`` of a text of any length, reading only its best window."""
    if len(text) <= SCAN_CHARS:
        return snippet(text, terms)
    start, end = best_window(text, terms)
    # Cut at white space so the window begins and ends with whole words.
    if start:
        space = text.find(" ", start, start + 200)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", end - 200, end)
        end = space if space > start else end
    inner = snippet(text[start:end], terms)
    prefix = "… " if start and not str(inner).startswith("…") else ""
    suffix = " …" if end < len(text) and not str(inner).endswith("…") else ""
    return Markup(escape(prefix)) + inner + Markup(escape(suffix))


def page_text(body: str) -> tuple[str, bool]:
    """What an article page shows of a body, and whether some was left out."""
    if len(body) <= PAGE_CHARS:
        return body, False
    cut = body.rfind("\n", 0, PAGE_CHARS)
    return body[:cut if cut > PAGE_CHARS // 2 else PAGE_CHARS], True
