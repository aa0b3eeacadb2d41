"""Relevance metrics, benchmark files and a plain BM25 baseline for ``bench/eval.py``.

The metrics are a dozen lines each and the benchmarks use a fixed small layout, so they are
written here instead of pulling in an IR-evaluation package (pytrec_eval, ir-measures need
compiled extensions or a large dependency tree for three numbers).
"""
from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Iterator

# -- metrics -------------------------------------------------------------------------------
Qrels = dict[str, dict[str, int]]  # query id -> doc id -> relevance grade (> 0 is relevant)
Run = dict[str, list[str]]  # query id -> ranked doc ids


def reciprocal_rank(ranking: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """1 / rank of the first relevant document within the top ``k``, else 0.

    >>> reciprocal_rank(["a", "b", "c"], {"b": 1})
    0.5
    """
    for rank, doc in enumerate(ranking[:k], 1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def recall(ranking: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """Share of the relevant documents found in the top ``k``.

    >>> recall(["a", "b"], {"b": 1, "z": 1})
    0.5
    """
    wanted = {d for d, g in relevant.items() if g > 0}
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranking[:k])) / len(wanted)


def ndcg(ranking: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """nDCG@k with gain = grade and discount 1/log2(rank + 1).

    >>> round(ndcg(["a", "b"], {"b": 1}), 4)
    0.6309
    """
    dcg = sum(relevant.get(d, 0) / math.log2(r + 1) for r, d in enumerate(ranking[:k], 1))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(r + 1) for r, g in enumerate(ideal, 1))
    return dcg / idcg if idcg else 0.0


def evaluate(run: Run, qrels: Qrels, k: int = 10) -> dict[str, float]:
    """Mean MRR@k, Recall@k and nDCG@k over the queries of ``qrels`` (a missing query scores 0)."""
    qids = [q for q, rel in qrels.items() if any(g > 0 for g in rel.values())]
    if not qids:
        return {"queries": 0, "mrr": 0.0, "recall": 0.0, "ndcg": 0.0}
    sums = Counter()
    for q in qids:
        ranking = run.get(q, [])
        sums["mrr"] += reciprocal_rank(ranking, qrels[q], k)
        sums["recall"] += recall(ranking, qrels[q], k)
        sums["ndcg"] += ndcg(ranking, qrels[q], k)
    return {"queries": len(qids)} | {m: sums[m] / len(qids) for m in ("mrr", "recall", "ndcg")}


# -- benchmark files -----------------------------------------------------------------------
def _open(path):
    path = Path(path)
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def read_jsonl(path: Path) -> Iterator[dict]:
    with _open(path) as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_qrels(path: Path) -> Qrels:
    qrels: Qrels = defaultdict(dict)
    with _open(path) as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[2].strip().lstrip("-").isdigit():
                qrels[parts[0]][parts[1]] = int(parts[2])
    return dict(qrels)


# -- baseline ------------------------------------------------------------------------------
_SYLLABLE_RE = re.compile(r"[^\W_]+")


def syllable_tokens(text: str) -> list[str]:
    """Lowercase syllables, split on anything that is not a letter or digit (no pyvi).

    >>> syllable_tokens("Nghị quyết 05-CT/TW")
    ['nghị', 'quyết', '05', 'ct', 'tw']
    """
    return _SYLLABLE_RE.findall(text.lower())


class PlainBM25:
    """Okapi BM25 (Robertson/Lucene idf ``ln(1 + (N - df + .5) / (df + .5))``) over one field.

    The baseline of the harness: title and text concatenated, lowercase syllables, no
    stemming, no stopwords, no folding.  Written by hand (30 lines) so the baseline has no
    setting hidden in a library and costs no second Whoosh index on disk.
    """

    def __init__(self, docs: Iterable[tuple[str, str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.ids: list[str] = []
        lengths: list[int] = []
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc_id, text in docs:
            n = len(self.ids)
            self.ids.append(doc_id)
            tf = Counter(syllable_tokens(text))
            lengths.append(sum(tf.values()))
            for term, c in tf.items():
                postings[term].append((n, c))
        import numpy as np  # already installed with scikit-learn (pyvi)

        self._np = np
        n_docs = len(self.ids)
        lens = np.asarray(lengths, dtype=np.float64)
        avgdl = lens.mean() if n_docs else 1.0
        norm = k1 * (1 - b + b * lens / avgdl)
        # Per term: the documents and their precomputed BM25 weights (the query only adds them).
        self.postings: dict[str, tuple] = {}
        for term, plist in postings.items():
            docs = np.fromiter((d for d, _ in plist), dtype=np.int64, count=len(plist))
            tf = np.fromiter((c for _, c in plist), dtype=np.float64, count=len(plist))
            idf = math.log(1 + (n_docs - len(plist) + 0.5) / (len(plist) + 0.5))
            self.postings[term] = (docs, idf * tf * (k1 + 1) / (tf + norm[docs]))

    def search(self, query: str, k: int = 10) -> list[str]:
        np = self._np
        scores = np.zeros(len(self.ids))
        for term, qtf in Counter(syllable_tokens(query)).items():
            if term in self.postings:
                docs, weights = self.postings[term]
                scores[docs] += qtf * weights
        hit = np.flatnonzero(scores)
        top = hit[np.lexsort((hit, -scores[hit]))][:k]
        return [self.ids[d] for d in top]
