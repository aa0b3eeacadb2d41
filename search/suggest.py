"""The index's own vocabulary, and "did you mean" built from it.

:class:`Vocabulary` holds, for one searcher generation, what the query builder and the
suggester need and Whoosh does not index: the accented forms behind every folded word
("uy_ban" → "ủy_ban") and syllable ("quyet" → "quyết"), most frequent first.  It is built
once per searcher (a pass over the word and syllable lexicons, ~0.3 s per 10k articles) and
kept in a weak dictionary, so a new commit (a new searcher) gets fresh tables; per query the
cost is a few dictionary look-ups.

:func:`suggest` proposes a query written with the index's own words: diacritics restored by
the form the index most often has, and unknown syllables corrected by one edit.
"""
from __future__ import annotations

import threading
import weakref

from index.normalize import fold_diacritics

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MAX_WORD_SYLLABLES = 4
SUGGEST_BELOW = 3  # suggest when a search finds fewer hits than this


class Vocabulary:
    """Folded form → accented forms of the index's words and syllables, by document frequency."""

    def __init__(self, reader):
        self.doc_count = max(1, reader.doc_count())
        words: dict[str, list[tuple[int, str]]] = {}
        for field in ("body", "title"):
            if field not in reader.schema.names():
                continue
            for term, info in reader.iter_field(field):
                word = term.decode("utf-8") if isinstance(term, bytes) else term
                if "_" not in word or not word.replace("_", "").isalpha():
                    continue
                words.setdefault(fold_diacritics(word), []).append((info.doc_frequency(), word))
        sylls: dict[str, list[tuple[int, str]]] = {}
        for term, info in reader.iter_field("body_s"):
            syl = term.decode("utf-8") if isinstance(term, bytes) else term
            if syl.isalpha():
                sylls.setdefault(fold_diacritics(syl), []).append((info.doc_frequency(), syl))
        # Forms of one word from the title and the body are merged, most frequent first.
        self.words = {k: _ranked(v) for k, v in words.items()}
        self.syllables = {k: _ranked(v) for k, v in sylls.items()}

    def accented_words(self, folded_syllables: list[str]) -> list[tuple[str, int]]:
        """The index's words that fold to these syllables, most frequent first."""
        return self.words.get("_".join(folded_syllables), [])

    def accented_syllable(self, folded: str) -> str | None:
        forms = self.syllables.get(folded)
        return forms[0][0] if forms else None

    def segment_folded(self, folded: list[str]) -> list[tuple[int, int, list[tuple[str, int]]]]:
        """Greedy longest match of folded syllables against the index's multi-syllable words:
        ``(start, end, accented forms)`` spans; syllables matching no word are left out."""
        spans, i = [], 0
        while i < len(folded):
            for n in range(min(MAX_WORD_SYLLABLES, len(folded) - i), 1, -1):
                forms = self.accented_words(folded[i:i + n])
                if forms:
                    spans.append((i, i + n, forms))
                    i += n
                    break
            else:
                i += 1
        return spans

    def correct_syllable(self, folded: str) -> str | None:
        """The most frequent folded syllable of the index one edit away, or None."""
        if folded in self.syllables or not folded.isalpha() or len(folded) < 2:
            return None
        best, best_df = None, 0
        for cand in _edits1(folded):
            forms = self.syllables.get(cand)
            if forms and forms[0][1] > best_df:
                best, best_df = cand, forms[0][1]
        return best


def _ranked(forms: list[tuple[int, str]]) -> list[tuple[str, int]]:
    merged: dict[str, int] = {}
    for df, form in forms:
        merged[form] = max(merged.get(form, 0), df)
    return sorted(merged.items(), key=lambda x: (-x[1], x[0]))


def _edits1(word: str):
    """Strings one deletion, substitution, insertion or transposition away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for a, b in splits:
        if b:
            yield a + b[1:]
            for c in _ALPHABET:
                yield a + c + b[1:]
        if len(b) > 1:
            yield a + b[1] + b[0] + b[2:]
        for c in _ALPHABET:
            yield a + c + b


_CACHE: "weakref.WeakKeyDictionary[object, Vocabulary]" = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def vocabulary(searcher) -> Vocabulary:
    """The vocabulary of a searcher's generation (its top-level searcher), built once."""
    top = searcher.get_parent() if hasattr(searcher, "get_parent") else searcher
    vocab = _CACHE.get(top)
    if vocab is None:
        with _CACHE_LOCK:
            vocab = _CACHE.get(top)
            if vocab is None:
                vocab = _CACHE[top] = Vocabulary(top.reader())
    return vocab


def suggest(query: str, searcher) -> str | None:
    """A better-spelled query from the index's vocabulary, or None when there is none.

    Quoted phrases and operators are kept as typed; each run of plain words is rewritten
    syllable by syllable: runs of syllables that fold to a word of the index take that
    word's most frequent accented form, others the most frequent accented syllable, and
    syllables the index lacks the nearest one (one edit) it has.
    """
    import re

    if not query or not query.strip():
        return None
    vocab = vocabulary(searcher)
    changed = False
    out = re.findall(r'"[^"]*"?|\S+', query)
    # Rewrite the plain tokens as one run so words spanning tokens are found.
    plain_idx = [i for i, t in enumerate(out) if not (t.startswith('"') or t == "OR" or t.startswith("-"))]
    sylls = [out[i] for i in plain_idx]
    core = [re.sub(r"^\W+|\W+$", "", s) for s in sylls]
    folded = [fold_diacritics(c.lower()) for c in core]
    fixed = [vocab.correct_syllable(f) or f for f in folded]
    new = list(core)
    covered = [False] * len(core)
    for a, b, forms in vocab.segment_folded(fixed):
        typed = "_".join(c.lower() for c in core[a:b])
        accented = [w for w, _ in forms]
        pick = typed if typed in accented else accented[0]
        for k, syl in enumerate(pick.split("_")):
            new[a + k] = _case_like(core[a + k], syl)
            covered[a + k] = True
    for k, c in enumerate(core):
        if covered[k] or not c.isalpha():
            continue
        if fold_diacritics(c.lower()) == c.lower() or fixed[k] != folded[k]:
            # Typed without accents (or misspelt): the index's most frequent form.
            syl = vocab.accented_syllable(fixed[k])
            if syl:
                new[k] = _case_like(c, syl)
    for i, k in zip(plain_idx, range(len(core))):
        if new[k] != core[k]:
            changed = True
            out[i] = sylls[k].replace(core[k], new[k], 1) if core[k] else sylls[k]
    return " ".join(out) if changed else None


def _case_like(typed: str, form: str) -> str:
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def suggestion_for(query: str, total: int, searcher, incomplete: bool = False) -> str | None:
    """The "did you mean" of a search that found fewer than SUGGEST_BELOW articles, or some
    of whose words the index does not have (``incomplete``)."""
    if (total >= SUGGEST_BELOW and not incomplete) or not (query or "").strip():
        return None
    try:
        return suggest(query, searcher)
    except Exception:  # noqa: BLE001 — a suggestion must never break a search
        return None
