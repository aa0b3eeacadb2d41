"""The Party documents, terms and provinces a query names, found as in the articles.

The query goes through the same extraction as an article (``index/party_documents.py``),
so ``NQ TW4 khóa XII``, ``nghị quyết trung ương 4 khóa 12`` and ``Nghị quyết 04-NQ/TW`` all
name the value the articles are tagged with.  Two query forms the article extraction does not
cover on purpose are looked up among the index's own facet values: a bare document number
(``chỉ thị 05``, ``quy định 181`` — in an article, a number without its code is too loose to
tag, in a query it is how users ask) and a province typed in any case or without accents
(``long an``).  Each entity keeps the query words that name it, so the search can accept an
article tagged with it in place of those words (see ``search/scoring.py``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from index.facet_values import keyword_value
from index.normalize import fold_diacritics, normalize_text
from index.party_documents import (_is_party_cc_term, equivalent_resolutions, find_resolutions, find_terms, from_roman,
                                    implied_terms, plenum_of)
from search.facets import value_key

# Document types as typed (accents folded) -> how the facet values spell them.
_BARE_TYPES = {
    "nghi quyet": "Nghị quyết", "nq": "Nghị quyết", "chi thi": "Chỉ thị", "ct": "Chỉ thị",
    "quy dinh": "Quy định", "qd": "Quy định", "ket luan": "Kết luận", "kl": "Kết luận",
}
_BARE_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(_BARE_TYPES, key=len, reverse=True))
                      + r")\s+(?:so\s+)?(\d{1,4})(?![\w/-])")
# Words that belong to a document's name however it is written (abbreviations, "số").
_TERM_RE = re.compile(r"(?<!\w)khoa\s+(\d{1,2}|[ivx]{1,5})(?!\w)")
_NAME_WORDS = {"nq", "tw", "tu", "qd", "ct", "kl", "so", "khoa", "hoi", "nghi", "trung", "uong", "chi", "thi"}
# A province is named by its own syllables and the words for its kind of unit, nothing else:
# "hội nghị Long An" must still find "hội nghị" in the article.
_PLACE_WORDS = {"tinh", "thanh", "pho", "tp"}
MAX_PLACE_SYLLABLES = 4


@dataclass
class Entity:
    """One thing a query names: a facet value (with its twins) and the words naming it."""

    facet: str  # "resolution", "term" or "province"
    values: list[str]
    docs: np.ndarray  # articles tagged with any of the values
    concepts: list[int] = field(default_factory=list)  # indexes of the query concepts naming it
    # Where one naming word meets the next, the folded syllable pairs that may stand there
    # (one set per join): an article not tagged with the entity must hold its name as
    # written, side by side, not its words scattered over the text (see ``name_joins``).
    joins: list[set[tuple[str, str]]] = field(default_factory=list)
    # Its plenum resolution values: a tagged article that writes one by name ("Nghị quyết
    # (Hội nghị) Trung ương 5", "NQ TW5"), not only the plenum ("Hội nghị Trung ương 5 bế
    # mạc"), ranks above those (the index's ``cited_resolutions``).  They come from the
    # values, so every way of typing the query gets the same order.
    cited: list[str] = field(default_factory=list)


def _numbers(value: str) -> set[str]:
    """Number forms inside a value: "Nghị quyết Trung ương 4 khóa XII" -> 4, xii, 12."""
    out = set()
    for tok in re.findall(r"[^\W_]+", value.lower()):
        if tok.isdigit():
            out |= {tok, tok.lstrip("0") or "0"}
        elif re.fullmatch(r"[ivx]+", tok):
            n = from_roman(tok.upper())
            if n:
                out |= {tok, str(n)}
    return out


def _name_syllables(facet: str, value: str) -> set[str]:
    syl = {fold_diacritics(s) for s in re.findall(r"[^\W_]+", value.lower())}
    if facet == "province":
        return syl | _PLACE_WORDS
    return syl | _numbers(value) | _NAME_WORDS


def own_twins(value: str) -> set[str]:
    """The resolution value and its twin when each is the other's only one.

    Codes restart with each term (04-NQ/TW is TW3 khóa X and TW4 khóa XII): a plenum is not
    widened to a code other plenums share (it would bring their articles), and such a code,
    with no term to tell, to none of its plenums.

    >>> sorted(own_twins("Nghị quyết Trung ương 8 khóa XII"))
    ['Nghị quyết 36-NQ/TW', 'Nghị quyết Trung ương 8 khóa XII']
    >>> own_twins("Nghị quyết Trung ương 3 khóa X"), own_twins("Nghị quyết 04-NQ/TW")
    ({'Nghị quyết Trung ương 3 khóa X'}, {'Nghị quyết 04-NQ/TW'})
    """
    twins = equivalent_resolutions(value) - {value}
    if len(twins) == 1 and equivalent_resolutions(next(iter(twins))) == twins | {value}:
        return twins | {value}
    return {value}


def find_entities(text: str, concepts, tables, keys) -> list[Entity]:
    """Entities named by a query (its accented reading) with the concepts naming each.

    ``tables``/``keys`` are the reader's facet tables and loose-key indexes.
    """
    norm = normalize_text(text)
    found: list[tuple[str, list[str]]] = []
    terms = find_terms(norm)
    # In an article a bare "khóa 12" is a term only in a sentence about the Party; a query
    # has no sentence, and in this search a term typed is a Party term: the index's own
    # term values (tagged in the Party sense only) decide.
    for m in _TERM_RE.finditer(fold_diacritics(norm).lower()):
        if not _is_party_cc_term(norm, m.start(), need_party_cue=False):
            continue  # "Quốc hội khóa 11": another body's term, as find_terms judges (folding keeps positions)
        for i in keys["term"].get(value_key("term", m.group(1)), []):
            if tables["term"].values[i] not in terms:
                terms.append(tables["term"].values[i])
    resolutions = find_resolutions(norm, terms)
    folded = fold_diacritics(norm).lower()
    table = tables["resolution"]
    for m in _BARE_RE.finditer(folded):
        prefix = re.compile(rf"^{re.escape(_BARE_TYPES[m.group(1)])} 0*{int(m.group(2))}[-/]")
        resolutions += [v for v in table.values if prefix.match(v) and v not in resolutions]
    for r in resolutions:
        values = own_twins(r)
        if r.startswith("Nghị quyết Trung ương") and " khóa " not in r:
            # A plenum named without its term ("NQ TW4") names that plenum of every term.
            values |= {v for v in table.values if v.startswith(r + " khóa ")}
        found.append(("resolution", sorted(values)))
    implied = set(implied_terms(resolutions))
    for t in terms:
        if t not in implied:
            found.append(("term", [t]))
    found += [("province", [p]) for p in _places(concepts, tables["province"], keys["province"])]

    entities, used = [], set()
    for facet, values in found:
        idx = sorted({i for v in values for i in keys[facet].get(value_key(facet, v), [])})
        if not idx and facet == "province":
            continue
        # A document or term the index has no article tagged with is still what the query
        # names: its words stay required together (untagged articles may cite it), rather
        # than counting as loose words of a long query, any 30% of which would do.
        allowed = set().union(*(_name_syllables(facet, v) for v in values))
        mine = []
        for i, concept in enumerate(concepts):
            if i in used:
                continue
            if any(a.syllables and {fold_diacritics(s) for s in a.syllables} <= allowed for a in concept):
                mine.append(i)
        used.update(mine)
        docs = tables[facet].mask_for(idx)
        if facet == "resolution":
            docs = _twins_in_their_term(values, docs, tables, keys)
        names = [tables[facet].values[i] for i in idx] or sorted(values)
        cited = [keyword_value(v) for v in names if plenum_of(v)]
        entities.append(Entity(facet, names, docs, mine, name_joins(concepts, mine), cited))
    return entities


def _twins_in_their_term(values: list[str], docs: np.ndarray, tables, keys) -> np.ndarray:
    """Articles tagged with a plenum's code twin count only in the plenum's term: codes
    restart with each term (12-NQ/TW is TW4 khóa XI in 2012 and the state-enterprise
    resolution of khóa XII in 2017), so an article naming another term, and none of this
    one, cites another document.  Articles naming no term keep the twin."""
    terms = {p[1] for v in values if (p := plenum_of(v)) and p[1]}
    codes = [v for v in values if plenum_of(v) is None]
    if len(terms) != 1 or not codes:
        return docs
    table = tables["resolution"]
    plenums = table.mask_for(sorted({i for v in values if v not in codes
                                     for i in keys["resolution"].get(value_key("resolution", v), [])}))
    coded = table.mask_for(sorted({i for v in codes for i in keys["resolution"].get(value_key("resolution", v), [])}))
    term_table = tables["term"]
    in_term = term_table.mask_for(keys["term"].get(value_key("term", next(iter(terms))), []))
    no_term = ~term_table.mask_for(list(range(len(term_table.values))))
    return plenums | (coded & (in_term | no_term))


# The word that begins a term ("khóa XII"): documents write the term apart from the name
# ("Nghị quyết Trung ương 4 (khóa XII)", or once for the whole article), as the extraction
# reads it (``index/party_documents.py``: the term after the name, or the article's only one).
_TERM_WORDS = {("khoa",), ("nhiem", "ky")}


def name_joins(concepts, mine: list[int]) -> list[set[tuple[str, str]]]:
    """The joins between consecutive query words naming one entity, as the folded syllable
    pairs any of their alternatives make there ("NQ TW4" and "nghị quyết trung ương 4" both
    end in "tw 4" / "ương 4").  No join where the query itself has punctuation, nor before a
    term's "khóa".

    >>> from search.query import parse_query
    >>> c = parse_query("NQ TW4 khóa XII").concepts
    >>> [sorted(j) for j in name_joins(c, [0, 1, 2, 3, 4])]
    [[('nq', 'trung'), ('nq', 'tw'), ('quyet', 'trung'), ('quyet', 'tw')], [('tw', '4'), ('uong', '4')], [('khoa', '12'), ('khoa', 'xii')]]
    """
    joins = []
    for i, j in zip(mine, mine[1:]):
        if j != i + 1 or any(a.after_break for a in concepts[j][:1]):
            continue
        if tuple(fold_diacritics(s) for s in concepts[j][0].syllables) in _TERM_WORDS:
            continue
        joins.append({(fold_diacritics(a.syllables[-1]), fold_diacritics(b.syllables[0]))
                      for a in concepts[i] for b in concepts[j] if a.syllables and b.syllables})
    return joins


def _places(concepts, table, keys) -> list[str]:
    """Provinces named by consecutive query words, in any case and with or without accents."""
    sylls = [c[0].syllables for c in concepts]
    out = []
    for i in range(len(sylls)):
        run: list[str] = []
        for j in range(i, len(sylls)):
            run += sylls[j]
            if len(run) > MAX_PLACE_SYLLABLES:
                break
            if len(run) >= 2:
                for k in keys.get(value_key("province", " ".join(run)), []):
                    if table.values[k] not in out:
                        out.append(table.values[k])
    return out

