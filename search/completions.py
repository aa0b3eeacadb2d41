"""Completions as the user types: resolution names, provinces, terms and frequent words.

Built once per searcher generation from what the index already holds (facet values with
their article counts, the multi-syllable pyvi words of titles and bodies with their document
frequencies, from the did-you-mean vocabulary) and kept by the reader generation
(``ReaderState.lazily`` in ``search/engine.py``), so it goes with the generation.  A
prefix is matched on the folded form (typed with or without accents, old or new tone
style) at the start of the name or of any later word in it ("trung uong 4" finds "Nghị
quyết Trung ương 4 khóa XII"); exact-accent prefixes rank first, then kind, then count.
No library does prefix search over a few tens of thousands of Vietnamese names with folded
keys; a sorted key list and ``bisect`` is all it takes.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from index.normalize import fold_diacritics, normalize_text

MAX_PHRASES = 20_000  # most frequent title words kept
MIN_PREFIX = 2  # characters before anything is proposed
KIND_ORDER = {"resolution": 0, "province": 1, "term": 2, "phrase": 3}
_SPACE = re.compile(r"[\s_]+")


def completion_key(text: str) -> str:
    """The loose form a prefix is matched on.

    >>> completion_key("  Nghị   quyết Trung ương"), completion_key("khoá XII")
    ('nghi quyet trung uong', 'khoa xii')
    """
    return _SPACE.sub(" ", fold_diacritics(normalize_text(text)).lower()).strip()


def _loose(text: str) -> str:
    return _SPACE.sub(" ", normalize_text(text).lower()).strip()


@dataclass(frozen=True)
class Completion:
    text: str
    kind: str  # resolution, province, term, phrase
    count: int


class Completer:
    """Every name of one index generation, reachable by the folded prefix of any of its words."""

    def __init__(self, vocab, tables: dict, alive):
        entries: list[Completion] = []
        for kind in ("resolution", "province", "term"):
            table = tables.get(kind)
            if table is not None:
                label = "khóa {}" if kind == "term" else "{}"
                entries += [Completion(label.format(v), kind, int(c))
                            for v, c in zip(table.values, table.counts(alive)) if c]
        # Multi-syllable words of titles and bodies, in their most frequent accented form: the
        # did-you-mean vocabulary already holds them (built once per generation).
        phrases = [(forms[0][1], forms[0][0].replace("_", " ")) for forms in vocab.words.values() if forms]
        phrases.sort(key=lambda p: (-p[0], p[1]))
        entries += [Completion(w, "phrase", n) for n, w in phrases[:MAX_PHRASES] if n > 1]
        self.entries = entries
        keys = []
        for i, e in enumerate(entries):
            words = completion_key(e.text).split(" ")
            # Names are found from any of their words; title words only from their start.
            starts = range(len(words)) if e.kind != "phrase" else range(1)
            keys += [(" ".join(words[s:]), i, s) for s in starts]
        keys.sort()
        self.keys = [k for k, _, _ in keys]
        self.ids = [i for _, i, _ in keys]
        self.inner = [s > 0 for _, _, s in keys]  # matched inside the name, not at its start

    def complete(self, prefix: str, limit: int = 8) -> list[Completion]:
        """The best names starting with ``prefix`` (folded), at most ``limit``, no duplicates."""
        key = completion_key(prefix)
        if len(key) < MIN_PREFIX:
            return []
        typed = _loose(prefix)
        lo = bisect.bisect_left(self.keys, key)
        hi = bisect.bisect_left(self.keys, key + "\uffff")
        found: dict[int, bool] = {}
        for j in range(lo, hi):
            found[self.ids[j]] = found.get(self.ids[j], True) and self.inner[j]
        # As typed (accents included) first, then names that start with it, then kind, then
        # how many articles carry it.
        ranked = sorted(found, key=lambda i: (not _loose(self.entries[i].text).startswith(typed) and
                                              typed not in _loose(self.entries[i].text),
                                              found[i], KIND_ORDER[self.entries[i].kind],
                                              -self.entries[i].count, self.entries[i].text))
        # At most half the list of one kind while others wait: "ngh" shows resolution names
        # and the title words "nghị quyết", "nghiên cứu".
        out, seen, later = [], set(), []
        per_kind: dict[str, int] = {}
        for i in ranked:
            e = self.entries[i]
            if e.text.lower() in seen:
                continue
            seen.add(e.text.lower())
            if per_kind.get(e.kind, 0) >= max(limit // 2, 1):
                later.append(e)
                continue
            per_kind[e.kind] = per_kind.get(e.kind, 0) + 1
            out.append(e)
            if len(out) == limit:
                return out
        return out + later[:limit - len(out)]


def complete_query(comp: Completer, query: str, limit: int = 8) -> list[dict]:
    """Completions of what is typed: of the whole text, else of its last words (kept before them).

    "nghị quyết tỉnh ủy long" completes "long" to "Long An" after the words already typed
    ("nghi quyet tinh uy long" to "long an").  The words are cut as documents are
    (``query_units``): "tham nhũng,long" completes "long" too.
    """
    from search.query import query_units

    starts = [u.start for u in query_units(query) if not query[u.start - 1:u.start].isalnum()]
    for start in starts:
        found = comp.complete(query[start:], limit)
        if found:
            head = query[:start].strip()
            # Words typed without accents are searched folded only when the whole query has
            # none: after an unaccented head the completion is folded too, or the query would
            # mix both ways of typing.
            folded = bool(head) and fold_diacritics(head) == head
            return [{"text": (head + " " + (fold_diacritics(c.text).lower() if folded else c.text)).strip(),
                     "completion": c.text, "kind": c.kind, "count": c.count} for c in found]
    return []
