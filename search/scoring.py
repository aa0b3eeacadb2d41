"""Matching and BM25F ranking in NumPy over postings read from the Whoosh index.

Whoosh's matchers walk every posting of every sub-query in Python (phrase spans included);
a search over 84k articles took 0.2–0.7 s that way.  Here each (field, term) posting list
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

from index.analysis import bigram
from index.normalize import fold_diacritics

K1, B = 1.2, 0.75
# Field weights: a title match counts more; an exact accented word more than its folded form.
WEIGHTS = {
    "title": 3.0, "title_s": 1.5, "title_f": 1.0, "title_fb": 1.5,
    "body": 1.0, "body_s": 0.6, "body_f": 0.4, "body_fb": 0.7,
    "resolution_names": 1.0,
}
PROXIMITY_WEIGHT = 0.5  # consecutive query words side by side in the document
MAX_REQUIRED = 4  # longer queries are questions: any word may match, more words rank higher
STOPWORD_SHARE = 0.25  # in long queries, a word in more of the documents than this is skipped
CACHE_SIZE = 20_000  # posting lists kept (arrays), shared by all searches of a reader


@dataclass
class Scored:
    """Documents matched by part of a query, with their scores (dense over the reader)."""

    mask: np.ndarray
    score: np.ndarray


class PostingsCache:
    """Posting lists and field lengths of one reader generation, as NumPy arrays."""

    def __init__(self, reader):
        self.reader = reader
        self.n = reader.doc_count_all()
        self.leaves = list(reader.leaf_readers())
        self._lists: OrderedDict = OrderedDict()
        self._norms: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term frequencies) of a term; empty arrays when absent."""
        key = (field, term)
        with self._lock:
            hit = self._lists.get(key)
            if hit is not None:
                self._lists.move_to_end(key)
                return hit
        docs, tfs = [], []
        for sub, offset in self.leaves:
            if (field, term) not in sub:
                continue
            d, w = _read_postings(sub.postings(field, term))
            docs.append(d + offset)
            tfs.append(w)
        value = ((np.concatenate(docs), np.concatenate(tfs)) if docs
                 else (np.zeros(0, np.int64), np.zeros(0, np.float32)))
        with self._lock:
            self._lists[key] = value
            if len(self._lists) > CACHE_SIZE:
                self._lists.popitem(last=False)
        return value

    def norms(self, field: str) -> np.ndarray:
        """BM25's length normalisation ``k1 * (1 - b + b * len / avglen)`` per document."""
        if field not in self._norms:
            lengths = np.zeros(self.n, np.float32)
            for sub, offset in self.leaves:
                count = sub.doc_count_all()
                lengths[offset:offset + count] = _field_lengths(sub, field, count)
            avg = float(lengths.mean()) or 1.0
            self._norms[field] = (K1 * (1 - B + B * lengths / avg)).astype(np.float32)
        return self._norms[field]

    def warm(self) -> None:
        """Compute every scoring field's length norms now (not in a search's timing)."""
        for field in WEIGHTS:
            self.norms(field)

    def bm25(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, BM25 scores) of a term in a field."""
        docs, tf = self.postings(field, term)
        if not len(docs):
            return docs, tf
        idf = math.log(1 + (self.n - len(docs) + 0.5) / (len(docs) + 0.5))
        return docs, (idf * tf * (K1 + 1) / (tf + self.norms(field)[docs])).astype(np.float32)


_BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


def _field_lengths(sub, field: str, count: int) -> np.ndarray:
    """Every document's length in a field, from Whoosh's one-byte length column.

    Reading the column whole is 50× faster than ``doc_field_length`` per document, but it
    is not public API: the per-document call stays as the fallback.
    """
    try:
        column = sub._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is not None:
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


class QueryScorer:
    """Evaluates a parsed query against one reader's postings."""

    def __init__(self, cache: PostingsCache):
        self.cache = cache
        self.n = cache.n

    def _terms(self, fields_terms: list[tuple[str, str]], required: bool) -> Scored:
        """Weighted BM25 sum of several (field, term); all required, or any."""
        score = np.zeros(self.n, np.float32)
        count = np.zeros(self.n, np.int16) if required else None
        mask = None if required else np.zeros(self.n, bool)
        for field, term in fields_terms:
            docs, s = self.cache.bm25(field, term)
            score[docs] += WEIGHTS[field] * s
            if required:
                count[docs] += 1
            else:
                mask[docs] = True
        if required:
            mask = count == len(fields_terms)
        return Scored(mask, score)

    def alternative(self, syllables: list[str], word: str | None, is_phrase: bool) -> Scored:
        """One way a concept may match: a word (or phrase) in the title or body, any form."""
        folded = [fold_diacritics(s) for s in syllables]
        accented = folded != syllables
        score = np.zeros(self.n, np.float32)
        mask = np.zeros(self.n, bool)
        for part in ("title", "body"):
            if len(folded) == 1:
                loose = self._terms([(part + "_f", folded[0])], required=True)
            else:
                loose = self._terms([(part + "_fb", bigram(a, b)) for a, b in zip(folded, folded[1:])],
                                    required=True)
            if is_phrase and accented:
                exact = self._terms([(part + "_s", s) for s in syllables], required=True)
                loose = Scored(loose.mask & exact.mask, loose.score + exact.score)
            mask |= loose.mask
            score += loose.score
            if accented or not (word or "").isalpha():
                exact_word = self._terms([(part, word)] if word else [(part + "_s", s) for s in syllables],
                                         required=True)
                score += exact_word.score
                if not is_phrase:
                    mask |= exact_word.mask
        if word and any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            # A document code ("04-NQ/TW") also finds articles that name its twin.
            names = self._terms([("resolution_names", word)], required=True)
            mask |= names.mask
            score += names.score
        return Scored(mask, score * mask)

    def concept(self, alternatives) -> Scored:
        """A query word: any of its alternatives (spelling, expansion) may match."""
        parts = [self.alternative(a.syllables, a.word, a.word is None) for a in alternatives]
        mask = np.logical_or.reduce([p.mask for p in parts])
        score = np.maximum.reduce([p.score for p in parts])
        return Scored(mask, score)

    def doc_share(self, scored: Scored) -> float:
        return float(scored.mask.sum()) / max(self.n, 1)

    def evaluate(self, parsed, relaxed: bool = False) -> Scored:
        """Match and score a :class:`~search.query.ParsedQuery`."""
        concepts = [self.concept(c) for c in parsed.concepts]
        if not concepts:
            return Scored(np.ones(self.n, bool), np.zeros(self.n, np.float32))
        loose = relaxed or len(concepts) > MAX_REQUIRED
        if loose and len(concepts) > 2:
            # In a question, very common words ("là", "của", "có") say nothing; skip them.
            kept = [c for c in concepts if self.doc_share(c) <= STOPWORD_SHARE]
            concepts = kept or concepts
        if loose:
            mask = np.logical_or.reduce([c.mask for c in concepts])
            matched = np.add.reduce([c.mask.astype(np.float32) for c in concepts])
            # Coordination: documents with more of the query's words rank higher.
            score = np.add.reduce([c.score for c in concepts]) * (matched / len(concepts))
        else:
            mask = np.logical_and.reduce([c.mask for c in concepts])
            score = np.add.reduce([c.score for c in concepts])
        score = score + self.proximity(parsed)
        for alt in parsed.excluded:
            mask &= ~self.alternative(alt.syllables, alt.word, alt.word is None).mask
        return Scored(mask, np.where(mask, score, 0).astype(np.float32))

    def proximity(self, parsed) -> np.ndarray | float:
        """A bonus where consecutive query words stand side by side (folded bigrams)."""
        words = [c[0].syllables for c in parsed.concepts]
        pairs = [(fold_diacritics(a[-1]), fold_diacritics(b[0])) for a, b in zip(words, words[1:])]
        if not pairs:
            return 0.0
        fields_terms = [(f, bigram(a, b)) for a, b in pairs for f in ("body_fb", "title_fb")]
        return PROXIMITY_WEIGHT * self._terms(fields_terms, required=False).score
