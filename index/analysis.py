"""The one Vietnamese analysis pipeline, shared by the indexer and the query builder.

``segment(text)`` normalises the text (NFC, one tone-mark style, no invisible characters),
protects document codes and dates, cuts it into syllables and asks pyvi's CRF model, one
sentence at a time, which syllables form words.  Every word and syllable keeps its
character offsets *in the original text*, so highlights are exact.

The Whoosh analyzers at the bottom are thin views of that segmentation: words, syllables
(with positions, for phrases) and diacritic-folded syllables.  They are module-level
classes that hold no model on ``self``: Whoosh pickles analyzers into the index schema.
"""
from __future__ import annotations

import functools
import re
import string
from typing import NamedTuple

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from index.normalize import fold_diacritics, normalize_with_offsets

# Bump when analysis changes in a way that changes indexed terms: old indexes are refused.
ANALYZER_VERSION = "vi-3"

# Party and state document codes ("05-CT/TW", "07 - NQ/HU", "31-CTr/TU", "123/2020/NĐ-CP")
# and full dates: pyvi would split them into "05 - CT / TW" and "04 / 06 / 2021".
_CODE = (
    r"\d{1,4}(?:/\d{4})?\s?[-–]\s?[A-ZĐ][A-Za-zĐđ]{0,7}(?:-[A-ZĐ][A-Za-zĐđ]{0,7})?"
    r"/[A-ZĐ][A-Za-zĐđ]{0,9}(?:-[A-ZĐ][A-Za-zĐđ]{0,7})?"
    r"|\d{1,4}/\d{4}/[A-ZĐ][A-Za-zĐđ]{0,7}-[A-ZĐ][A-Za-zĐđ]{0,9}"
)
_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d(?!\d)"
_NUMBER = r"\d+(?:[.,]\d+)+"
_TOKEN_RE = re.compile(
    rf"(?P<code>{_CODE})|(?P<date>{_DATE})|(?P<number>{_NUMBER})|(?P<word>[^\W_]+)|(?P<punct>[^\w\s])"
)
# Sentence ends for pyvi: it is faster and as accurate fed sentence by sentence.
_SENTENCE_END = set(".!?;:…\n")
_MAX_SENTENCE = 120  # syllables; a run-on "sentence" (tables, lists) is cut here
_PARTS_RE = re.compile(r"[^\W_]+")


class Syllable(NamedTuple):
    """One syllable (or one part of a code or date), its form and its place in the original."""

    text: str
    start: int
    end: int


class Word(NamedTuple):
    """One pyvi word: syllables joined by ``_`` ("Nghị_quyết"), or a whole code or date."""

    text: str
    start: int
    end: int
    syllables: tuple[Syllable, ...]


def _canonical_number(digits: str) -> str:
    """Drop leading zeros so "05" and "5" match.

    >>> _canonical_number("05"), _canonical_number("0"), _canonical_number("2021")
    ('5', '0', '2021')
    """
    return digits.lstrip("0") or "0"


def _protected_word(kind: str, text: str, start: int, end: int) -> Word:
    """A code or a date kept whole as a word, and searchable by its parts as syllables."""
    parts = tuple(
        Syllable(_canonical_number(m.group()) if m.group().isdigit() else m.group(),
                 start + m.start(), start + m.end())
        for m in _PARTS_RE.finditer(text)
    )
    if kind == "date":
        whole = "/".join(p.text for p in parts)
    else:
        whole = re.sub(r"\s+", "", text).replace("–", "-")
    return Word(whole, start, end, parts)


@functools.cache
def _crf():
    """Load pyvi once per process (0.7 s, ~110 MB): nothing else may import it."""
    from pyvi.ViTokenizer import ViTokenizer

    return ViTokenizer


def _sentences(norm: str):
    """Yield lists of (kind, text, start, end) token tuples, one list per sentence."""
    sentence = []
    for m in _TOKEN_RE.finditer(norm):
        kind = m.lastgroup
        tok = m.group()
        sentence.append((kind, tok, m.start(), m.end()))
        if (kind == "punct" and tok in _SENTENCE_END) or len(sentence) >= _MAX_SENTENCE:
            yield sentence
            sentence = []
        elif kind != "punct" and "\n" in norm[m.end():m.end() + 2]:
            yield sentence
            sentence = []
    if sentence:
        yield sentence


def _joins(prev: str, cur: str, label: str) -> bool:
    """pyvi's own rule for gluing a syllable to the previous one (ViTokenizer.tokenize)."""
    return (
        label == "I_W"
        and cur not in string.punctuation
        and prev not in string.punctuation
        and not cur[0].isdigit()
        and not prev[0].isdigit()
        and not (cur[0].istitle() and not prev[0].istitle())
    )


def _features(sentence: list[str], bi_grams: set, tri_grams: set) -> list[dict]:
    """pyvi's CRF features (``ViTokenizer.sent2features``), computed once per token.

    pyvi recomputes each token's lowercase and case flags for every neighbour that looks
    at it; this gives the very same dicts (a test compares them) in about half the time.
    """
    n = len(sentence)
    low = [w.lower() for w in sentence]
    title = [w.istitle() for w in sentence]
    upper = [w.isupper() for w in sentence]
    feats = []
    for i in range(n):
        f = {"bias": 1.0, "word.lower()": low[i], "word.isupper()": upper[i],
             "word.istitle()": title[i], "word.isdigit()": sentence[i].isdigit()}
        if i > 0:
            f["-1:word.lower()"] = low[i - 1]
            f["-1:word.istitle()"] = title[i - 1]
            f["-1:word.isupper()"] = upper[i - 1]
            f["-1:word.bi_gram()"] = f"{low[i - 1]} {low[i]}" in bi_grams
            if i > 1:
                f["-2:word.tri_gram()"] = f"{low[i - 2]} {low[i - 1]} {low[i]}" in tri_grams
        if i < n - 1:
            f["+1:word.lower()"] = low[i + 1]
            f["+1:word.istitle()"] = title[i + 1]
            f["+1:word.isupper()"] = upper[i + 1]
            f["+1:word.bi_gram()"] = f"{low[i]} {low[i + 1]}" in bi_grams
            if i < n - 2:
                f["+2:word.tri_gram()"] = f"{low[i]} {low[i + 1]} {low[i + 2]}" in tri_grams
        feats.append(f)
    return feats


@functools.lru_cache(maxsize=16)
def segment(text: str) -> tuple[Word, ...]:
    """Segment ``text`` into words with offsets into ``text`` itself.

    The cache lets the word, syllable and folded fields of one document share one pyvi pass.
    """
    norm, offsets = normalize_with_offsets(text)
    sentences = list(_sentences(norm))
    if not sentences:
        return ()
    vi = _crf()
    labels = vi.model.predict([_features([t[1] for t in s], vi.bi_grams, vi.tri_grams) for s in sentences])
    words: list[Word] = []

    def at(i: int) -> int:
        return offsets[0][i] if offsets is not None else i

    def end_at(i: int) -> int:
        return offsets[1][i - 1] if offsets is not None else i

    for sentence, sent_labels in zip(sentences, labels):
        group: list[tuple[str, int, int]] = []

        def flush():
            if group:
                sylls = tuple(Syllable(s, at(a), end_at(b)) for s, a, b in group)
                words.append(Word("_".join(s.text for s in sylls), sylls[0].start, sylls[-1].end, sylls))
                group.clear()

        prev = None
        for (kind, tok, a, b), label in zip(sentence, sent_labels):
            if kind == "punct":
                flush()
            elif kind in ("code", "date"):
                flush()
                words.append(_protected_word(kind, tok, at(a), end_at(b)))
            else:
                if kind == "word" and tok.isdigit():
                    tok = _canonical_number(tok)
                if not (group and prev is not None and _joins(prev, tok, label)):
                    flush()
                group.append((tok, a, b))
            prev = tok
        flush()
    return tuple(words)


class SegmentedText(str):
    """A string that carries its segmentation, made in another process, as two lines of
    space-separated forms (words, syllables): compact to send back to the writer, which
    then needs no pyvi and no offsets (snippets are computed at search time).
    """

    def __new__(cls, text: str, words: str, syllables: str):
        obj = super().__new__(cls, text)
        obj.words, obj.syllables = words, syllables
        return obj

    def __reduce__(self):
        return (SegmentedText, (str(self), self.words, self.syllables))

    @classmethod
    def of(cls, text: str) -> "SegmentedText":
        """Segment ``text`` now, for a writer in another process."""
        words = segment(text)
        return cls(text, " ".join(w.text for w in words),
                   " ".join(s.text for w in words for s in w.syllables))


def syllables(text: str) -> list[Syllable]:
    """All syllables of ``text`` in order (codes and dates by their parts)."""
    return [s for w in segment(text) for s in w.syllables]


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
            for pos, form in enumerate(forms.split(), start_pos):
                t.text = form
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = form
                if positions:
                    t.pos = pos
                yield t
            return
        units = segment(value) if self.unit == "word" else syllables(value)
        for pos, unit in enumerate(units, start_pos):
            t.text = unit.text
            t.boost = 1.0
            t.stopped = False
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
    """Pairs of adjacent tokens ("uy ban nhan" → "uy_ban", "ban_nhan").

    Searching a pair as one term matches words and phrases without position data, however
    pyvi segmented the document.

    >>> [t.text for t in (VietnameseTokenizer("syllable") | LowercaseFilter() | FoldDiacriticsFilter() | BigramFilter())("Ủy ban nhân dân")]
    ['uy_ban', 'ban_nhan', 'nhan_dan']
    """

    def __call__(self, tokens):
        prev = None
        for t in tokens:
            text = t.text
            if prev is not None:
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
