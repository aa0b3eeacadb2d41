"""Reading a query typed without accents as the words the user most likely meant.

``tham nhung`` folds the same as ``tham nhũng`` and ``thầm những``; matching the folded form
finds both (and every other word that folds the same), which floods the result set.  The
index itself says which reading is likely: its accented syllables with their document
frequencies (the candidates for each typed syllable), and about how many articles hold each
candidate pair side by side: the folded pair's frequency (``body_fb``) shared out as its
accented forms occur in a sample of the articles holding it, which tells ``tham nhũng``
(hundreds) from ``thầm những`` (a handful).  The sample is chosen by a hash of the articles'
ids, not by document number, so two builds of one corpus read a query alike whatever order
the indexing workers wrote the articles in.  A Viterbi pass over the
query's syllables picks the reading with the most such evidence (a bigram model whose counts
are document frequencies).

Where the runner-up reading comes close (``biến động`` / ``biển đông``), the reading is
uncertain: the runner-up is kept as a lower-ranked alternative.  A syllable the index has
no accented form of (a typo, a foreign name) is matched by its folded form.
"""
from __future__ import annotations

import hashlib
import math
import re
import threading
from dataclasses import dataclass, field

import numpy as np

from index.analysis import bigram
from index.normalize import fold_diacritics, normalize_tone_marks
from search.query import query_units

MAX_CANDIDATES = 6  # accented forms tried per typed syllable, most frequent first
UNIGRAM_WEIGHT = 0.3  # a syllable's own frequency, against the evidence of its neighbours
PAIR_SMOOTHING = 0.5
SAMPLE_DOCS = 24  # articles read to tell the accented forms of one folded pair apart
UNCERTAIN_RATIO = 2.0  # a runner-up with at least half the best reading's evidence is kept


@dataclass
class Reading:
    """The accented reading of a query: the text to search, and where it is unsure."""

    text: str  # the query with each unaccented syllable replaced by its likeliest form
    changed: bool = False
    runner_up: dict[str, str] = field(default_factory=dict)  # chosen syllable -> close second
    ratio: dict[str, float] = field(default_factory=dict)  # chosen syllable -> second/best evidence
    unknown: set[str] = field(default_factory=set)  # folded syllables the index has no form of


def is_unaccented(text: str) -> bool:
    """Whether a query has letters and not one diacritic: then it is read, not taken as typed."""
    return any(c.isalpha() for c in text) and fold_diacritics(text) == text


def needs_reading(text: str) -> bool:
    """Whether a query is read: typed without accents, or with two syllables in a row
    typed without while others have them (``tinh uy Kiên Giang``, as a completion leaves it).
    One plain syllable among accented ones (``tham nhũng``) is taken as typed."""
    if is_unaccented(text):
        return True
    run = 0
    for u in query_units(text):
        if _readable(u.text) and fold_diacritics(u.text) == u.text:
            run = run + 1 if not u.begins_run else 1
            if run >= 2:
                return True
        else:
            run = 0
    return False


def _readable(syl: str) -> bool:
    """A syllable the reader may give accents: letters, not a capitalised abbreviation
    ("TW", "NQ", "OR"), which is kept as typed."""
    return syl.isalpha() and not (len(syl) > 1 and syl.isupper())


def read_ids(reader) -> list | None:
    """Every document's id (bytes), by document number, from the id column (None without one)."""
    return list(reader.column_reader("id")) if reader.has_column("id") else None


def id_hashes(ids: list) -> np.ndarray:
    """A 64-bit hash of each id: the order the accent reader samples articles in."""
    return np.array([int.from_bytes(hashlib.blake2b(i if isinstance(i, bytes) else i.encode("utf-8"),
                                                    digest_size=8).digest(), "big") for i in ids], dtype=np.uint64)


class AccentReader:
    """Reads unaccented queries with one reader generation's statistics."""

    def __init__(self, postings, vocabulary, order: np.ndarray | None = None, alive: np.ndarray | None = None):
        """``order``: ``id_hashes`` of the generation's ids (read here when not given);
        ``alive``: its live documents (deleted ones are not sampled nor counted)."""
        self.postings = postings
        self.vocab = vocabulary
        self._pairs: dict[tuple[str, str], dict] = {}
        self._lock = threading.Lock()
        self._capital: dict[tuple[str, str], bool] = {}
        self._order = order
        self._alive = alive

    def candidates(self, typed: str) -> list[tuple[str, int]]:
        """Accented forms of one typed syllable with their document frequencies."""
        low = typed.lower()
        if low.isdigit():
            return [(low.lstrip("0") or "0", 1)]
        forms = self.vocab.syllables.get(fold_diacritics(low), [])
        if fold_diacritics(low) != low:
            # Typed with accents: taken as typed, it only gives its neighbours context.
            return [(low, next((df for f, df in forms if f == low), 1))]
        return forms[:MAX_CANDIDATES]

    def pair_count(self, x: str, y: str) -> float:
        """About how many articles hold ``x y`` side by side, accents as given."""
        fx, fy = fold_diacritics(x), fold_diacritics(y)
        forms = self.pair_forms(fx, fy)
        return forms.get((x, y), 0.0)

    def pair_forms(self, fx: str, fy: str) -> dict[tuple[str, str], float]:
        """The accented forms of a folded syllable pair, each with its estimated document
        frequency: the folded pair's frequency (``body_fb``) shared out as the forms occur
        in a sample of the articles holding it (their stored text, read once and cached)."""
        key = (fx, fy)
        if key in self._pairs:
            return self._pairs[key]
        docs = self.postings.postings("body_fb", bigram(fx, fy))[0]
        if self._alive is not None:
            docs = docs[self._alive[docs]]
        forms: dict[tuple[str, str], float] = {}
        if len(docs):
            sample = self._sample(docs)
            pattern = _pair_pattern(fx, fy)
            seen: dict[tuple[str, str], int] = {}
            capital: dict[tuple[str, str], list[int]] = {}
            reader = self.postings.reader
            for d in sample.tolist():
                fields = reader.stored_fields(int(d))
                text = normalize_tone_marks((fields.get("title") or "") + "\n" + (fields.get("body") or ""))
                doc_forms = set()
                for m in pattern.finditer(text):
                    form = (m.group(1).lower(), m.group(2).lower())
                    doc_forms.add(form)
                    # How the second syllable is written inside a sentence: "xây dựng Đảng".
                    c = capital.setdefault(form, [0, 0])
                    c[0] += m.group(2)[:1].isupper()
                    c[1] += 1
                for form in doc_forms:
                    seen[form] = seen.get(form, 0) + 1
            scale = len(docs) / len(sample)
            forms = {f: c * scale for f, c in seen.items()}
            with self._lock:
                self._capital.update({f: up / n > 0.5 for f, (up, n) in capital.items()})
        with self._lock:
            self._pairs[key] = forms
        return forms

    def _sample(self, docs: np.ndarray) -> np.ndarray:
        """``SAMPLE_DOCS`` of ``docs``, the same articles whatever their document numbers: those
        whose ids hash lowest (an index without the id column: evenly by number)."""
        if len(docs) <= SAMPLE_DOCS:
            return docs
        order = self._id_order()
        if order is None:
            return docs[:: len(docs) // SAMPLE_DOCS][:SAMPLE_DOCS]
        return np.sort(docs[np.argpartition(order[docs], SAMPLE_DOCS)[:SAMPLE_DOCS]])

    def _id_order(self) -> np.ndarray | None:
        """A 64-bit hash of each document's id, by document number (read once per generation)."""
        if self._order is None:
            cache = self.postings
            reader = getattr(cache.reader, "raw", cache.reader)
            with cache.read_lock:
                ids = read_ids(reader)
            if ids is None:
                return None
            order = id_hashes(ids)
            with self._lock:
                self._order = order
        return self._order

    def capitalised(self, x: str, y: str) -> bool:
        """Whether the index's articles write ``y`` capitalised after ``x`` ("dựng Đảng")."""
        self.pair_forms(fold_diacritics(x), fold_diacritics(y))
        return self._capital.get((x, y), False)

    def read_run(self, typed: list[str]) -> list[tuple[str, str | None, float]]:
        """Per syllable of a run: (likeliest form, close runner-up or None, runner-up/best)."""
        cands = [self.candidates(t) or [(t.lower(), 0)] for t in typed]
        unary = [[UNIGRAM_WEIGHT * math.log(df + 1) for _, df in c] for c in cands]

        def pair(i: int, a: int, b: int) -> float:
            return math.log(self.pair_count(cands[i][a][0], cands[i + 1][b][0]) + PAIR_SMOOTHING)

        n = len(cands)
        fwd = [list(unary[0])]
        for i in range(1, n):
            fwd.append([unary[i][b] + max(fwd[i - 1][a] + pair(i - 1, a, b) for a in range(len(cands[i - 1])))
                        for b in range(len(cands[i]))])
        bwd = [[0.0] * len(c) for c in cands]
        for i in range(n - 2, -1, -1):
            bwd[i] = [max(pair(i, a, b) + unary[i + 1][b] + bwd[i + 1][b] for b in range(len(cands[i + 1])))
                      for a in range(len(cands[i]))]
        out = []
        for i in range(n):
            # Max-marginals: the best whole reading through each candidate of syllable i.
            marg = sorted(((fwd[i][a] + bwd[i][a], a) for a in range(len(cands[i]))), reverse=True)
            best = cands[i][marg[0][1]][0]
            second, ratio = None, 0.0
            if len(marg) > 1:
                ratio = math.exp(marg[1][0] - marg[0][0])
                if ratio >= 1 / UNCERTAIN_RATIO:
                    second = cands[i][marg[1][1]][0]
            out.append((best, second, ratio))
        return out

    def read(self, text: str) -> Reading:
        """The accented reading of a whole query; quotes, ``OR``, ``-`` and capitalised
        abbreviations (``TW``, ``NQ``) are kept as typed and break the runs of syllables;
        syllables typed with accents stay as typed and are context for the others."""
        if not needs_reading(text):
            return Reading(text)
        reading = Reading(text)
        replaced: dict[int, tuple[int, str]] = {}
        run: list = []

        def flush():
            if not run:
                return
            for u, (best, second, ratio) in zip(run, self.read_run([u.text for u in run])):
                if not u.text.isalpha():
                    continue  # a number gives its neighbours context, kept as typed
                if not self.candidates(u.text):
                    reading.unknown.add(u.text.lower())
                    best = u.text.lower()
                elif second:
                    reading.runner_up[best] = second
                    reading.ratio[best] = ratio
                replaced[u.start] = (u.end, _case_like(u.text, best))
            run.clear()

        # The query is cut as documents are (search/query.py ``query_units``): a number
        # ("1.000"), a date or a code is one unit kept as typed, and a run of syllables ends
        # where punctuation, a quote or an exclusion separates them.
        for u in query_units(text):
            if u.begins_run:
                flush()
            if _readable(u.text) or u.text.isdigit():
                run.append(u)
            else:
                flush()
        flush()
        pieces, last = [], 0
        for start in sorted(replaced):
            end, form = replaced[start]
            pieces += [text[last:start], form]
            last = end
        pieces.append(text[last:])
        reading.text = "".join(pieces)
        reading.changed = reading.text != text
        return reading


def _case_like(typed: str, form: str) -> str:
    return form[:1].upper() + form[1:] if typed[:1].isupper() else form


_FOLDS: dict[str, str] = {}


def _letter_class(c: str) -> str:
    """A regex class of every lowercase letter that folds to ``c`` ("d" -> "[dđ]")."""
    if not _FOLDS:
        for cp in range(0x61, 0x1EFA):
            ch = chr(cp)
            if ch.isalpha() and ch == ch.lower():
                base = fold_diacritics(ch)
                if len(base) == 1 and base.isascii():
                    _FOLDS[base] = _FOLDS.get(base, "") + ch
    return "[" + re.escape(_FOLDS.get(c, c)) + "]" if c.isalpha() else re.escape(c)


def _pair_pattern(fx: str, fy: str) -> re.Pattern:
    """Two adjacent syllables folding to ``fx fy`` in lowercase text, in any accented form."""
    part = (lambda f: "".join(_letter_class(c) for c in f))
    return re.compile(rf"(?<![^\W_])({part(fx)})[ \t]+({part(fy)})(?![^\W_])", re.IGNORECASE)
