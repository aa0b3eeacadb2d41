"""Highlighted snippets: ``<mark>`` around the matched characters of the original text.

Written by hand because Whoosh's highlighter re-runs the field's analyzer (pyvi, ~10 ms per
article) for every hit and knows one field at a time; here the analysis pipeline's syllables
without pyvi (``surface_syllables``: the same dates, codes, glued forms and runs as the index)
match the query's words and phrases, exact or diacritic-folded, in one go.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from markupsafe import Markup, escape

from index.analysis import GLUED_ABBREVIATIONS, breaks_adjacency, surface_units
from index.normalize import fold_diacritics, normalize_with_offsets


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


# Letters and digits are looked up to here when classes of variants are made: Latin, Greek,
# Cyrillic and their accented forms.  Past it (kana with voicing marks, full-width forms) a
# character is looked for as typed, so a long text's snippet may miss a folded match there.
_FOLDING_SCRIPTS_END = 0x3000


@functools.cache
def _variants() -> dict[str, str]:
    """For each lower-case folded character, a regex class of every character that folds to
    it, both cases: the cheap pass finds a syllable typed without accents ("chi") among
    "chí", "Chị", "CHÌ", and "munchen" in "München" or "MÜNCHEN", with one regex.  Built once
    per process, on the first long text (about 6,400 letters and digits folded, 30-120 ms)."""
    found: dict[str, set[str]] = {}
    for code in range(0x30, _FOLDING_SCRIPTS_END):
        ch = chr(code)
        if not ch.isalnum():
            continue
        folded = fold_diacritics(ch).lower()
        if len(folded) == 1:
            found.setdefault(folded, set()).update(c for c in (ch, ch.lower(), ch.upper()) if len(c) == 1)
    return {f: "[" + "".join(re.escape(c) for c in sorted(chars)) + "]" for f, chars in found.items()}


_PART_RE = re.compile(r"[^\W_]+")
_GLUED_PIECES = frozenset(fold_diacritics(a) for a in GLUED_ABBREVIATIONS)
_WHOLE_TEXT = 600  # characters: a shorter text is tokenised whole, a window would save nothing
_SLACK = 160  # characters after a candidate that a window covers, plus 40 per syllable of the sequence
_MAX_WINDOW = 1000  # characters: longer stretches of dense candidates are read as several windows
# (a snippet stops between windows once it has its passage)
_MAX_CUT_SEARCH = 400  # characters looked through for a cut before giving up on windows


def _candidate_re(terms: MatchTerms) -> re.Pattern | None:
    """One regex that finds, cheaply and with false alarms allowed, every place where a
    sequence could begin: the first letters-or-digits part of its first syllable, any accent.
    None when a first syllable has no such part (the caller then reads the whole text)."""
    needles = set()
    variants = _variants()
    for seq in terms.sequences:
        part = _PART_RE.search(fold_diacritics(seq[0]).lower())
        if not part:
            return None
        text = part.group()
        needle = "".join(variants.get(c) or re.escape(c) for c in text)
        # Where the pipeline's tokens can begin and end (``surface_units``): a syllable of
        # letters is a whole run of letters (digits may touch it: "TW4"), unless it is a
        # piece of a glued abbreviation ("NQTW"); a number is a whole run of digits, leading
        # zeros allowed ("05" is "5"); a date unit "27/4" begins with its day.  So "nghị" is
        # not looked for in "nghiệp", nor "4" in "2014".
        if text.isdigit():
            needle = rf"(?<!\d)0*{needle}(?!\d)"
        elif text.isalpha() and text not in _GLUED_PIECES:
            needle = rf"(?<![^\W\d_]){needle}(?![^\W\d_])"
        needles.add(needle)
    return re.compile("|".join(sorted(needles, key=len, reverse=True)))


def _is_cut(norm: str, k: int) -> bool:
    """Whether position ``k`` of ``norm`` lies between tokens of the whole text: right after a
    white space that no code spans (a code holds white space only beside its hyphen, "05 - CT/TW")."""
    return (k <= 0 or k >= len(norm)) or (
        norm[k - 1].isspace() and norm[k] not in "-–" and (k < 2 or norm[k - 2] not in "-–"))


def _cut_before(norm: str, k: int) -> int | None:
    """The last cut at or before ``k`` (None past ``_MAX_CUT_SEARCH``: one huge token)."""
    for i in range(k, max(-1, k - _MAX_CUT_SEARCH), -1):
        if _is_cut(norm, i):
            return i
    return None


def _cut_after(norm: str, k: int) -> int | None:
    """The first white space at or after ``k`` that a cut follows (a window's end), or the end."""
    for i in range(min(k, len(norm)), min(len(norm) + 1, k + _MAX_CUT_SEARCH)):
        if i >= len(norm) or (norm[i].isspace() and _is_cut(norm, i + 1)):
            return min(i, len(norm))
    return None


def _windows(norm: str, terms: MatchTerms):
    """Stretches of ``norm`` that hold every place where the query's sequences may occur, in
    order, each beginning and ending at a cut, so that tokenising a stretch alone gives the
    whole text's syllables there.  Lazy: a snippet stops reading early.  A short text, or one
    with no cut near a candidate, is read whole from there on."""
    cand = _candidate_re(terms) if len(norm) > _WHOLE_TEXT else None
    if cand is None:
        yield 0, len(norm)
        return
    reach = _SLACK + 40 * max(len(seq) for seq in terms.sequences)
    cur: list[int] | None = None
    for m in cand.finditer(norm):
        c = m.start()
        if cur and c + reach <= cur[1]:
            continue  # inside the current window already
        b = _cut_after(norm, c + reach)
        if cur and c <= cur[1] + reach and b is not None and b - cur[0] <= _MAX_WINDOW:
            a = cur[0]
        else:
            # A new window, even where candidates are dense, so that a snippet can stop
            # early; it may overlap the last one (the caller drops repeated hits).
            a = _cut_before(norm, c)
        if a is None or b is None:
            if cur and a == cur[0]:
                yield a, len(norm)
                return
            if cur:
                yield tuple(cur)
            # The end of a window is white space outside any token: a cut too.
            yield (a if a is not None else cur[1] if cur else 0), len(norm)
            return
        if cur and a == cur[0]:
            cur[1] = b
        else:
            if cur:
                yield tuple(cur)
            cur = [a, b]
    if cur:
        yield tuple(cur)


def match_spans(text: str, terms: MatchTerms) -> list[tuple[int, int]]:
    """Character spans of ``text`` (original offsets) where the query's sequences occur.

    A syllable typed without accents matches any accented form; one typed with accents
    matches its exact form, or its folded form when the text has no exact match at all.
    Adjacent matches merge into one span, so "Nghị quyết Trung ương 4" is one ``<mark>``.
    """
    return _merged(text, sorted({(a, b) for a, b, _ in _scan(text, terms)}))


Hit = tuple[int, int, tuple[str, ...]]  # start, end (original offsets) and the sequence found there


def _scan(text: str, terms: MatchTerms, stop: Callable[[list[Hit], int], bool] | None = None) -> list[Hit]:
    """Where the query's sequences occur in ``text``, in reading order.

    Only short windows around cheap candidates (see ``_windows``) are tokenised: the pipeline's
    syllables cost ~5× a plain regex pass, and a 5 MB report must not take a minute.  Before
    each window after the first, ``stop(hits so far, where the window begins)`` may end the
    reading (a snippet that has found its passage looks no further).
    """
    if not terms:
        return []
    norm, offsets = normalize_with_offsets(text)
    pending = _windows(norm, terms)
    windows: list[tuple[int, int]] = []
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for seq in terms.sequences:
        by_first.setdefault(fold_diacritics(seq[0]), []).append(seq)
    read: list[tuple[list, list, list]] = []  # each window's syllables, read once

    def window(n: int):
        """Window ``n``'s syllables, or None after the last window."""
        if n == len(windows):
            nxt = next(pending, None)
            if nxt is None:
                return None
            windows.append(nxt)
        if n == len(read):
            units = surface_units(norm, offsets, *windows[n])
            canon = [u[0].lower() for u in units]  # the pipeline's numbers are canonical already
            read.append((units, canon, list(map(fold_diacritics, canon))))
        return read[n]

    def begins(n: int) -> int:
        a = windows[n][0]
        return a if offsets is None else offsets[0][a] if a < len(offsets[0]) else len(text)

    def find(loose: bool) -> list[Hit]:
        found: list[Hit] = []
        seen: set[Hit] = set()  # windows may overlap: a hit in both is one hit
        for n in itertools.count():
            read_n = window(n)
            if read_n is None or (stop and found and stop(found, begins(n))):
                break
            units, canon, folded = read_n
            for i, f in enumerate(folded):
                for seq in by_first.get(f, ()):
                    j = i + len(seq)
                    if j <= len(units) and not any(u[3] for u in units[i + 1:j]) and all(
                        canon[i + k] == s or folded[i + k] == s or (loose and folded[i + k] == fold_diacritics(s))
                        for k, s in enumerate(seq)
                    ):
                        hit = (units[i][1], units[j - 1][2], seq)
                        if hit not in seen:
                            seen.add(hit)
                            found.append(hit)
        return found

    return find(loose=False) or find(loose=True)


def _merged(text: str, hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent matches merge into one <mark>, but never across a comma or a sentence end."""
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


def _best_passage(text: str, hits: list[Hit], weight: dict, width: int) -> tuple[int, tuple[int, int]]:
    """The start of the passage of ``width`` characters that holds the most of the query,
    among passages beginning at one of the first MAX_WINDOWS hits, and its score: first the
    query's sequences it holds (each once, by its length), then the most of them side by
    side in one mark ("giá vàng" beats "giá … vàng"); the earliest of equals."""
    best, best_score = (hits[0][0] if hits else 0), (-1, -1)
    for i, (a, _, _) in enumerate(hits[:MAX_WINDOWS]):
        seen, together, run, run_end = set(), 0, set(), -1
        for x, y, seq in hits[i:]:
            if x > a + width:
                break  # hits are in reading order: nothing later fits
            if y > a + width:
                continue
            seen.add(seq)
            if run and (x <= run_end or not breaks_adjacency(text[run_end:x])):
                run.add(seq)  # the same <mark> as the hit before (see ``_merged``)
            else:
                run = {seq}
            run_end = max(run_end, y)
            together = max(together, len(run))
        score = (sum(weight[seq] for seq in seen), together)
        if score > best_score:
            best, best_score = a, score
    return best, best_score


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
    # The best passage begins at one of the first MAX_WINDOWS hits and ends within ``width``.
    # Reading stops once a passage holds every sequence side by side (none can beat it;
    # earlier ones win ties), or once the first MAX_WINDOWS hits are found, and the text up
    # to the passage's end is read.
    weight = {seq: len(" ".join(seq)) for seq in terms.sequences}
    perfect = (sum(weight.values()), len(weight))

    def stop(found: list[Hit], at: int) -> bool:
        if len(found) > MAX_WINDOWS:
            return at > sorted(found)[MAX_WINDOWS - 1][0] + width
        a, score = _best_passage(text, sorted(found), weight, width)
        return score == perfect and at > a + width

    hits = sorted(_scan(text, terms, stop))
    spans = _merged(text, sorted({(a, b) for a, b, _ in hits}))
    if len(text) <= width:
        return mark(text, spans)
    first, _ = _best_passage(text, hits, weight, width)
    start = max(0, first - width // 5) if hits else 0
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
