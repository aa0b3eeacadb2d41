"""Matching and BM25F ranking in NumPy over postings read from the Whoosh index.

Whoosh's matchers walk every posting of every sub-query in Python (phrase spans included);
a search over 20k articles took 0.2–0.7 s that way.  Here each (field, term) posting list
is read once from Whoosh's files into two arrays (documents, term frequencies), cached,
and a query becomes a few vector operations: a BM25 score per field, weighted and summed
(BM25F-style), required words intersected as boolean masks.

Adjacent syllables are matched through the folded *bigram* fields (``body_fb``), which
turns phrases and words whose segmentation differs from the document's into plain terms.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from index.analysis import adjacent_pairs, bigram
from index.normalize import fold_diacritics

# Tuned with bench/eval.py (k1 0.9, b 0.9 beat 1.2/0.75 on both benchmarks).
K1, B = 0.9, 0.9
# Field weights, tuned with bench/eval.py (the titles of both benchmarks are empty, so the
# title weights are only as high as the body's, not tuned).
WEIGHTS = {
    "title": 1.0, "title_s": 1.0, "title_f": 1.0, "title_fb": 1.0,
    "body": 0.5, "body_s": 1.0, "body_f": 1.0, "body_fb": 0.7,
    "resolution_names": 1.0,
}
FOLDED_SHARE = 0.3  # weight of folded syllables when the query was typed with accents
PROXIMITY_WEIGHT = 1.0  # consecutive query words side by side in the document
MAX_REQUIRED = 4  # up to this many plain words, all are required
# Past MAX_REQUIRED, this share of the plain words is required (as Lucene's minimum_should_match).
# Long queries are mostly questions and headlines, whose answers hold a few of their words:
# 0.6 (with a floor of 4) cost vicov19qa MRR@10 0.37 -> 0.29; 0.3 keeps it within 0.01
# (bench/eval.py) while still dropping articles that share one or two words.
MSM_SHARE = 0.3
# A province ranks its tagged articles first only when it is what the query is about: at
# most this many other words beside it ("Long An", "tỉnh ủy Long An", "lũ lụt Cà Mau").  In a
# headline or a question ("Điểm chuẩn vào lớp 10 ở Hà Nội") the place is one detail among
# many, and the article sought is often tagged with another province or none: tiering by
# place cost vntc-knownitem MRR@10 0.672 -> 0.647 (bench/eval.py).  Documents and terms
# always rank their tagged articles first: a query naming one asks for the document.
PLACE_CONTEXT_WORDS = 2
# Question particles and pronouns of address: in a question ("… có sao không ạ?") they
# say how it is asked, not what about, and answers rarely contain them.
QUESTION_WORDS = frozenset({
    "gì", "nào", "sao", "đâu", "bao_nhiêu", "bao_giờ", "thế_nào", "như_thế_nào", "không", "chưa",
    "ạ", "à", "ư", "nhỉ", "nhé", "hả", "vậy", "hoặc", "có_phải", "phải_không",
    "tôi", "em", "anh", "chị", "mình", "cháu", "ơi", "xin", "hỏi",
})
# What makes a query a question (and so its question words ignorable).
INTERROGATIVES = frozenset({"gì", "nào", "sao", "đâu", "bao_nhiêu", "bao_giờ", "thế_nào", "như_thế_nào",
                            "có_phải", "phải_không", "gi", "nao", "dau"})
# Typed without accents, a question word is known by its folded form ("khong", "bao_nhieu").
_FOLDED_QUESTION_WORDS = frozenset(fold_diacritics(w) for w in QUESTION_WORDS) - {"a", "u", "anh", "em"}
CACHE_BYTES = 256 * 2**20  # posting-list arrays kept per reader, shared by all its searches
# The folded syllable fields are not written (index/schema.py): the folded analyzer is the
# syllable analyzer with diacritics removed, so a folded term's postings are those of every
# accented syllable that folds to it, counts summed, and its field lengths are the syllable
# field's.  Scoring reads them under these names all the same.
FOLDED_FROM = {"title_f": "title_s", "body_f": "body_s"}


@dataclass
class Scored:
    """Documents matched by part of a query, with their scores (dense over the reader)."""

    mask: np.ndarray
    score: np.ndarray
    missing: int = 0  # query words found in no document (a typo, an unknown name)
    tier: np.ndarray | None = None  # 2 per named entity an article is tagged with, +1 if it writes its name
    required: tuple[int, int] = (0, 0)  # plain words required, of how many


class PostingsCache:
    """Posting lists and field lengths of one reader generation, as NumPy arrays."""

    def __init__(self, reader, read_lock: threading.RLock | None = None):
        self.reader = reader
        # Whoosh's readers move shared file positions: one reader, one thread at a time.
        self.read_lock = read_lock or threading.RLock()
        self.n = reader.doc_count_all()
        self.leaves = list(reader.leaf_readers())
        self._lists: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._norms: dict[tuple, np.ndarray] = {}
        self._accented: dict[str, dict[str, list[str]]] = {}
        self._lock = threading.Lock()

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term frequencies) of a term; empty arrays when absent."""
        key = (field, term)
        with self._lock:
            hit = self._lists.get(key)
            if hit is not None:
                self._lists.move_to_end(key)
                return hit
        source = FOLDED_FROM.get(field)
        if source is not None:
            # The accented forms are read for the sum, not kept: only the sum takes cache room.
            value = _summed([self._read(source, form) for form in [term, *self.accented(source).get(term, ())]],
                            self.n)
        else:
            value = self._read(field, term)
        with self._lock:
            if key not in self._lists:
                self._lists[key] = value
                self._bytes += value[0].nbytes + value[1].nbytes
            while self._bytes > CACHE_BYTES and len(self._lists) > 1:
                _, (d, t) = self._lists.popitem(last=False)
                self._bytes -= d.nbytes + t.nbytes
        return value

    def _read(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings over every segment: from the cache when there, else from the files."""
        with self._lock:
            hit = self._lists.get((field, term))
        if hit is not None:
            return hit
        docs, tfs = [], []
        with self.read_lock:
            for sub, offset in self.leaves:
                if (field, term) not in sub:
                    continue
                d, w = _read_postings(sub.postings(field, term))
                docs.append(d + offset)
                tfs.append(w)
        return ((np.concatenate(docs), np.concatenate(tfs)) if docs
                else (np.zeros(0, np.int64), np.zeros(0, np.float32)))

    def accented(self, field: str) -> dict[str, list[str]]:
        """Folded form → the terms of a syllable field that fold to it, other than itself
        ("quyet" → ["quyết", "quyệt"]); read from the lexicon once per reader (0.6 s at 84k
        articles, done by ``warm``)."""
        table = self._accented.get(field)
        if table is None:
            table = {}
            with self.read_lock:
                for sub, _ in self.leaves:
                    if field not in sub.schema:
                        continue
                    for raw in sub.lexicon(field):
                        if raw.isascii():
                            continue  # folds to itself
                        form = raw.decode("utf-8")
                        folded = fold_diacritics(form)
                        if folded != form:
                            forms = table.setdefault(folded, [])
                            if form not in forms:
                                forms.append(form)
            with self._lock:
                table = self._accented.setdefault(field, table)
        return table

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length in a field, and so BM25's normalisation."""
        field = FOLDED_FROM.get(field, field)
        if field not in self._lengths:
            lengths = np.zeros(self.n, np.float32)
            with self.read_lock:
                for sub, offset in self.leaves:
                    count = sub.doc_count_all()
                    lengths[offset:offset + count] = _field_lengths(sub, field, count)
            self._lengths[field] = lengths
        return self._lengths[field]

    def norms(self, field: str) -> np.ndarray:
        """BM25's length normalisation ``k1 * (1 - b + b * len / avglen)`` per document."""
        key = (field, K1, B)
        if key not in self._norms:
            lengths = self.lengths(field)
            avg = (float(lengths.mean()) if len(lengths) else 0.0) or 1.0
            self._norms[key] = (K1 * (1 - B + B * lengths / avg)).astype(np.float32)
        return self._norms[key]

    def warm(self) -> None:
        """Compute every scoring field's length norms now (not in a search's timing)."""
        for field in WEIGHTS:
            self.norms(field)
        for field in FOLDED_FROM.values():
            self.accented(field)

    def bm25(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, BM25 scores) of a term in a field."""
        docs, tf = self.postings(field, term)
        if not len(docs):
            return docs, tf
        idf = math.log(1 + (self.n - len(docs) + 0.5) / (len(docs) + 0.5))
        return docs, (idf * tf * (K1 + 1) / (tf + self.norms(field)[docs])).astype(np.float32)


def _summed(lists: list[tuple[np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """One posting list of several terms' (documents, frequencies) over ``n`` documents, a
    document's frequencies summed (one pass over the documents, no sort)."""
    lists = [x for x in lists if len(x[0])]
    if len(lists) <= 1:
        return lists[0] if lists else (np.zeros(0, np.int64), np.zeros(0, np.float32))
    sums = np.bincount(np.concatenate([d for d, _ in lists]), np.concatenate([t for _, t in lists]), minlength=n)
    docs = np.flatnonzero(sums)
    return docs.astype(np.int64), sums[docs].astype(np.float32)


_BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


def _field_lengths(sub, field: str, count: int) -> np.ndarray:
    """Every document's length in a field, from Whoosh's one-byte length column.

    Reading the column whole is 50× faster than ``doc_field_length`` per document, but it
    is not public API: the per-document call stays as the fallback.
    """
    try:
        column = sub._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None:
            # No document of the segment has the field (untitled articles): Whoosh's
            # per-document call answers 0 for each, one slow call at a time.
            return np.zeros(count, dtype=np.float32)
        return _BYTE_TO_LENGTH[np.fromiter(column, dtype=np.uint8, count=count)]
    except (AttributeError, TypeError, ValueError):
        pass
    return np.array([sub.doc_field_length(d, field, 0) or 0 for d in range(count)], dtype=np.float32)


def _read_postings(m) -> tuple[np.ndarray, np.ndarray]:
    """All (ids, weights) of a Whoosh matcher, block by block where the format allows."""
    while isinstance(m, FilterMatcher):  # deleted documents are masked by the caller
        m = m.child
    if isinstance(m, W3LeafMatcher):
        ids, weights = [], []
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.append(np.asarray(m._ids, dtype=np.int64))
            weights.append(np.asarray(m._weights, dtype=np.float32))
            m._next_block()
        if ids:
            return np.concatenate(ids), np.concatenate(weights)
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)


def min_should_match(words: int, query_words: int | None = None) -> int:
    """How many of a query's plain words an article must hold.

    Whether the query is long (a headline, a question) is judged on all its words
    (``query_words``), the ones naming a document or a place included: "Lấn chiếm đất giữa
    lòng Hà Nội" is a headline, and requiring its four other words whole left out the
    very article it names (vntc-knownitem).

    >>> [min_should_match(n) for n in (1, 4, 5, 8, 12, 20)]
    [1, 4, 2, 3, 4, 6]
    >>> [min_should_match(n, 6) for n in (1, 2, 4)]
    [1, 2, 2]
    """
    if max(words, query_words or 0) <= MAX_REQUIRED:
        return words
    return min(words, max(2, math.ceil(MSM_SHARE * words)))


def _is_question_word(word: str, exact: bool) -> bool:
    """Whether a query word only marks the question (see QUESTION_WORDS)."""
    return word in QUESTION_WORDS if exact else word in _FOLDED_QUESTION_WORDS


class QueryScorer:
    """Evaluates a parsed query against one reader's postings.

    Matching and scoring are separate: a word *matches* a document when its folded form is
    there (one syllable, or all its syllable pairs side by side); it *scores* BM25 for each
    of its syllables (exact accented forms when the query was typed with accents, folded
    otherwise), for each pair of adjacent syllables, and for the exact pyvi word — so
    partial matches still rank in long questions, and words and phrases rank above loose
    syllables.
    """

    def __init__(self, cache: PostingsCache):
        self.cache = cache
        self.n = cache.n

    def _sum(self, fields_terms: list[tuple[str, str]], weight: float = 1.0) -> np.ndarray:
        """Weighted BM25 sum over several (field, term)."""
        score = np.zeros(self.n, np.float32)
        for field, term in fields_terms:
            docs, s = self.cache.bm25(field, term)
            score[docs] += (weight * WEIGHTS[field]) * s
        return score

    def _all(self, fields_terms: list[tuple[str, str]]) -> np.ndarray:
        """Documents holding every one of several (field, term)."""
        count = np.zeros(self.n, np.int16)
        for field, term in fields_terms:
            count[self.cache.postings(field, term)[0]] += 1
        return count == len(fields_terms)

    def match(self, syllables: list[str], word: str | None, is_phrase: bool, exact: bool = True,
              breaks=()) -> np.ndarray:
        """Documents where a word or phrase occurs, in the title or the body.

        ``exact``: as written — each syllable in its accented form and every pair side by
        side (folded pair term and both accented syllables; ``tham nhũng`` does not match
        "thầm những"), or the whole pyvi word.  Otherwise (a word the index could not read
        as accented) by its folded syllables and pairs.  Pairs are never formed across
        ``breaks`` (punctuation inside a quoted phrase).
        """
        folded = [fold_diacritics(s) for s in syllables]
        mask = np.zeros(self.n, bool)
        for part in ("title", "body"):
            pairs = adjacent_pairs(folded, breaks)
            found = self._all([(part + "_fb", bigram(a, b)) for a, b in pairs])
            if exact:
                found &= self._all([(part + "_s", s) for s in syllables])
            elif len(pairs) < len(folded) - 1 or len(folded) == 1:
                found &= self._all([(part + "_f", f) for f in folded])
            mask |= found
            if word and not is_phrase and exact:
                mask |= self._all([(part, word)])
        if word and any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            # A document code ("04-NQ/TW") also finds articles that name its twin.
            mask |= self._all([("resolution_names", word)])
        return mask

    def score(self, syllables: list[str], word: str | None, exact: bool, breaks=()) -> np.ndarray:
        """BM25F of one word or phrase: its syllables, its syllable pairs, the whole word."""
        folded = [fold_diacritics(s) for s in syllables]
        terms = []
        for part in ("title", "body"):
            if exact:
                terms += [(part + "_s", s) for s in syllables]
            terms += [(part + "_f", f) for f in folded]
            terms += [(part + "_fb", bigram(a, b)) for a, b in adjacent_pairs(folded, breaks)]
            if word and exact:
                terms.append((part, word))
        if word and any(c.isdigit() for c in word):
            terms.append(("resolution_names", word))
        score = self._sum(terms)
        if exact:
            # Folded syllables are a fallback for an accented query: count them less.
            score -= (1 - FOLDED_SHARE) * self._sum([(p + "_f", f) for p in ("title", "body") for f in folded])
        return score

    def concept(self, alternatives, exact: bool) -> Scored:
        """A query word: any of its alternatives (reading, spelling, expansion) may match;
        a less likely reading or a folded match scores less."""
        mask = np.zeros(self.n, bool)
        score = np.zeros(self.n, np.float32)
        for a in alternatives:
            strict = exact and not a.loose
            mask |= self.match(a.syllables, a.word, a.word is None, strict, a.breaks)
            weight = a.weight * (1.0 if strict or not exact else FOLDED_SHARE)
            np.maximum(score, weight * self.score(a.syllables, a.word, strict, a.breaks), out=score)
        return Scored(mask, score)

    def evaluate(self, parsed, relaxed: bool = False) -> Scored:
        """Match and score a :class:`~search.query.ParsedQuery`.

        Quoted phrases are required, and so is each Party document, term or province the
        query names (``parsed.entities``): the words naming it, or the article's tag for it.
        Plain words are all required up to MAX_REQUIRED of them; a longer query (a
        question, a headline) needs :func:`min_should_match` of them, or any when
        ``relaxed``.  Articles tagged with what the query names rank first (``tier``); a
        province only when the query is about it (see PLACE_CONTEXT_WORDS).
        """
        tier = np.zeros(self.n, np.int16)
        required = (0, 0)
        if not parsed.concepts:
            mask = np.ones(self.n, bool)
            score = np.zeros(self.n, np.float32)
            missing = 0
        else:
            # Typed (or read) with accents: matched as written, not widened by folded forms.
            exact = any(c[0].accented for c in parsed.concepts)
            kept = list(range(len(parsed.concepts)))
            if (relaxed or len(kept) > MAX_REQUIRED) and any(
                    (c[0].word or "") in INTERROGATIVES for c in parsed.concepts):
                kept = [i for i in kept if not _is_question_word(parsed.concepts[i][0].word or "", exact)] or kept
            concepts = {i: self.concept(parsed.concepts[i], exact) for i in kept}
            score = np.add.reduce([c.score for c in concepts.values()]) + self.proximity(parsed)
            score = self._phrase_first(parsed, kept, score)
            mask = np.ones(self.n, bool)
            named = set()
            place_words = sum(len(e.concepts) for e in parsed.entities if e.facet == "province")
            about_place = len(kept) - place_words <= PLACE_CONTEXT_WORDS
            plain = []
            for entity in parsed.entities:
                # A province in a headline or a question is one detail among its words: it
                # counts as one of them (tag or words), neither tiered nor required alone.
                detail = entity.facet == "province" and not about_place
                if not detail:
                    # Two steps per entity; within its tagged articles, those writing a
                    # plenum resolution by its name rank above those only naming the plenum.
                    tier += 2 * entity.docs
                    if entity.cited:
                        tier += entity.docs & self._any(("cited_resolutions", v) for v in entity.cited)
                mine = [i for i in entity.concepts if i in concepts]
                if mine:
                    # Untagged, an article holds the name as written (side by side), not its words anywhere.
                    words = [concepts[i].mask for i in mine] + [self._pairs(j) for j in entity.joins]
                    found = entity.docs | np.logical_and.reduce(words)
                    if detail:
                        plain.append(found)
                    else:
                        mask &= found
                    named.update(mine)
            for i in kept:
                if i in named:
                    continue
                if parsed.concepts[i][0].word is None:
                    mask &= concepts[i].mask  # a quoted phrase
                else:
                    plain.append(concepts[i].mask)
            if plain:
                need = 1 if relaxed else min_should_match(len(plain), len(kept))
                required = (need, len(plain))
                if need == len(plain):
                    mask &= np.logical_and.reduce(plain)
                else:
                    mask &= np.add.reduce([p.astype(np.int16) for p in plain]) >= need
            missing = sum(1 for c in concepts.values() if not c.mask.any())
        for alt in parsed.excluded:
            mask &= ~self.match(alt.syllables, alt.word, alt.word is None, not alt.loose and alt.accented, alt.breaks)
        return Scored(mask, np.where(mask, score, 0).astype(np.float32), missing, tier, required)

    def _any(self, fields_terms) -> np.ndarray:
        """Documents holding any of several (field, term)."""
        mask = np.zeros(self.n, bool)
        for field, term in fields_terms:
            mask[self.cache.postings(field, term)[0]] = True
        return mask

    def _pairs(self, pairs) -> np.ndarray:
        """Documents holding any of several folded syllable pairs side by side."""
        return self._any((part + "_fb", bigram(a, b)) for a, b in pairs for part in ("title", "body"))

    def _phrase_first(self, parsed, kept: list[int], score: np.ndarray) -> np.ndarray:
        """A short query of several words is usually a phrase the user has in mind
        ("ủy ban kiểm tra", "xuất khẩu lao động"): articles that hold the words side by side,
        in order, rank above articles that only hold them apart, however often.

        Within a word adjacency is already required; this checks the pairs where one query
        word meets the next (in the title or in the body).  Long queries (questions,
        headlines) are left to BM25 and proximity: they are rarely written out whole.
        """
        if not 2 <= len(kept) <= MAX_REQUIRED or len(kept) != len(parsed.concepts):
            return score
        words = [c[0] for c in parsed.concepts]
        if any(w.word is None for w in words):
            return score  # a quoted phrase is already matched as a phrase
        pairs = [(fold_diacritics(a.syllables[-1]), fold_diacritics(b.syllables[0]))
                 for a, b in zip(words, words[1:])]
        if any(b.after_break for b in words[1:]):
            return score
        whole = np.zeros(self.n, bool)
        for part in ("title", "body"):
            whole |= self._all([(part + "_fb", bigram(a, b)) for a, b in pairs])
        if not whole.any():
            return score
        return score + whole * np.float32(score.max() + 1.0)

    def proximity(self, parsed) -> np.ndarray | float:
        """Consecutive query words side by side in the document (their folded pair)."""
        words = [c[0] for c in parsed.concepts]
        pairs = [(fold_diacritics(a.syllables[-1]), fold_diacritics(b.syllables[0]))
                 for a, b in zip(words, words[1:]) if not b.after_break]
        if not pairs:
            return 0.0
        return PROXIMITY_WEIGHT * self._sum([(f, bigram(a, b)) for a, b in pairs for f in ("body_fb", "title_fb")])
