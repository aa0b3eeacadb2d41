"""From what a user typed to the words, phrases and exclusions a search looks for.

Whoosh's own parser splits on spaces before analysis, which breaks Vietnamese words
("nghị quyết" would look for ``nghị`` AND ``quyết`` in a field that holds ``nghị_quyết``), so
the query text is parsed here: quoted phrases, ``-exclusion`` and ``OR`` are recognised, and
each run of plain words is segmented as a whole by the same pipeline as the documents.
``search/scoring.py`` then matches and ranks the parsed query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from index.analysis import Word, run_breaks, segment, surface_syllables
from index.normalize import fold_diacritics
from index.party_documents import from_roman, to_roman
from search.highlight import MatchTerms

MAX_QUERY_CHARS = 1000

_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class QueryUnit(NamedTuple):
    """One syllable of the query text as the analysis pipeline cuts it (a date, a number or
    a code part is one unit; a glued "NQTW4" is three), with offsets into the text."""

    text: str
    start: int
    end: int
    begins_run: bool  # punctuation, a quote or an exclusion's "-" separates it from the one before

    @property
    def syllable(self) -> bool:
        """A plain syllable of letters (not a number, a date or a code part)."""
        return self.text.isalpha()


def query_units(text: str) -> list[QueryUnit]:
    """The syllables of a query, cut as documents are (``surface_syllables``): the reader of
    unaccented queries, the did-you-mean and the completions split the query this one way.
    The query syntax adds run breaks around a quoted phrase, an ``-exclusion`` and ``OR``
    (the analysis would take the "-" of ``tham nhũng -tiêu cực`` for a joining hyphen).

    >>> [(u.text, u.begins_run) for u in query_units('1.000 ty -dong "NQTW4" xay dung')]
    [('1.000', False), ('ty', False), ('dong', True), ('NQ', True), ('TW', False), ('4', False), ('xay', True), ('dung', False)]
    """
    parts = []  # (start, end) of each stretch of plain words, phrase, exclusion or OR
    for m in _TOKEN_RE.finditer(text):
        plain = m.group(3) is not None and not (m.group(3).startswith("-") and len(m.group(3)) > 1) \
            and m.group(3) != "OR"
        if plain and parts and parts[-1][2]:
            parts[-1] = (parts[-1][0], m.end(), True)
        else:
            parts.append((m.start(), m.end(), plain))
    part_of = {}
    for k, (a, b, _) in enumerate(parts):
        for i in range(a, b):
            part_of[i] = k
    out: list[QueryUnit] = []
    for syl, start, end, brk in surface_syllables(text):
        if out and part_of.get(start) != part_of.get(out[-1].start):
            brk = True
        out.append(QueryUnit(syl, start, end, brk and bool(out)))
    return out


class QueryError(ValueError):
    """A query or filter that cannot be run, with a message for the user."""


@dataclass
class Alternative:
    """One way a query concept may match: a word (from segmentation) or a quoted phrase."""

    syllables: list[str]
    word: str | None = None  # the pyvi word, when this is a word
    breaks: tuple[int, ...] = ()  # syllables of a phrase that follow punctuation (no pair before them)
    after_break: bool = False  # punctuation separates it from the query word before
    loose: bool = False  # matched by its folded form (an unaccented word the index cannot read)
    weight: float = 1.0  # below 1 for a less likely reading of an unaccented query

    @property
    def accented(self) -> bool:
        return any(fold_diacritics(s) != s for s in self.syllables)


@dataclass
class ParsedQuery:
    """The concepts a query requires (each a list of alternatives) and the ones it excludes."""

    concepts: list[list[Alternative]] = field(default_factory=list)
    excluded: list[Alternative] = field(default_factory=list)
    typed: bool = False  # the user typed something (maybe only punctuation)
    # Filled by search/understand.py from the index: the accented reading of an unaccented
    # query (None when it was typed with accents or reads as typed) and what it names.
    reading: str | None = None
    entities: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.concepts

    @property
    def unsearchable(self) -> bool:
        """Something was typed, but no word in it: `"`, `(((`, an emoji."""
        return self.typed and not self.concepts and not self.excluded

    def match_terms(self) -> MatchTerms:
        """The syllables to highlight."""
        terms = MatchTerms()
        for concept in self.concepts:
            for alt in concept:
                # A loose word is marked in any accented form; a read one only as read
                # (not "uống" for "uong" read as "ương").
                terms.add([fold_diacritics(x) for x in alt.syllables] if alt.loose else alt.syllables, alt.breaks)
        return terms

    def syllables(self) -> list[str]:
        """All query syllables in order (of the first alternative of each concept)."""
        return [s for c in self.concepts for s in c[0].syllables]


def _alternatives(text: str) -> list[Alternative]:
    """The words of a run of plain query text, segmented as a whole."""
    return [_word_alternative(w) for w in segment(text)]


# Abbreviations of this domain, searched as their expansion too.  "TU" (tỉnh ủy) only in
# capitals: "tu" is an ordinary syllable (tu, tự, từ).  The others are no Vietnamese syllable.
ABBREVIATIONS = {
    "nq": "nghị quyết", "tw": "trung ương", "bch": "ban chấp hành", "bct": "bộ chính trị",
    "hđnd": "hội đồng nhân dân", "hdnd": "hội đồng nhân dân", "ubnd": "ủy ban nhân dân",
    "mttq": "mặt trận tổ quốc", "btv": "ban thường vụ", "bbt": "ban bí thư", "ct": "chỉ thị",
}
CASED_ABBREVIATIONS = {"TU": "tỉnh ủy", "HU": "huyện ủy", "TƯ": "trung ương"}
# Terms (khóa) and congresses (đại hội) are written in Roman or Arabic numbers.
_NUMBERED = {("khoa",), ("dai", "hoi"), ("nhiem", "ky")}


def _expansions(alt: Alternative, prev: list[Alternative] | None, typed: str) -> list[Alternative]:
    """Other ways to write one query word: an abbreviation's expansion, a term number."""
    out = []
    key = alt.word or "_".join(alt.syllables)
    full = CASED_ABBREVIATIONS.get(typed) or ABBREVIATIONS.get(key)
    if full:
        out.append(Alternative(full.split(), full.replace(" ", "_")))
    if prev and tuple(fold_diacritics(s) for s in prev[0].syllables) in _NUMBERED and len(alt.syllables) == 1:
        syl = alt.syllables[0]
        number = int(syl) if syl.isdigit() else from_roman(syl)
        if number and 0 < number < 40:
            other = str(number) if not syl.isdigit() else to_roman(number).lower()
            out.append(Alternative([other], other))
    return out


def _concepts(text: str, prev: list[Alternative] | None) -> list[list[Alternative]]:
    """The concepts of a run of plain text: each word with its expansions.  A glued form
    ("NQTW4", "TW4") is cut by the analysis pipeline as the documents' is; each of its parts
    is a query word of its own, with its expansion ("TW" → "trung ương")."""
    concepts = []
    words = [part for w in segment(text) for part in _glued_words(w)]
    i = 0
    while i < len(words):
        date = _date_concept(words, i)
        if date:
            concept, i = date
            concepts.append(concept)
            continue
        alt = _word_alternative(words[i])
        concepts.append([alt] + _expansions(alt, concepts[-1] if concepts else prev, words[i].text))
        i += 1
    return concepts


# Dates: documents index "27/4/2017" as the units 27/4, 4/2017 and 2017 and "ngày 27 tháng 4
# năm 2017" as its syllables (index/analysis.py).  A date typed either way is one query word
# that finds both: its units, or its spelled-out syllables side by side.  A spelled day needs
# "ngày": "trung ương 4 tháng 10" is a plenum and a month, "4 tháng" a duration.
_SPELLED_DATE_RE = re.compile(
    r"ngay (?P<d>\d{1,2}) thang (?P<m>\d{1,2})(?: nam (?P<y>(?:19|20)\d\d))?"
    r"|thang (?P<m2>\d{1,2}) nam (?P<y2>(?:19|20)\d\d)")


def _date_concept(words: list[Word], i: int) -> tuple[list[Alternative], int] | None:
    """A date typed at ``words[i]``, as (the query word finding it, the index after it).
    The word naming the unit ("ngày 27/4", "tháng 4/2017") is part of it."""
    lead = fold_diacritics(words[i].text.lower())
    if lead in ("ngay", "thang") and i + 1 < len(words) and not words[i + 1].after_break:
        date = _date_concept(words, i + 1)
        if date and (date[0][1].syllables[0] == "tháng") == (lead == "thang"):
            date[0][0].after_break = words[i].after_break
            return date
    w = words[i]
    units = [s.text for s in w.syllables]
    if all("/" in u or u.isdigit() for u in units) and any("/" in u for u in units):
        day_month = [u for u in units if "/" in u and len(u.split("/")[1]) < 4]
        month_year = [u for u in units if "/" in u and len(u.split("/")[1]) == 4]
        if len(day_month) > 1:
            return None  # a range of days ("14-18/9")
        d, m = day_month[0].split("/") if day_month else (None, month_year[0].split("/")[0])
        y = month_year[0].split("/")[1] if month_year else None
        return [_word_alternative(w), _spelled(d, m, y)], i + 1
    window = words[i:i + 6]
    folded = " ".join(fold_diacritics(x.text.lower()) if not x.text.isdigit() else x.text for x in window)
    found = _SPELLED_DATE_RE.match(folded)
    if not found or (found.end() < len(folded) and folded[found.end()] != " "):
        return None
    d, m, y = found.group("d"), found.group("m") or found.group("m2"), found.group("y") or found.group("y2")
    if not (1 <= int(m) <= 12 and (d is None or 1 <= int(d) <= 31)):
        return None
    numeric = "/".join(p for p in (d, m, y) if p)
    typed = _word_alternative(segment(numeric)[0])
    typed.after_break = window[0].after_break
    return [typed, _spelled(d, m, y)], i + len(found.group().split())


def _spelled(d: str | None, m: str, y: str | None) -> Alternative:
    """A date's spelled-out syllables: "27 tháng 4 năm 2017", "tháng 4 năm 2017", "27 tháng 4"."""
    sylls = ([d, "tháng", m] if d else ["tháng", m]) + (["năm", y] if y else [])
    return Alternative([str(int(s)) if s.isdigit() else s for s in sylls])


def _glued_words(w: Word) -> list[Word]:
    """The parts of a glued run of abbreviations ("NQTW4": syllables written without a gap
    between them, as only ``_glued_parts`` makes) as one-syllable words, each then expanded;
    any other word, and a glued form such as "E1" or "H5N1", as it is (its parts side by side)."""
    sylls = w.syllables
    if len(sylls) < 2 or any(a.end != b.start for a, b in zip(sylls, sylls[1:])):
        return [w]
    if not all(s.text.isdigit() or s.text in CASED_ABBREVIATIONS or s.text.lower() in ABBREVIATIONS for s in sylls):
        return [w]
    return [Word(s.text, s.start, s.end, (s,), w.after_break and k == 0) for k, s in enumerate(sylls)]


def _word_alternative(w: Word) -> Alternative:
    return Alternative([s.text.lower() for s in w.syllables], w.text.lower(), after_break=w.after_break)


def _phrase(text: str) -> Alternative | None:
    words = segment(text)
    sylls = [s.text.lower() for w in words for s in w.syllables]
    return Alternative(sylls, breaks=tuple(sorted(run_breaks(words)))) if sylls else None


def parse_query(raw: str) -> ParsedQuery:
    """Parse keywords, ``"phrases"``, ``-exclusions`` and ``OR``.

    >>> p = parse_query('"sinh hoạt chi bộ" đảng OR chính quyền -Long')
    >>> [[a.syllables for a in c] for c in p.concepts], [a.syllables for a in p.excluded]
    ([[['sinh', 'hoạt', 'chi', 'bộ']], [['đảng'], ['chính', 'quyền']]], [['long']])
    """
    if raw is None:
        return ParsedQuery()
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(raw)} characters; at most {MAX_QUERY_CHARS})")
    parsed = ParsedQuery(typed=bool(raw.strip()))
    plain: list[str] = []
    join_next = False

    def add(concepts: list[list[Alternative]]):
        nonlocal join_next
        if not concepts:
            return
        if join_next and parsed.concepts:
            parsed.concepts[-1].extend(concepts[0])
            concepts = concepts[1:]
        join_next = False
        parsed.concepts.extend(concepts)

    def flush():
        if plain:
            add(_concepts(" ".join(plain), parsed.concepts[-1] if parsed.concepts else None))
            plain.clear()

    for m in _TOKEN_RE.finditer(raw):
        neg, phrase, word = m.groups()
        if word == "OR":
            flush()
            join_next = bool(parsed.concepts)
        elif phrase is not None:
            flush()
            alt = _phrase(phrase)
            if alt and neg:
                parsed.excluded.append(alt)
            elif alt:
                add([[alt]])
        elif word.startswith("-") and len(word) > 1:
            flush()
            parsed.excluded.extend(_alternatives(word[1:]))
        else:
            plain.append(word)
    flush()
    return parsed
