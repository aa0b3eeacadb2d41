"""The one analysis of a query that matching, ranking, highlighting and suggestions read.

``understand(raw, state)`` parses the query (``search/query.py``), reads an unaccented query
as the accented words the user most likely meant (``search/reading.py``) and finds the Party
documents, terms and provinces it names (``search/entities.py``), all into one
:class:`~search.query.ParsedQuery`.  It needs a reader generation (its statistics and facet
values); ``parse_query`` alone stays the index-free parser.
"""
from __future__ import annotations

from search.entities import find_entities
from search.query import Alternative, ParsedQuery, parse_query
from search.reading import AccentReader, needs_reading
from search.suggest import vocabulary

def accent_reader(st) -> AccentReader:
    """The accent reader of a reader generation (its pair counts are cached with it), built
    once and kept by the generation itself, so it goes when the generation does."""
    return st.lazily("accent_reader", lambda: AccentReader(st.postings, vocabulary(st.searcher),
                                                           st.id_hashes, st.alive))


def understand(raw: str | None, st) -> ParsedQuery:
    """Parse, read and extract a query against one reader state (see the module doc)."""
    raw = raw or ""
    if not needs_reading(raw):
        parsed = parse_query(raw)
    else:
        reading = accent_reader(st).read(raw)
        parsed = parse_query(reading.text)
        if reading.changed:
            parsed.reading = reading.text
        for group in (parsed.concepts, [[a] for a in parsed.excluded]):
            for concept in group:
                _widen(concept, reading)
    if parsed.concepts:
        parsed.entities = find_entities(parsed.reading or raw, parsed.concepts, st.tables, st.keys)
    return parsed


def _widen(concept: list[Alternative], reading) -> None:
    """Where the reading is unsure, the runner-up reading joins as a lower-ranked
    alternative; a syllable the index cannot read makes its word match by folded form."""
    first = concept[0]
    if any(s in reading.unknown for s in first.syllables):
        first.loose = True
        return
    swapped = [reading.runner_up.get(s, s) for s in first.syllables]
    if swapped != first.syllables:
        ratio = min(reading.ratio.get(s, 1.0) for s in first.syllables if s in reading.runner_up)
        word = "_".join(swapped) if first.word is not None else None
        concept.insert(1, Alternative(swapped, word, weight=ratio))
