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

from index.analysis import Word, run_breaks, segment
from index.normalize import fold_diacritics
from index.party_documents import from_roman, to_roman
from search.highlight import MatchTerms

MAX_QUERY_CHARS = 1000

_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


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
_ABBREV_ALT = "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + "|TU|HU|TƯ"
# Glued forms: "TW4", "NQTW4", "NQTW" (each abbreviation and the number apart).
_GLUED_ABBREV_RE = re.compile(rf"\b((?:{_ABBREV_ALT})+)(\d{{1,2}})?\b", re.IGNORECASE)
_ONE_ABBREV_RE = re.compile(rf"{_ABBREV_ALT}", re.IGNORECASE)


def _split_glued(m: re.Match) -> str:
    """ "NQTW4" -> "NQ TW 4"; a lone abbreviation or word is left as typed."""
    parts = _ONE_ABBREV_RE.findall(m.group(1))
    if (len(parts) < 2 and not m.group(2)) or any(p.upper() in CASED_ABBREVIATIONS and p != p.upper() for p in parts):
        return m.group(0)  # a word, or "tu"/"hu" in lowercase: ordinary syllables
    return " ".join(parts + ([m.group(2)] if m.group(2) else []))
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
    """The concepts of a run of plain text: each word with its expansions."""
    text = _GLUED_ABBREV_RE.sub(_split_glued, text)
    concepts = []
    for w in segment(text):
        alt = _word_alternative(w)
        concept = [alt] + _expansions(alt, concepts[-1] if concepts else prev, w.text)
        concepts.append(concept)
    return concepts


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
