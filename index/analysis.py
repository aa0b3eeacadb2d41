"""The one Vietnamese analysis pipeline, shared by the indexer and the query builder.

``segment(text)`` normalises the text (NFC, one tone-mark style, no invisible characters),
protects document codes and dates, cuts it into syllables and asks pyvi's CRF model, one
sentence at a time, which syllables form words.  Every word and syllable keeps its
character offsets *in the original text*, so highlights are exact.

The Whoosh analyzers at the bottom are thin views of that segmentation: words, syllables,
diacritic-folded syllables and folded syllable pairs; the writer counts the same terms
straight from the segmented forms (``term_counts``).  They are module-level
classes that hold no model on ``self``: Whoosh pickles analyzers into the index schema.
"""
from __future__ import annotations

import functools
import re
import string
from collections import Counter
from typing import Collection, NamedTuple, Sequence

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from index.normalize import fold_diacritics, normalize_with_offsets

# Bump when analysis changes in a way that changes indexed terms: old indexes are refused.
ANALYZER_VERSION = "vi-4"

# Party and state document codes ("05-CT/TW", "07 - NQ/HU", "31-CTr/TU", "123/2020/NĐ-CP")
# and full dates: pyvi would split them into "05 - CT / TW" and "04 / 06 / 2021".
_CODE = (
    r"\d{1,4}(?:/\d{4})?\s?[-–]\s?[A-ZĐ][A-Za-zĐđ]{0,7}(?:-[A-ZĐ][A-Za-zĐđ]{0,7})?"
    r"/[A-ZĐ][A-Za-zĐđ]{0,9}(?:-[A-ZĐ][A-Za-zĐđ]{0,7})?"
    r"|\d{1,4}/\d{4}/[A-ZĐ][A-Za-zĐđ]{0,7}-[A-ZĐ][A-Za-zĐđ]{0,9}"
)
# Dates are kept whole so that the "4" of "27/4" or "4/2017" never matches the "4" of
# "Trung ương 4": full dates, month/year ("4/2017", "4-2017"), day/month ("27/4"; with a
# hyphen only after a word of time, "ngày 30-4", "chiều 22-4", since "4-5" is as often a
# range of numbers) and ranges of days ("14-18/9").
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d\d"
_DATE = (
    r"\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d(?!\d)"
    rf"|(?<![\d/.,]){_MONTH}[/-]{_YEAR}(?![\d/])"
    rf"|(?<![\d/.,]){_DAY}[-–]{_DAY}/{_MONTH}(?![\d/])"
    rf"|(?<![\d/.,]){_DAY}/{_MONTH}(?![\d/])"
    rf"|(?:{'|'.join(f'(?<={w} )' for w in ('[Nn]gày', '[Ss]áng', '[Cc]hiều', '[Tt]ối', '[Tt]rưa', '[Đđ]êm', '[Hh]ôm'))})"
    rf"{_DAY}-{_MONTH}(?![\d/-])"
)
_NUMBER = r"\d+(?:[.,]\d+)+"
# Codes, dates and numbers begin with a digit: the guard spares every other position
# their alternatives (the tokeniser runs for every highlighted hit, 3× faster this way).
_TOKEN_RE = re.compile(
    rf"(?=\d)(?:(?P<code>{_CODE})|(?P<date>{_DATE})|(?P<number>{_NUMBER}))|(?P<word>[^\W_]+)|(?P<punct>[^\w\s])"
)
# Sentence ends for pyvi: it is faster and as accurate fed sentence by sentence.
_SENTENCE_END = set(".!?;:…\n")
_MAX_SENTENCE = 120  # syllables; a run-on "sentence" (tables, lists) is cut here
_PARTS_RE = re.compile(r"[^\W_]+")
_LETTERS_OR_DIGITS_RE = re.compile(r"\d+|[^\W\d_]+")
# What may sit between two syllables that are still adjacent: spaces, one hyphen or slash
# ("kinh tế - xã hội", "Hà Nội–Hải Phòng", "Covid-19"), or a dot inside a name ("TP.HCM").
# Any other punctuation (a comma, a sentence end, brackets, quotes) or a line break ends a
# run: pairs, phrases and highlights never cross it ("kiến nghị, quyết định").
_JOINING_GAP_RE = re.compile(r"[^\S\n]*(?:[-–/&+][^\S\n]*)?|\.")
# Party abbreviations that are written glued together ("NQTW4", "BCHTW"): a glued run of
# capitals (or of letters with no vowel, as typed: "nqtw") made only of these is split.
GLUED_ABBREVIATIONS = frozenset({
    "nq", "tw", "tư", "tu", "hu", "ct", "kl", "qđ", "qd", "bch", "bct", "bbt", "btv",
    "ubnd", "hđnd", "hdnd", "mttq",
})
_ABBREVIATION_STARTS = frozenset(a[:2] for a in GLUED_ABBREVIATIONS)
_VOWEL_RE = re.compile(r"[aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]")
# The syllables of a run are joined by spaces in SegmentedText; this marks a run's end.
RUN_BREAK = "|"
_PUNCTUATION = string.punctuation  # pyvi's test for a punctuation syllable ("x in string.punctuation")


class Syllable(NamedTuple):
    """One syllable (or one part of a code, date or glued form) and its place in the original."""

    text: str
    start: int
    end: int


class Word(NamedTuple):
    """One pyvi word: syllables joined by ``_`` ("Nghị_quyết"), or a whole code or date.

    ``after_break`` says that punctuation or a line break separates it from the word before:
    the two are not adjacent for pairs, phrases and highlights.
    """

    text: str
    start: int
    end: int
    syllables: tuple[Syllable, ...]
    after_break: bool = False


def breaks_adjacency(gap: str) -> bool:
    """Whether the text between two syllables separates them (see ``_JOINING_GAP_RE``).

    >>> breaks_adjacency(" "), breaks_adjacency(" - "), breaks_adjacency("."), breaks_adjacency(", ")
    (False, False, False, True)
    """
    return gap != " " and not _JOINING_GAP_RE.fullmatch(gap)


def adjacent_pairs(syllables: Sequence[str], breaks: Collection[int] = ()) -> list[tuple[str, str]]:
    """The pairs of adjacent syllables, never across a break (``breaks`` holds the indices of
    syllables that begin a new run).  Documents (``BigramFilter``) and queries form their
    syllable pairs by this one rule.

    >>> adjacent_pairs(["kien", "nghi", "quyet", "dinh"], breaks={2})
    [('kien', 'nghi'), ('quyet', 'dinh')]
    """
    return [(a, b) for i, (a, b) in enumerate(zip(syllables, syllables[1:]), 1) if i not in breaks]


def run_breaks(words: Sequence[Word]) -> set[int]:
    """The indices, among all syllables of ``words``, of those that begin a new run.

    >>> sorted(run_breaks(segment("kiến nghị, quyết định")))
    [2]
    """
    out, i = set(), 0
    for n, w in enumerate(words):
        if n and w.after_break:
            out.add(i)
        i += len(w.syllables)
    return out


def _canonical_number(digits: str) -> str:
    """Drop leading zeros so "05" and "5" match.

    >>> _canonical_number("05"), _canonical_number("0"), _canonical_number("2021")
    ('5', '0', '2021')
    """
    return digits.lstrip("0") or "0"


def _date_units(text: str, start: int) -> tuple[Syllable, ...]:
    """A date as the units it is searched by: "27/4/2017" → "27/4", "4/2017", "2017";
    "4/2017" → "4/2017", "2017"; "27/4" → "27/4"; "14-18/9" → "14/9", "18/9".  No unit is a
    bare day or month.

    >>> [u.text for u in _date_units("04.06.2021", 0)], [u.text for u in _date_units("14-18/9", 0)]
    (['4/6', '6/2021', '2021'], ['14/9', '18/9'])
    """
    parts = [(_canonical_number(m.group()), start + m.start(), start + m.end()) for m in _PARTS_RE.finditer(text)]
    if len(parts[-1][0]) < 4:  # no year: a day and month, or a range of days in one month
        (m, _, b) = parts[-1]
        return tuple(Syllable(f"{d}/{m}", a, b if i == len(parts) - 2 else e)
                     for i, (d, a, e) in enumerate(parts[:-1]))
    units = []
    if len(parts) == 3:
        (d, a, _), (m, _, b), _y = parts
        units.append(Syllable(f"{d}/{m}", a, b))
    (m, a, _), (y, ya, yb) = parts[-2:]
    units += [Syllable(f"{m}/{y}", a, yb), Syllable(y, ya, yb)]
    return tuple(units)


def _protected_word(kind: str, text: str, start: int, end: int, after_break: bool) -> Word:
    """A code or a date kept whole as a word, and searchable by its parts as syllables."""
    if kind == "date":
        units = _date_units(text, start)
        parts = [_canonical_number(m.group()) for m in _PARTS_RE.finditer(text)]
        whole = "/".join(parts) if len(units) != 2 or len(parts) != 3 else f"{parts[0]}-{parts[1]}/{parts[2]}"
        return Word(whole, start, end, units, after_break)
    parts = tuple(
        Syllable(_canonical_number(m.group()) if m.group().isdigit() else m.group(),
                 start + m.start(), start + m.end())
        for m in _PARTS_RE.finditer(text)
    )
    whole = re.sub(r"\s+", "", text).replace("–", "-")
    return Word(whole, start, end, parts, after_break)


def _abbreviation_pieces(letters: str) -> list[str] | None:
    """Split a glued run of Party abbreviations ("NQTW" → "NQ", "TW"), or None.

    >>> _abbreviation_pieces("NQTW"), _abbreviation_pieces("nqtw"), _abbreviation_pieces("ĐẢNG")
    (['NQ', 'TW'], ['nq', 'tw'], None)
    """
    low = letters.lower()
    if len(low) < 4 or not (letters.isupper() or not _VOWEL_RE.search(low)):
        return None

    def split(i: int) -> list[int] | None:
        if i == len(low):
            return []
        for n in (4, 3, 2):
            if low[i:i + n] in GLUED_ABBREVIATIONS:
                rest = split(i + n)
                if rest is not None:
                    return [i + n] + rest
        return None

    cuts = split(0)
    if not cuts or len(cuts) < 2:
        return None
    if not letters.isupper() and any(_VOWEL_RE.search(low[a:b]) for a, b in zip([0] + cuts, cuts)):
        return None
    return [letters[a:b] for a, b in zip([0] + cuts, cuts)]


def _glued_parts(tok: str) -> list[tuple[str, int, int]] | None:
    """The parts of a glued form ("TW4" → "TW", "4"; "NQTW4" → "NQ", "TW", "4"), or None
    when ``tok`` is one plain syllable.  Documents and queries split them the same way, so
    "TW4", "TW 4" and "NQ TW4" all find a document that writes "NQTW4".

    >>> _glued_parts("NQTW04"), _glued_parts("Đảng")
    ([('NQ', 0, 2), ('TW', 2, 4), ('4', 4, 6)], None)
    """
    if tok.isalpha():
        if len(tok) < 4 or tok[:2].lower() not in _ABBREVIATION_STARTS:
            return None  # the common case, decided without the search below
        pieces = _abbreviation_pieces(tok)
        if not pieces:
            return None
        out, at = [], 0
        for p in pieces:
            out.append((p, at, at + len(p)))
            at += len(p)
        return out
    if tok.isdigit():
        return None
    out = []
    for m in _LETTERS_OR_DIGITS_RE.finditer(tok):
        text = m.group()
        if text.isdigit():
            out.append((_canonical_number(text), m.start(), m.end()))
            continue
        pieces = _abbreviation_pieces(text) or [text]
        at = m.start()
        for p in pieces:
            out.append((p, at, at + len(p)))
            at += len(p)
    return out if len(out) > 1 else None


@functools.cache
def _crf():
    """Load pyvi once per process (0.7 s, ~110 MB): nothing else may import it."""
    from pyvi.ViTokenizer import ViTokenizer

    return ViTokenizer


def _sentences(norm: str):
    """Yield lists of (kind, text, start, end) token tuples, one list per sentence."""
    sentence = []
    append = sentence.append
    for m in _TOKEN_RE.finditer(norm):
        kind = m.lastgroup
        tok = m.group()
        a, b = m.span()
        append((kind, tok, a, b))
        if kind == "punct":
            end = tok in _SENTENCE_END
        else:
            end = norm.startswith("\n", b) or norm.startswith("\n", b + 1)
        if end or len(sentence) >= _MAX_SENTENCE:
            yield sentence
            sentence = []
            append = sentence.append
    if sentence:
        yield sentence


def _features(sentence: list[str], bi_grams: set, tri_grams: set) -> list[list[str]]:
    """pyvi's CRF features (``ViTokenizer.sent2features``) as the attributes CRFsuite makes
    of them: a string value ``v`` of feature ``k`` is attribute ``k:v``, a true flag is ``k``,
    a false flag (weight 0) is left out, in pyvi's order.

    pyvi builds a dict per token, recomputing each token's lowercase and case flags for every
    neighbour, and CRFsuite converts every dict again; the attribute lists give the very same
    labels (a test compares them with pyvi's) with features and tagging 2-3× faster.
    """
    n = len(sentence)
    low = [w.lower() for w in sentence]
    title = [w.istitle() for w in sentence]
    upper = [w.isupper() for w in sentence]
    # Each neighbour pair and triple is looked up once, not once from each side.
    bi = [f"{a} {b}" in bi_grams for a, b in zip(low, low[1:])]
    tri = [f"{a} {b} {c}" in tri_grams for a, b, c in zip(low, low[1:], low[2:])]
    feats = []
    for i in range(n):
        f = ["bias", "word.lower():" + low[i]]
        if upper[i]:
            f.append("word.isupper()")
        if title[i]:
            f.append("word.istitle()")
        if sentence[i].isdigit():
            f.append("word.isdigit()")
        if i > 0:
            f.append("-1:word.lower():" + low[i - 1])
            if title[i - 1]:
                f.append("-1:word.istitle()")
            if upper[i - 1]:
                f.append("-1:word.isupper()")
            if bi[i - 1]:
                f.append("-1:word.bi_gram()")
            if i > 1 and tri[i - 2]:
                f.append("-2:word.tri_gram()")
        if i < n - 1:
            f.append("+1:word.lower():" + low[i + 1])
            if title[i + 1]:
                f.append("+1:word.istitle()")
            if upper[i + 1]:
                f.append("+1:word.isupper()")
            if bi[i]:
                f.append("+1:word.bi_gram()")
            if i < n - 2 and tri[i]:
                f.append("+2:word.tri_gram()")
        feats.append(f)
    return feats


def _labels(sentences: list[list[tuple]]) -> list[list[str]]:
    """pyvi's CRF labels (B_W / I_W) of each sentence's tokens, tagged by its model."""
    vi = _crf()
    tag = vi.model.tagger_.tag
    return [tag(_features([t[1] for t in s], vi.bi_grams, vi.tri_grams)) for s in sentences]


@functools.lru_cache(maxsize=16)
def segment(text: str) -> tuple[Word, ...]:
    """Segment ``text`` into words with offsets into ``text`` itself.

    The cache lets a query's analyzers (words, syllables, folded forms) share one pyvi pass.
    """
    norm, offsets = normalize_with_offsets(text)
    sentences = list(_sentences(norm))
    if not sentences:
        return ()
    labels = _labels(sentences)
    words: list[Word] = []
    append = words.append
    new = tuple.__new__  # Word and Syllable built without their Python-level __new__
    starts, ends = offsets if offsets is not None else (None, None)
    glue_starts, punctuation = _ABBREVIATION_STARTS, _PUNCTUATION
    last_end = None  # where the previous word ended, in ``norm``: the gap decides adjacency

    def broken(a: int) -> bool:
        if last_end is None or (a - last_end == 1 and norm[last_end] == " "):  # one space breaks nothing
            return False
        return breaks_adjacency(norm[last_end:a])

    for sentence, sent_labels in zip(sentences, labels):
        group: list[tuple[str, int, int]] = []
        group_break = False

        def flush():
            if starts is None:
                sylls = tuple([new(Syllable, g) for g in group])
            else:
                sylls = tuple([new(Syllable, (t, starts[a], ends[b - 1])) for t, a, b in group])
            text = sylls[0][0] if len(sylls) == 1 else "_".join([x[0] for x in sylls])
            append(new(Word, (text, sylls[0][1], sylls[-1][2], sylls, group_break)))
            group.clear()

        prev = None
        for (kind, tok, a, b), label in zip(sentence, sent_labels):
            if kind == "punct":
                if group:
                    flush()
                prev = tok
                continue
            glued = None
            if kind == "word" and not (tok.isalpha() and (len(tok) < 4 or tok[:2].lower() not in glue_starts)) \
                    and not tok.isdigit():
                glued = _glued_parts(tok)
            if kind in ("code", "date") or glued:
                if group:
                    flush()
                at = starts[a] if starts is not None else a
                end = ends[b - 1] if starts is not None else b
                if glued:
                    # A glued form is one word of several syllables, never joined by pyvi.
                    sylls = tuple(Syllable(t, a + x, a + y) if starts is None
                                  else Syllable(t, starts[a + x], ends[a + y - 1]) for t, x, y in glued)
                    append(Word("_".join(t for t, _, _ in glued), at, end, sylls, broken(a)))
                else:
                    append(_protected_word(kind, tok, at, end, broken(a)))
            else:
                if kind == "word" and tok.isdigit():
                    tok = _canonical_number(tok)
                # pyvi's own rule for gluing a syllable to the previous one (ViTokenizer.tokenize)
                if not (group and prev is not None and label == "I_W"
                        and tok not in punctuation and prev not in punctuation
                        and not tok[0].isdigit() and not prev[0].isdigit()
                        and not (tok[0].istitle() and not prev[0].istitle())):
                    if group:
                        flush()
                    group_break = broken(a)
                group.append((tok, a, b))
            prev = tok
            last_end = b
        if group:
            flush()
    return tuple(words)


def surface_syllables(text: str) -> list[tuple[str, int, int, bool]]:
    """The syllables of ``text`` as :func:`segment` cuts them, as ``(form, start, end,
    begins_run)``, without pyvi (which only groups syllables into words): for highlighting
    and re-reading stored text at search time.  Offsets point into ``text``.  Plain tuples
    and an inlined common case: this runs over the body of every highlighted hit.

    >>> [(s[0], s[3]) for s in surface_syllables("Ngày 27/4, NQTW4")]
    [('Ngày', False), ('27/4', False), ('NQ', True), ('TW', False), ('4', False)]
    """
    return surface_units(*normalize_with_offsets(text))


def surface_units(norm: str, offsets, pos: int = 0, endpos: int | None = None) -> list[tuple[str, int, int, bool]]:
    """:func:`surface_syllables` of ``norm[pos:endpos]``, ``norm`` and ``offsets`` being what
    ``normalize_with_offsets`` made of the text.  The highlighter reads short windows of a long
    body this way; a window must begin and end at a cut (see ``search.highlight``) so that its
    tokens are the whole text's.  The regex reads the text before ``pos`` for its lookbehinds."""
    out: list[tuple[str, int, int, bool]] = []
    append = out.append
    starts = _ABBREVIATION_STARTS
    last_end = -2
    for m in _TOKEN_RE.finditer(norm, pos, len(norm) if endpos is None else endpos):
        kind = m.lastgroup
        if kind == "punct":
            continue
        a, b = m.span()
        # The first syllable begins no run; one space (by far the commonest gap) breaks none.
        if last_end < 0 or (a - last_end == 1 and norm[last_end] == " "):
            brk = False
        else:
            brk = breaks_adjacency(norm[last_end:a])
        last_end = b
        tok = m.group()
        if kind == "word" and (len(tok) < 4 or tok[:2].lower() not in starts) and tok.isalpha():
            if offsets is None:
                append((tok, a, b, brk))
            else:
                append((tok, offsets[0][a], offsets[1][b - 1], brk))
            continue
        if kind == "word":
            glued = None if tok.isdigit() else _glued_parts(tok)
            units = ([(t, a + x, a + y) for t, x, y in glued] if glued
                     else ((_canonical_number(tok) if tok.isdigit() else tok, a, b),))
        elif kind == "number":
            units = ((tok, a, b),)
        else:
            units = _protected_word(kind, tok, a, b, brk).syllables
        for t, x, y in units:
            if offsets is not None:
                x, y = offsets[0][x], offsets[1][y - 1]
            append((t, x, y, brk))
            brk = False
    return out


class SegmentedText(str):
    """A string that carries its segmentation, made in another process, as two lines of
    space-separated forms (words, syllables): compact to send back to the writer, which
    then needs no pyvi and no offsets (snippets are computed at search time).  In the
    syllables, ``RUN_BREAK`` stands between two runs (see :func:`breaks_adjacency`).
    """

    def __new__(cls, text: str, words: str, syllables: str):
        obj = super().__new__(cls, text)
        obj.words, obj.syllables = words, syllables
        return obj

    def __reduce__(self):
        return (SegmentedText, (str(self), self.words, self.syllables))

    def term_counts(self, unit: str, folded: bool = False, pairs: bool = False) -> Counter:
        """The lowercased terms the analyzers of this module make of this text, counted:
        words or syllables, ``folded`` without diacritics, as ``pairs`` of adjacent folded
        syllables (never across a run break).  What the writer indexes; equal to counting
        the tokens of ``word_analyzer()``, ``syllable_analyzer()``, ``folded_analyzer()``
        and ``folded_bigram_analyzer()`` (tests compare them), at a fraction of the cost:
        no Token per term, each distinct syllable folded once.

        >>> t = SegmentedText.of("Ủy ban, ủy ban nhân dân")
        >>> sorted(t.term_counts("syllable", folded=True, pairs=True).items())
        [('ban_nhan', 1), ('nhan_dan', 1), ('uy_ban', 2)]
        """
        if unit == "word":
            return Counter(self.words.lower().split())
        forms = self.syllables.lower().split()
        if not pairs:
            counts = Counter(forms)
            counts.pop(RUN_BREAK, None)
            if not folded:
                return counts
            out: Counter = Counter()
            for form, n in counts.items():
                out[_folded_form(form)] += n
            return out
        folded_forms = list(map(_folded_form, forms))
        out = Counter(map(bigram, folded_forms, folded_forms[1:]))
        if RUN_BREAK in folded_forms:  # no pair across a break
            for key in [k for k in out if RUN_BREAK in k]:
                del out[key]
        return out

    @classmethod
    def of(cls, text: str) -> "SegmentedText":
        """Segment ``text`` now, for a writer in another process."""
        words = segment(text)
        sylls = []
        extend = sylls.extend
        for n, (_, _, _, parts, after_break) in enumerate(words):  # Word fields, unpacked
            if after_break and n:
                sylls.append(RUN_BREAK)
            extend([p[0] for p in parts])
        return cls(text, " ".join([w[0] for w in words]), " ".join(sylls))


@functools.lru_cache(maxsize=1 << 18)
def _folded_form(form: str) -> str:
    """``fold_diacritics`` of one lowercased syllable, remembered: a corpus has few."""
    return fold_diacritics(form)


def syllables(text: str) -> list[Syllable]:
    """All syllables of ``text`` in order (codes and dates by their parts)."""
    return [s for w in segment(text) for s in w.syllables]


def _syllables_with_breaks(text: str) -> list[tuple[Syllable, bool]]:
    """All syllables of ``text``, each with whether it begins a new run."""
    return [(s, bool(n and w.after_break and i == 0))
            for n, w in enumerate(segment(text)) for i, s in enumerate(w.syllables)]


class VietnameseTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`segment`, yielding words or syllables.

    >>> [t.text for t in VietnameseTokenizer("syllable")("Sinh hoạt chi bộ")]
    ['Sinh', 'hoạt', 'chi', 'bộ']
    """

    def __init__(self, unit: str = "word"):
        self.unit = unit

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.unit == other.unit

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if isinstance(value, SegmentedText) and not chars:
            forms = value.words if self.unit == "word" else value.syllables
            pos = start_pos
            after_break = False
            for form in forms.split():
                if form == RUN_BREAK:
                    after_break = True
                    continue
                t.text = form
                t.boost = 1.0
                t.stopped = False
                t.after_break = after_break
                after_break = False
                if keeporiginal:
                    t.original = form
                if positions:
                    t.pos = pos
                pos += 1
                yield t
            return
        if self.unit == "word":
            units = [(w, w.after_break) for w in segment(value)]
        else:
            units = _syllables_with_breaks(value)
        for pos, (unit, after_break) in enumerate(units, start_pos):
            t.text = unit.text
            t.boost = 1.0
            t.stopped = False
            t.after_break = after_break
            if keeporiginal:
                t.original = unit.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + unit.start
                t.endchar = start_char + unit.end
            yield t


class FoldDiacriticsFilter(Filter):
    """Fold every token to its form without diacritics ("đảng" → "dang").

    >>> [t.text for t in (VietnameseTokenizer("syllable") | LowercaseFilter() | FoldDiacriticsFilter())("Đảng ủy")]
    ['dang', 'uy']
    """

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_diacritics(t.text)
            yield t


def bigram(first: str, second: str) -> str:
    """The term of two adjacent syllables in a bigram field.

    >>> bigram("uy", "ban")
    'uy_ban'
    """
    return f"{first}_{second}"


class BigramFilter(Filter):
    """Pairs of adjacent tokens ("uy ban nhan" → "uy_ban", "ban_nhan"), never across a
    comma, a sentence end or a line break (the rule of :func:`adjacent_pairs`).

    Searching a pair as one term matches words and phrases without position data, however
    pyvi segmented the document.

    >>> [t.text for t in (VietnameseTokenizer("syllable") | LowercaseFilter() | FoldDiacriticsFilter() | BigramFilter())("Ủy ban nhân dân")]
    ['uy_ban', 'ban_nhan', 'nhan_dan']
    >>> [t.text for t in folded_bigram_analyzer()("kiến nghị, quyết định")]
    ['kien_nghi', 'quyet_dinh']
    """

    def __call__(self, tokens):
        prev = None
        for t in tokens:
            text = t.text
            if prev is not None and not getattr(t, "after_break", False):
                t.text = bigram(prev, text)
                yield t
            prev = text


def word_analyzer():
    """Lowercased pyvi words ("nghị_quyết"), codes and dates whole."""
    return VietnameseTokenizer("word") | LowercaseFilter()


def syllable_analyzer():
    """Lowercased syllables with positions, for phrases and segmentation mismatches."""
    return VietnameseTokenizer("syllable") | LowercaseFilter()


def folded_analyzer():
    """Lowercased syllables without diacritics, for queries typed without accents."""
    return VietnameseTokenizer("syllable") | LowercaseFilter() | FoldDiacriticsFilter()


def folded_bigram_analyzer():
    """Adjacent folded syllables as one term, for words and phrases in any segmentation."""
    return folded_analyzer() | BigramFilter()


# The filter chains of the analyzers above, and what ``SegmentedText.term_counts`` computes for each.
_COUNTED = {
    (LowercaseFilter,): (False, False),
    (LowercaseFilter, FoldDiacriticsFilter): (True, False),
    (LowercaseFilter, FoldDiacriticsFilter, BigramFilter): (True, True),
}


def term_counts(analyzer, value) -> Counter | None:
    """The terms ``analyzer`` makes of ``value`` with their counts, when ``value`` is a
    :class:`SegmentedText` and ``analyzer`` one of this module's (None otherwise: run the
    analyzer).  The writer indexes these; queries go through the analyzers themselves.
    """
    if not isinstance(value, SegmentedText):
        return None
    items = getattr(analyzer, "items", None)
    if not items or type(items[0]) is not VietnameseTokenizer:
        return None
    kind = _COUNTED.get(tuple(type(x) for x in items[1:]))
    if kind is None or (items[0].unit == "word" and kind[1]):
        return None
    return value.term_counts(items[0].unit, *kind)
