"""The search facade: ``search(query, filters, sort, page, size) -> dict``.

The command line, the HTML pages and the JSON API all call this module; it returns plain
dicts (JSON-ready) so each front end only renders.
"""
from __future__ import annotations

import functools
import math
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from index.analysis import segment
from index.facet_values import plain_value
from index.normalize import fold_diacritics, normalize_text
from index.party_documents import find_resolutions, find_terms
from index.schema import INDEX_NAME, check_manifest
from search.facets import FACETS, FacetTable, check_filters, value_key
from search.completions import Completer, complete_query
from search.entities import own_twins
from search.export import export_hits
from search.dedup import collapse as collapse_duplicates
from search.generations import Generations, LockedSearcher
from search.highlight import MatchTerms, highlight, mark
from search.leads import Leads, found_in
from search.query import QueryError
from search.reading import id_hashes, read_ids
from search.relax import without_each_filter
from search.scoring import PostingsCache, QueryScorer, Scored
from search.suggest import suggestion_for, vocabulary
from search.timeline import DateRange, timeline
from search.understand import accent_reader, understand
from search.windows import long_snippet, page_text

SORTS = ("relevance", "date")
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
DEFAULT_FACET_SIZE = 10
HIT_FIELDS = ("provinces", "provinces_new", "terms", "resolutions")
RERANK_DEPTH = 30  # candidates whose lead is read
LEAD_WEIGHT = 0.4
SIMILAR_CHARS = 3000
TIER_STEP = 1e6  # above any score: a tier of tagged articles is never outranked by the next


def _best_first(ties: np.ndarray, scores: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """Positions by tier and score, best first; ties by ``ties`` (the articles' places in id
    order, see ``id_ranks``), so pages never overlap or skip a hit and two builds of one
    corpus rank alike (an exact second key: a tiny number added to tier steps of 1e6 would
    vanish in float64 rounding)."""
    return np.lexsort((ties, -(scores + tier)))


def id_ranks(ids: list | None, n: int) -> np.ndarray:
    """Each document's place in the order of the articles' ids, by document number.

    Document numbers follow the order the indexing workers happened to write articles in;
    ties broken by them made two builds of one corpus order equal hits differently.  Ids
    are the articles' own: without them (an index without the id column) the document number.
    """
    if ids is None:
        return np.arange(n, dtype=np.int64)
    ranks = np.empty(n, dtype=np.int64)
    ranks[sorted(range(n), key=ids.__getitem__)] = np.arange(n)
    return ranks


class IndexNotFoundError(Exception):
    """There is no index where one was expected."""


def default_index_dir() -> Path:
    """``$VNSEARCH_INDEX``, else ``$XDG_DATA_HOME/vnsearch/index`` (``~/.local/share/...``)."""
    if os.environ.get("VNSEARCH_INDEX"):
        return Path(os.environ["VNSEARCH_INDEX"]).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "vnsearch" / "index"


@dataclass
class ReaderState:
    """What one searcher generation needs besides Whoosh: facet tables, dates, live docs."""

    searcher: object
    tables: dict[str, FacetTable]
    keys: dict[str, dict[str, list[int]]]
    alive: np.ndarray
    dates: np.ndarray
    ranks: np.ndarray  # id_ranks: the tie-breaker of every ordering
    id_hashes: np.ndarray | None  # the accent reader's sampling order (search/reading.py)
    postings: PostingsCache
    folder: int
    lock: threading.RLock  # held by every read of this generation's index files

    @property
    def generation(self) -> str:
        """Which commit this is: the folder (a rebuild swaps it) and Whoosh's generation."""
        return f"{self.folder}.{self.searcher.raw.reader().generation()}"

    # Built on first use and owned by this generation, so they die with it (a global weak
    # cache keyed on the generation kept it alive: its values point back at the key).  One
    # lock per generation and per name: building one generation's reader after a commit
    # never holds up searches on another, nor the other lazy parts of the same one.
    _lazy: dict = field(default_factory=dict, init=False, repr=False)
    _locks: dict = field(default_factory=dict, init=False, repr=False)
    _locks_guard: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def lazily(self, name: str, build):
        """``build()`` once for this generation, kept under ``name``."""
        value = self._lazy.get(name)
        if value is None:
            with self._locks_guard:
                lock = self._locks.setdefault(name, threading.Lock())
            with lock:
                value = self._lazy.get(name)
                if value is None:
                    value = self._lazy[name] = build()
        return value

    def forget(self, name: str) -> None:
        """Drop what ``lazily`` keeps under ``name`` (it is built again on next use)."""
        self._lazy.pop(name, None)

    @classmethod
    def build(cls, searcher, folder: int, lock: threading.RLock | None = None) -> "ReaderState":
        """Read a new generation's facet tables and dates (before any other thread sees it)."""
        lock = lock or threading.RLock()
        reader = searcher.reader()
        n = reader.doc_count_all()
        alive = np.zeros(n, dtype=bool)
        alive[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        tables = {name: FacetTable.build(reader, name) for name in FACETS}
        dates = np.zeros(n, dtype=np.int64)
        if reader.has_column("date"):
            for i, d in enumerate(reader.column_reader("date")):
                d = d.decode() if isinstance(d, bytes) else d
                if d:
                    dates[i] = int(d.replace("-", "")[:8] or 0)
        # Code that reads stored fields through the cache's reader takes the lock too.
        postings = PostingsCache(LockedSearcher(reader, lock), lock)
        postings.warm()
        # The word tables of suggestions, accent reading and completions are read from the
        # lexicons once per generation: here, while no other thread can use this reader.
        vocabulary(searcher)
        ids = read_ids(reader)  # once, for both orders
        return cls(LockedSearcher(searcher, lock), tables, {k: t.keys() for k, t in tables.items()},
                   alive, dates, id_ranks(ids, n), id_hashes(ids) if ids is not None else None,
                   postings, folder, lock)


@dataclass
class Selection:
    """The documents a search selects: matched, filtered, with scores and the filter state."""

    scored: Scored
    base: np.ndarray  # matched by the query
    masks: dict[str, np.ndarray]  # one per filtered facet
    final: np.ndarray  # matched and passing every filter
    selected: dict[str, list[str]]
    warnings: list[str]
    relaxed: bool


def _doc(fields: dict) -> dict:
    """The public fields of a stored document."""
    split = (lambda v: [plain_value(x) for x in (v or "").split(",") if x])
    out = {
        "id": fields.get("id"),
        "title": fields.get("title") or "",
        "date": fields.get("date") or None,
        "source": plain_value(fields.get("source") or "") or None,
        "url": fields.get("url") or None,
        "category": fields.get("category") or None,
    }
    for name in HIT_FIELDS:
        out[name] = split(fields.get(name))
    return out


class SearchEngine:
    """A long-lived reader of one index; it notices when the index changes.

    Safe to share between threads (see :mod:`search.generations`): every call works on one
    searcher generation, or on the generation pinned by :meth:`pin` for a whole request.
    """

    def __init__(self, index_dir: Path | str | None = None):
        self.index_dir = Path(index_dir) if index_dir else default_index_dir()
        if not whoosh_index.exists_in(str(self.index_dir), indexname=INDEX_NAME):
            raise IndexNotFoundError(
                f"no index at {self.index_dir}; build one with `vnsearch index` "
                "(no SOURCE indexes the bundled sample)"
            )
        self._ix = None
        self._folder = None
        # Load pyvi now, not inside the first search's timing; the first generation's facet
        # arrays are read by the constructor of Generations.
        segment("khởi động")
        self._generations = Generations(self._open_state, self._is_current, _close_state)

    def _folder_identity(self) -> int:
        """Changes when ``vnsearch index --rebuild`` swaps in a new folder."""
        try:
            return os.stat(self.index_dir).st_ino
        except OSError:
            return -1

    def _is_current(self, st: ReaderState) -> bool:
        # The raw searcher: this lists the folder and reads no file a reader holds open.
        return st.folder == self._folder_identity() and st.searcher.raw.up_to_date()

    def _open_state(self, lock) -> ReaderState:
        """A fresh searcher and its arrays (called by one thread at a time).

        A fresh searcher every time: Whoosh's ``refresh`` reuses segment readers with their
        old deletions, so replaced documents would show twice.
        """
        folder = self._folder_identity()
        if self._ix is None or folder != self._folder:
            if not whoosh_index.exists_in(str(self.index_dir), indexname=INDEX_NAME):
                raise IndexNotFoundError(f"no index at {self.index_dir}; build one with `vnsearch index`")
            check_manifest(self.index_dir)
            self._ix = whoosh_index.open_dir(str(self.index_dir), indexname=INDEX_NAME)
            self._folder = folder
        return ReaderState.build(self._ix.searcher(), folder, lock)

    def state(self) -> ReaderState:
        """The latest reader state, not pinned: for scripts and benchmarks on one thread."""
        return self._generations.latest()

    def pin(self):
        """Keep every call of the calling context on today's generation until ``release()``.

        A web request pins at its start and unpins at its end, so its counts, hits and links
        come from one commit, and the generation stays open until it is done.
        """
        return self._generations.pin()

    def close(self) -> None:
        """Close the searcher once the requests still running on it end."""
        self._generations.close()

    # -- filters -----------------------------------------------------------------------
    def _resolve(self, st: ReaderState, name: str, values: list[str]) -> tuple[list[str], list[int], list[str]]:
        """Canonical values, their indexes, and warnings for values the index lacks."""
        canon, idx, warnings = [], [], []
        keys = st.keys[name]
        table = st.tables[name]
        for v in values:
            found = list(keys.get(value_key(name, v), []))
            if name == "resolution" and not found:
                # Written as in an article ("NQ TW4 (Khóa XII)", "Chỉ thị 05 của Bộ Chính trị").
                text = normalize_text(v)
                for canonical in _resolutions_named(text)[:1]:
                    found = list(keys.get(value_key(name, canonical), []))
                    v = canonical
            if name == "resolution":
                # Only a twin of its own: a code other plenums reuse would bring their articles.
                for twin in own_twins(table.values[found[0]] if found else v):
                    found += keys.get(value_key(name, twin), [])
            if found:
                canon.append(table.values[found[0]])
                idx.extend(found)
            else:
                canon.append(v)
                warnings.append(f"no article has {name} = {v!r}")
        return list(dict.fromkeys(canon)), sorted(set(idx)), warnings

    def _select(self, st: ReaderState, parsed, filters: dict | None, dates: DateRange | None = None) -> "Selection":
        """Match and score the query, then apply the date range and the facet filters (as masks)."""
        filters = check_filters(filters)
        scorer = QueryScorer(st.postings)
        scored = scorer.evaluate(parsed)
        base = scored.mask & st.alive
        warnings = []
        if parsed.unsearchable:
            base[:] = False
            warnings.append("the query holds no word to search for")
        relaxed = False
        if len(parsed.concepts) > 1 and not base.any():
            # Nothing has every word: show what has most of them, and say so.
            scored, relaxed = scorer.evaluate(parsed, relaxed=True), True
            base = scored.mask & st.alive
        if dates is not None:
            # Part of what the query selects, so facet counts and the timeline follow it.
            base &= dates.mask(st.dates)
        selected, masks = {}, {}
        for name, values in filters.items():
            canon, idx, warn = self._resolve(st, name, values)
            selected[name] = canon
            masks[name] = st.tables[name].mask_for(idx)
            warnings += warn
        final = base.copy()
        for m in masks.values():
            final &= m
        return Selection(scored, base, masks, final, selected, warnings, relaxed)

    def matches(self, query: str = "", filters: dict | None = None, *, date_from: str | None = None,
                date_to: str | None = None) -> np.ndarray:
        """Document numbers of every hit of a search (for exports and benchmarks)."""
        with self._generations.use() as st:
            dates = DateRange.parse(date_from, date_to)
            return np.flatnonzero(self._select(st, understand(query, st), filters, dates).final)

    # -- the facade ----------------------------------------------------------------------
    def search(self, query: str = "", filters: dict | None = None, sort: str = "relevance",
               page: int = 1, size: int = 10, *, facets: bool = True, snippets: bool = True,
               suggest: bool = True, facet_size: int = DEFAULT_FACET_SIZE,
               date_from: str | None = None, date_to: str | None = None, collapse: bool = False) -> dict:
        """Run one search: hits of the page, total, facet counts, timeline, timing.

        ``collapse`` nests near-duplicates of a hit on the page under it (``duplicates``).

        ``date_from``/``date_to`` (ISO dates, inclusive, either open) keep articles dated
        inside the range.

        ``facets``, ``snippets`` and ``suggest`` may be turned off by callers that only
        need the ranked ids (``--batch``, exports).
        """
        started = time.perf_counter()
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
        if not (isinstance(page, int) and 1 <= page <= MAX_PAGE):
            raise QueryError(f"page must be a whole number from 1 to {MAX_PAGE}")
        if not (isinstance(size, int) and 1 <= size <= MAX_PAGE_SIZE):
            raise QueryError(f"size must be a whole number from 1 to {MAX_PAGE_SIZE}")
        dates = DateRange.parse(date_from, date_to)
        with self._generations.use() as st:
            parsed = understand(query, st)
            sel = self._select(st, parsed, filters, dates)
            base, masks, final, selected = sel.base, sel.masks, sel.final, sel.selected
            total = int(final.sum())

            facet_out, facet_more = {}, {}
            if facets:
                for name, table in st.tables.items():
                    m = base.copy()
                    for other, om in masks.items():
                        if other != name:
                            m &= om
                    facet_out[name], facet_more[name] = _facet_values(
                        table, table.counts(m), selected.get(name, []), facet_size)

            offset = (page - 1) * size
            terms = parsed.match_terms()
            ranked = self._ranked(st, sel, parsed, sort, offset, offset + size)
            hits = [self._hit(fields, score, terms, snippets) for fields, score in ranked]
            if collapse:
                hits = collapse_duplicates(hits, [fields.get("body") or "" for fields, _ in ranked])
            return {
                "query": query or "",
                "filters": selected,
                "sort": sort,
                "page": page,
                "size": size,
                "total": total,
                "pages": min(math.ceil(total / size), MAX_PAGE),
                "hits": hits,
                "facets": facet_out,
                "facets_truncated": facet_more,
                **(dates or DateRange()).as_params(),
                # Articles per month of this search, and how many have no date ("Mới nhất" lists them last).
                **({"timeline": (tl := timeline(st.dates, final)), "undated": tl["undated"]} if facets else {}),
                "relaxed": sel.relaxed,
                # The accented words an unaccented query was read as, and for a long query how
                # many of its words each hit holds at least (when not all are required).
                "reading": parsed.reading,
                "min_should_match": ({"required": sel.scored.required[0], "words": sel.scored.required[1]}
                                     if sel.scored.required[0] < sel.scored.required[1] else None),
                **(self._suggestion(st, query, total, sel, filters, dates) if suggest else {"suggestion": None}),
                "warnings": sel.warnings,
                # What each selected value costs: totals without it, from the masks in hand.
                "without_filter": without_each_filter(st, sel, filters, self._resolve)
                if not total else [],
                "took_ms": round((time.perf_counter() - started) * 1000, 2),
            }

    def _suggestion(self, st: ReaderState, query: str, total: int, sel: "Selection", filters, dates) -> dict:
        """A did-you-mean that finds something with the same filters, and how much; else none."""
        text = suggestion_for(query, total, st.searcher, incomplete=sel.relaxed or sel.scored.missing > 0,
                              reader=accent_reader(st))
        if text:
            found = int(self._select(st, understand(text, st), filters, dates).final.sum())
            # Worth offering when it finds more, or finds with every word what this search
            # found only with some (relaxed, or a word the index lacks).
            if found and (found > total or sel.relaxed or sel.scored.missing):
                return {"suggestion": text, "suggestion_total": found}
        return {"suggestion": None}

    def _ranked(self, st: ReaderState, sel: "Selection", parsed, sort: str, start: int, stop: int):
        """Stored fields and scores of the hits ranked ``start`` to ``stop`` of a selection."""
        ranked, loaded = self._ranking(st, sel, parsed, sort, start, stop)
        return [(loaded.get(d) or st.searcher.stored_fields(d), score) for d, score in ranked]

    def _ranking(self, st: ReaderState, sel: "Selection", parsed, sort: str, start: int, stop: int):
        """Document numbers and scores of the hits ranked ``start`` to ``stop``, and the stored
        fields the ranking read on the way (the rerank reads the leads of the best)."""
        docnums = np.flatnonzero(sel.final)
        loaded: dict[int, dict] = {}
        if start >= len(docnums):
            return [], loaded
        if sort == "date" or parsed.empty:
            order = np.lexsort((st.ranks[docnums], -st.dates[docnums]))
            ranked = [(int(d), None) for d in docnums[order][start:stop]]
        else:
            scores = sel.scored.score[docnums].astype(np.float64)
            # Articles tagged with what the query names come first, by score within a tier.
            tier = (sel.scored.tier[docnums].astype(np.float64) * TIER_STEP
                    if sel.scored.tier is not None else np.zeros(len(docnums)))
            top = max(stop, RERANK_DEPTH)
            if len(docnums) > top:
                # The best ``top``, and every hit tied with the last of them.
                key = -(scores + tier)
                keep = np.flatnonzero(key <= np.partition(key, top - 1)[top - 1])
                docnums, scores, tier = docnums[keep], scores[keep], tier[keep]
            scores, loaded = self._lead_rerank(st, docnums, scores, parsed, tier)
            order = _best_first(st.ranks[docnums], scores, tier)[start:stop]
            ranked = [(int(docnums[i]), float(scores[i])) for i in order]
        return ranked, loaded

    def export(self, query: str = "", filters: dict | None = None, sort: str = "relevance",
               limit: int = 10_000, *, date_from: str | None = None, date_to: str | None = None) -> dict:
        """The first ``limit`` hits of a search in one pass (no snippets, no facets), with the total."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
        dates = DateRange.parse(date_from, date_to)
        with self._generations.use() as st:
            parsed = understand(query, st)
            sel = self._select(st, parsed, filters, dates)
            ranked, loaded = self._ranking(st, sel, parsed, sort, 0, limit)
            # The per-row path is the cost of an export: rows read in chunks, bodies dropped.
            hits = export_hits(st, ranked, loaded, _doc)
            return {"total": int(sel.final.sum()), "filters": sel.selected, "hits": hits}

    def _lead_rerank(self, st: ReaderState, docnums: np.ndarray, scores: np.ndarray,
                     parsed, tier: np.ndarray) -> tuple[np.ndarray, dict[int, dict]]:
        """Raise the best candidates whose lead (title and first lines) holds the query.

        A news article says what it is about in its headline and first sentences; the
        bonus is the share of the query's syllables found there.  Only the top
        ``RERANK_DEPTH`` candidates are read, so the order below them is untouched; their
        stored fields are returned for the page to reuse.
        """
        loaded: dict[int, dict] = {}
        wanted = {fold_diacritics(s) for s in parsed.syllables()}
        if not LEAD_WEIGHT or not len(docnums) or not wanted:
            return scores, loaded
        # Rare query syllables in the lead say more than common ones: weigh them by idf.
        n = max(st.postings.n, 1)
        weight = {f: math.log(1 + n / (1 + len(st.postings.postings("body_f", f)[0]))) for f in wanted}
        total = sum(weight.values()) or 1.0
        best = _best_first(st.ranks[docnums], scores, tier)[:RERANK_DEPTH]
        out = scores.copy()
        leads = st.lazily("leads", Leads)

        def fields(docnum: int) -> dict:
            loaded[docnum] = st.searcher.stored_fields(docnum)
            return loaded[docnum]

        for i in best:
            docnum = int(docnums[i])
            found = found_in(leads.get(docnum, lambda: fields(docnum)), wanted)
            out[i] = scores[i] * (1 + LEAD_WEIGHT * sum(weight[f] for f in found) / total)
        return out, loaded

    def _hit(self, fields: dict, score: float | None, terms: MatchTerms, snippets: bool) -> dict:
        """One result: public fields, score, and (for pages) highlighted title and snippet."""
        hit = _doc(fields)
        hit["score"] = round(score, 4) if score is not None else None
        if snippets:
            body = fields.get("body") or ""
            hit["title_html"] = str(mark(hit["title"], []) if not terms else highlight(hit["title"], terms))
            hit["snippet"] = str(long_snippet(body, terms))
        return hit

    def facet_values(self, name: str, query: str = "", filters: dict | None = None,
                     contains: str = "", limit: int | None = None, **dates) -> dict:
        """All values of one facet for a search (its own filter ignored), optionally only
        those whose loose form contains ``contains`` ("long" lists Long An)."""
        if name not in FACETS:
            raise QueryError(f"unknown facet {name!r}; facets are: {', '.join(FACETS)}")
        result = self.search(query, filters, size=1, facets=True, snippets=False, facet_size=10**9, **dates)
        values = result["facets"][name]
        if contains.strip():
            needle = value_key(name, contains)
            values = [v for v in values if needle in value_key(name, v["value"])]
        total = len(values)
        if limit is not None:
            values = values[:limit]
        return {"name": name, "values": values, "total_values": total, "truncated": total > len(values)}

    def document(self, doc_id: str, query: str = "") -> dict | None:
        """One article with its clean body, highlighted for ``query``, and similar articles."""
        with self._generations.use() as st:
            docnum = st.searcher.document_number(id=doc_id)
            if docnum is None:
                return None
            fields = st.searcher.stored_fields(docnum)
            terms = understand(query, st).match_terms()
            out = _doc(fields)
            out["body"] = fields.get("body") or ""
            # A report of millions of characters: the page shows (and highlights) its start.
            shown, out["body_truncated"] = page_text(out["body"])
            out["body_html"] = str(highlight(shown, terms))
            out["body_chars"] = len(out["body"])
            out["title_html"] = str(highlight(out["title"], terms))
            out["similar"] = self.similar(st, docnum, out["title"] + "\n" + out["body"][:SIMILAR_CHARS])
            return out

    def similar(self, st: ReaderState, docnum: int, text: str, count: int = 5) -> list[dict]:
        """Articles sharing the most distinctive words of this one ("bài viết liên quan").

        Only the title and the first ``SIMILAR_CHARS`` characters are analysed: the lead
        says what the article is about, and pyvi on a whole long report would take seconds.
        """
        results = st.searcher.more_like(docnum, "body", text=text, top=count, numterms=25)
        return [_doc(h.fields()) | {"score": round(h.score, 4)} for h in results]

    def completions(self, query: str, limit: int = 8) -> list[dict]:
        """What the search box proposes as the user types (names and title words from the index)."""
        with self._generations.use() as st:
            comp = st.lazily("completer", lambda: Completer(vocabulary(st.searcher), st.tables, st.alive))
            return complete_query(comp, query, limit)

    def overview(self) -> dict:
        """The corpus at a glance: articles, per year, per province, top resolutions."""
        with self._generations.use() as st:
            counts = {}
            for name, table in st.tables.items():
                values, _ = _facet_values(table, table.counts(st.alive), [], 10**9)
                counts[name] = values
            return {"documents": int(st.alive.sum()), "facets": counts}


@functools.lru_cache(maxsize=4096)
def _resolutions_named(text: str) -> list[str]:
    """The canonical documents a typed filter value names (pure; a long URL repeats them)."""
    return find_resolutions(text, find_terms(text))


def _close_state(st: ReaderState) -> None:
    """Free a generation's files (its searcher's raw reader)."""
    st.searcher.raw.close()


def _facet_values(table: FacetTable, counts: np.ndarray, selected: list[str], size: int):
    """Values sorted by count (then name), the top ``size`` plus every selected one."""
    order = sorted(np.flatnonzero(counts).tolist(), key=lambda i: (-counts[i], table.values[i]))
    if table.name == "year":
        order.sort(key=lambda i: table.values[i], reverse=True)
    chosen = order[:size]
    truncated = len(order) > size
    shown = {table.values[i] for i in chosen}
    out = [{"value": table.values[i], "count": int(counts[i]), "selected": table.values[i] in selected} for i in chosen]
    for v in selected:
        if v not in shown:
            i = table.values.index(v) if v in table.values else None
            out.append({"value": v, "count": int(counts[i]) if i is not None else 0, "selected": True})
    return out, truncated


_ENGINES: dict[Path, SearchEngine] = {}
_ENGINES_LOCK = threading.Lock()


def engine_for(index_dir: Path | str | None = None) -> SearchEngine:
    """The shared engine of an index folder (one open reader per process)."""
    path = (Path(index_dir) if index_dir else default_index_dir()).resolve()
    with _ENGINES_LOCK:
        if path not in _ENGINES:
            _ENGINES[path] = SearchEngine(path)
        return _ENGINES[path]


def search(query: str = "", filters: dict | None = None, sort: str = "relevance", page: int = 1,
           size: int = 10, index_dir: Path | str | None = None, **options) -> dict:
    """Search the index: the one entry point of the CLI, the pages and the API."""
    return engine_for(index_dir).search(query, filters, sort, page, size, **options)
