"""Highlighted snippets: ``<mark>`` around the matched characters of the original text.

Written by hand because Whoosh's highlighter re-runs the field's analyzer (pyvi, ~10 ms per
article) for every hit and knows one field at a time; here the analysis pipeline's syllables
without pyvi (``surface_syllables``: the same dates, codes, glued forms and runs as the index)
match the query's words and phrases, exact or diacritic-folded, in one go.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from index.analysis import breaks_adjacency, surface_syllables
from index.normalize import fold_diacritics


def _canonical(syllable: str) -> str:
    s = syllable.lower()
    return (s.lstrip("0") or "0") if s.isdigit() else s


@dataclass
class MatchTerms:
    """The syllable sequences a query looks for (its words, phrases and codes)."""

    sequences: set[tuple[str, ...]] = field(default_factory=set)

    def add(self, syllables: list[str], breaks=()) -> None:
        """Add one word or phrase, as its syllables; a phrase typed across punctuation
        (``breaks``: where a new run begins) is looked for run by run."""
        cuts = [0] + sorted(b for b in breaks if 0 < b < len(syllables)) + [len(syllables)]
        for a, b in zip(cuts, cuts[1:]):
            seq = tuple(_canonical(s) for s in syllables[a:b])
            if seq:
                self.sequences.add(seq)

    def __bool__(self) -> bool:
        return bool(self.sequences)


def match_spans(text: str, terms: MatchTerms) -> list[tuple[int, int]]:
    """Character spans of ``text`` (original offsets) where the query's sequences occur.

    A syllable typed without accents matches any accented form; one typed with accents
    matches its exact form, or its folded form when the text has no exact match at all.
    Adjacent matches merge into one span, so "Nghị quyết Trung ương 4" is one ``<mark>``.
    """
    if not terms:
        return []
    units = surface_syllables(text)
    canon = [u[0].lower() for u in units]  # the pipeline's numbers are canonical already
    folded = list(map(fold_diacritics, canon))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for seq in terms.sequences:
        by_first.setdefault(fold_diacritics(seq[0]), []).append(seq)

    def find(loose: bool) -> list[tuple[int, int]]:
        found = []
        for i, f in enumerate(folded):
            for seq in by_first.get(f, ()):
                j = i + len(seq)
                if j <= len(units) and not any(u[3] for u in units[i + 1:j]) and all(
                    canon[i + k] == s or folded[i + k] == s or (loose and folded[i + k] == fold_diacritics(s))
                    for k, s in enumerate(seq)
                ):
                    found.append((units[i][1], units[j - 1][2]))
        return found

    hits = sorted(set(find(loose=False))) or sorted(set(find(loose=True)))
    # Adjacent matches merge into one <mark>, but never across a comma or a sentence end.
    spans: list[list[int]] = []
    for a, b in hits:
        if spans and (a <= spans[-1][1] or not breaks_adjacency(text[spans[-1][1]:a])):
            spans[-1][1] = max(b, spans[-1][1])
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> Markup:
    """HTML of ``text[start:end]`` with ``<mark>`` around the spans, all else escaped."""
    end = len(text) if end is None else end
    out, pos = [], start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(escape(text[pos:a]))
        out.append(Markup("<mark>") + escape(text[a:b]) + Markup("</mark>"))
        pos = b
    out.append(escape(text[pos:end]))
    return Markup("").join(out)


def highlight(text: str, terms: MatchTerms) -> Markup:
    """The whole text with every match marked (for titles and the article page)."""
    return mark(text, match_spans(text, terms))


MAX_WINDOWS = 200  # candidate passages looked at in a very long article


def _in_word(text: str, i: int) -> bool:
    """Whether position ``i`` falls inside a word (combining accents count as letters)."""
    def letter(c: str) -> bool:
        return c.isalnum() or unicodedata.combining(c) > 0

    return 0 < i < len(text) and letter(text[i]) and letter(text[i - 1])


def snippet(text: str, terms: MatchTerms, width: int = 260) -> Markup:
    """The passage of about ``width`` characters that covers the most of the query, marked.

    >>> t = MatchTerms(); t.add(["chi", "bộ"])
    >>> str(snippet("Mở đầu. Sinh hoạt chi bộ <định kỳ>.", t, width=40))
    'Mở đầu. Sinh hoạt <mark>chi bộ</mark> &lt;định kỳ&gt;.'
    """
    spans = match_spans(text, terms)
    if len(text) <= width:
        return mark(text, spans)
    best, best_score = 0, -1
    for i, (a, _) in enumerate(spans[:MAX_WINDOWS]):
        # Distinct matched text, weighted by length: a whole phrase beats scattered syllables.
        window = set()
        for x, y in spans[i:]:
            if y > a + width:
                break  # spans are sorted: nothing later fits
            window.add(text[x:y].lower())
        score = sum(len(w) for w in window)
        if score > best_score:
            best, best_score = i, score
    start = max(0, spans[best][0] - width // 5) if spans else 0
    if start:
        # Begin at a word: after the last white space before the cut, if it is near.
        space = max(text.rfind(c, 0, start) for c in " \n\t")
        start = space + 1 if space >= 0 and start - space < 30 else start
        while start < len(text) and _in_word(text, start):
            start += 1
    end = min(len(text), start + width)
    if end < len(text):
        space = max(text.rfind(c, start, end) for c in " \n\t")
        end = space if space > start + width // 2 else end
        while end > start and _in_word(text, end):
            end -= 1
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return Markup(escape(prefix)) + mark(text, spans, start, end) + Markup(escape(suffix))
