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

import math
import re
import threading
import weakref

from index.normalize import fold_diacritics

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MAX_WORD_SYLLABLES = 4
MAX_SYLLABLE_LETTERS = 7  # "nghieng", "truong": no Vietnamese syllable is longer folded
SUGGEST_BELOW = 3  # suggest when a search finds fewer hits than this


class Vocabulary:
    """Folded form → accented forms of the index's words and syllables, by document frequency."""

    def __init__(self, reader):
        self.doc_count = max(1, reader.doc_count())
        words: dict[str, list[tuple[int, str]]] = {}
        for field in ("body", "title"):
            if field not in reader.schema.names():
                continue
            for term, df in doc_frequencies(reader, field).items():
                word = term.decode("utf-8") if isinstance(term, bytes) else term
                if "_" not in word or not word.replace("_", "").isalpha():
                    continue
                words.setdefault(fold_diacritics(word), []).append((df, word))
        sylls: dict[str, list[tuple[int, str]]] = {}
        for term, df in doc_frequencies(reader, "body_s").items():
            syl = term.decode("utf-8") if isinstance(term, bytes) else term
            if syl.isalpha():
                sylls.setdefault(fold_diacritics(syl), []).append((df, syl))
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

    def split_run(self, folded: str) -> list[str] | None:
        """Syllables the index knows that a run-together word is made of ("thamnhung" →
        tham, nhung): the split into fewest parts, then most frequent ones."""
        if folded in self.syllables or not folded.isalpha() or len(folded) < 4:
            return None
        best: list[tuple | None] = [None] * (len(folded) + 1)
        best[0] = (0, 0.0, [])
        for end in range(2, len(folded) + 1):
            for start in range(max(0, end - MAX_SYLLABLE_LETTERS), end - 1):
                part = folded[start:end]
                if best[start] is None or part not in self.syllables:
                    continue
                parts, freq, split = best[start]
                cand = (parts + 1, freq - math.log(1 + self.syllables[part][0][1]), split + [part])
                if best[end] is None or cand[:2] < best[end][:2]:
                    best[end] = cand
        return best[-1][2] if best[-1] and best[-1][0] > 1 else None

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


def doc_frequencies(reader, field: str) -> dict:
    """Every term of ``field`` with its document frequency, read one segment at a time.

    The sums are what Whoosh's multi-segment reader gives, but its ``iter_field`` asks every
    segment about every term: on the 12,786-article index after two commits (three
    segments) that made a new generation cost 24 s instead of ~2 s, all of it in the
    request that noticed the commit.
    """
    counts: dict = {}
    for leaf, _ in reader.leaf_readers():
        for term, info in leaf.iter_field(field):
            counts[term] = counts.get(term, 0) + info.doc_frequency()
    return counts


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


_ROMAN = re.compile(r"[ivxlc]{1,7}")
_NUMBERED_BY_ROMAN = {"khoa", "hoi"}  # "khóa x", "Đại hội xii" (folded)


def suggest(query: str, searcher, reader=None) -> str | None:
    """A better-written query from the index's vocabulary, or None when there is none.

    Quoted phrases, operators and numbers are kept as typed.  Each plain word the index
    does not know is split into syllables it knows (``thamnhung`` → ``tham nhung``), else
    corrected by one edit, else dropped: a suggestion never keeps a word the index lacks.
    The query is cut as documents are (``query_units``), so a word glued to a number
    (``thamnhung2017``) is a word and a number.  A query without accents is then written as
    its accented reading (``search/reading.py``), capitalised where the articles capitalise
    it (``xây dựng Đảng``).
    """
    from search.query import query_units
    from search.reading import is_unaccented

    if not query or not query.strip():
        return None
    vocab = vocabulary(searcher)
    if reader is None:
        from search.reading import AccentReader
        from search.scoring import PostingsCache

        top = searcher.get_parent() if hasattr(searcher, "get_parent") else searcher
        reader = AccentReader(PostingsCache(top.reader()), vocab)
    kept = _plain_spans(query)
    pieces, last, previous = [], 0, ""
    for u in query_units(query):
        after, previous = previous, fold_diacritics(u.text.lower())
        if not u.syllable or not any(a <= u.start < b for a, b in kept):
            continue  # a number, a date, a code part, a phrase, an exclusion, OR: as typed
        folded = fold_diacritics(u.text.lower())
        # A Roman numeral is a number ("khóa X", "Đại hội XIII"): one letter is not a typo to
        # correct away; written small it is one only after a word numbered that way.
        roman = _ROMAN.fullmatch(folded) and (u.text.isupper() or after in _NUMBERED_BY_ROMAN)
        if folded in vocab.syllables or (u.text.isupper() and len(u.text) > 1) or roman:
            continue
        parts = [p for p in (vocab.split_run(folded) or [vocab.correct_syllable(folded)]) if p]
        glued_before = pieces and last == u.start and query[u.start - 1:u.start].isalnum()
        pieces += [query[last:u.start], " " if glued_before else "", " ".join(parts)]
        last = u.end
        if query[last:last + 1].isalnum():
            pieces.append(" ")  # "thamnhung2017": the number stays, apart
    text = " ".join(("".join(pieces) + query[last:]).split())
    if is_unaccented(text):
        reading = reader.read(text)
        text = _capitalise(reading.text, reader)
    else:
        text = _restore_syllables(text, vocab)
    return text if text and text != query and text.strip() else None


def _plain_spans(query: str) -> list[tuple[int, int]]:
    """Where the query's plain words are (not quoted, excluded or ``OR``)."""
    from search.query import _TOKEN_RE

    return [m.span() for m in _TOKEN_RE.finditer(query)
            if m.group(3) is not None and m.group(3) != "OR" and not m.group(3).startswith("-")]


def _capitalise(text: str, reader) -> str:
    """Capitalise each syllable the articles write capitalised after the one before it."""
    from search.query import query_units

    units = query_units(text)
    out, last = [], 0
    for prev, cur in zip(units, units[1:]):
        if not (prev.syllable and cur.syllable) or cur.begins_run or not text[prev.end:cur.start].isspace():
            continue
        if reader.capitalised(prev.text.lower(), cur.text.lower()):
            out.append(text[last:cur.start] + cur.text[:1].upper() + cur.text[1:])
            last = cur.end
    return "".join(out) + text[last:]


def _restore_syllables(text: str, vocab) -> str:
    """In a query typed partly with accents, the syllables typed without take the index's
    most frequent accented form (of the word they belong to, when they form one)."""
    from search.query import query_units

    units = query_units(text)
    core = [u.text for u in units]
    folded = [fold_diacritics(c.lower()) for c in core]
    new = list(core)
    covered = [False] * len(core)
    for a, b, forms in vocab.segment_folded(folded):
        typed = "_".join(c.lower() for c in core[a:b])
        accented = [w for w, _ in forms]
        pick = typed if typed in accented else accented[0]
        for k, syl in enumerate(pick.split("_")):
            new[a + k] = _case_like(core[a + k], syl)
            covered[a + k] = True
    for k, c in enumerate(core):
        if not covered[k] and c.isalpha() and fold_diacritics(c.lower()) == c.lower():
            syl = vocab.accented_syllable(folded[k])
            if syl:
                new[k] = _case_like(c, syl)
    out, last = [], 0
    for u, form in zip(units, new):
        if form != u.text:
            out += [text[last:u.start], form]
            last = u.end
    return "".join(out) + text[last:]


def _case_like(typed: str, form: str) -> str:
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def suggestion_for(query: str, total: int, searcher, incomplete: bool = False, reader=None) -> str | None:
    """The "did you mean" of a search that found fewer than SUGGEST_BELOW articles, or some
    of whose words the index does not have (``incomplete``)."""
    if (total >= SUGGEST_BELOW and not incomplete) or not (query or "").strip():
        return None
    try:
        return suggest(query, searcher, reader)
    except Exception:  # noqa: BLE001 — a suggestion must never break a search
        return None
