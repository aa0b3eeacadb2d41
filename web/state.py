"""The search state in a URL: parse GET parameters, and build URLs for changed states.

Every state of the search page is a URL (``q``, one repeatable parameter per facet, ``sort``,
``page``, ``size``), so results can be bookmarked, shared and reached without JavaScript.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from search.engine import MAX_PAGE, MAX_PAGE_SIZE, SORTS
from search.facets import FACETS
from search.query import QueryError
from search.timeline import DateRange

DEFAULT_SIZE = 10


def whole_number(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    """A bounded integer parameter, or a ``QueryError`` that says what is allowed.

    >>> whole_number("3", "page", 1, 1, 1000), whole_number("", "page", 1, 1, 1000)
    (3, 1)
    >>> whole_number("²", "limit", 1, 1, 10)
    Traceback (most recent call last):
    ...
    search.query.QueryError: limit must be a whole number from 1 to 10 (got '²')
    >>> whole_number("abc", "page", 1, 1, 1000)
    Traceback (most recent call last):
    ...
    search.query.QueryError: page must be a whole number from 1 to 1000 (got 'abc')
    """
    if raw is None or not raw.strip():
        return default
    text = raw.strip()
    # ASCII digits only ("²" is a digit to str.isdigit but not to int), and few of them
    # (int() of 4,300+ digits raises, and of fewer still costs time for nothing).
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise QueryError(f"{name} must be a whole number from {low} to {high} (got {shown!r})")
    value = int(text)
    if not low <= value <= high:
        raise QueryError(f"{name} must be a whole number from {low} to {high} (got {value})")
    return value


@dataclass(frozen=True)
class SearchState:
    """What the user asked for: query, selected facet values, sort, page, page size, date range."""

    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    size: int = DEFAULT_SIZE
    date_from: str = ""  # ISO dates, inclusive; empty leaves that side open
    date_to: str = ""

    @classmethod
    def from_args(cls, args, default_size: int = DEFAULT_SIZE) -> "SearchState":
        """Read a request's GET parameters (a ``MultiDict``); raise ``QueryError`` on bad ones."""
        sort = (args.get("sort") or "relevance").strip()
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
        filters = {}
        for name in FACETS:
            values = [v.strip() for v in args.getlist(name) if v and v.strip()]
            if values:
                filters[name] = tuple(dict.fromkeys(values))
        dates = (DateRange.parse(args.get("date_from"), args.get("date_to")) or DateRange()).as_params()
        return cls(
            query=(args.get("q") or "").strip(),
            filters=filters,
            sort=sort,
            page=whole_number(args.get("page"), "page", 1, 1, MAX_PAGE),
            size=whole_number(args.get("size"), "size", default_size, 1, MAX_PAGE_SIZE),
            date_from=dates["date_from"] or "",
            date_to=dates["date_to"] or "",
        )

    def facade_filters(self) -> dict[str, list[str]]:
        """The filters as the search facade takes them."""
        return {name: list(values) for name, values in self.filters.items()}

    def facade_dates(self) -> dict[str, str | None]:
        """The date range as the search facade's keyword arguments."""
        return {"date_from": self.date_from or None, "date_to": self.date_to or None}

    def params(self, *, page: bool = True) -> list[tuple[str, str]]:
        """The state as ordered GET pairs, defaults left out (short, stable URLs).

        >>> SearchState("nghị quyết", {"province": ("Long An",)}, page=2).params()
        [('q', 'nghị quyết'), ('province', 'Long An'), ('page', '2')]
        """
        pairs = [("q", self.query)] if self.query else []
        for name in FACETS:
            pairs += [(name, v) for v in self.filters.get(name, ())]
        pairs += [(k, v) for k, v in (("date_from", self.date_from), ("date_to", self.date_to)) if v]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if page and self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.size != DEFAULT_SIZE:
            pairs.append(("size", str(self.size)))
        return pairs

    def query_string(self, *, page: bool = True) -> str:
        """The state as a URL query string (with its ``?``), or an empty string."""
        pairs = self.params(page=page)
        return "?" + urlencode(pairs) if pairs else ""

    # -- changed states (each resets to page 1 unless it is about pages) ---------------------
    def with_page(self, page: int) -> "SearchState":
        """The same search on another page."""
        return replace(self, page=page)

    def with_query(self, query: str) -> "SearchState":
        """Another query with the same filters."""
        return replace(self, query=query, page=1)

    def toggled(self, name: str, value: str) -> "SearchState":
        """Select ``value`` of facet ``name`` if it is not selected, else drop it."""
        current = self.filters.get(name, ())
        values = tuple(v for v in current if v != value) if value in current else current + (value,)
        filters = {k: v for k, v in self.filters.items() if k != name}
        if values:
            filters[name] = values
        return replace(self, filters=filters, page=1)

    @classmethod
    def browse(cls, name: str, value: str) -> "SearchState":
        """Every article with one facet value (no query): where a badge or chart bar leads."""
        return cls(filters={name: (value,)})

    def without_filters(self) -> "SearchState":
        """The same query with every filter (the date range too) dropped."""
        return replace(self, filters={}, date_from="", date_to="", page=1)

    def with_dates(self, date_from: str = "", date_to: str = "") -> "SearchState":
        """The same search narrowed to another date range (empty strings: no range)."""
        return replace(self, date_from=date_from, date_to=date_to, page=1)


def repaired_args(args) -> tuple[list[tuple[str, str]], str] | None:
    """The same search with its one bad parameter mended, and what was done, for an error
    page's way back (a wrong date order or page number must not cost the query and filters).

    >>> from werkzeug.datastructures import MultiDict
    >>> repaired_args(MultiDict([("q", "Long An"), ("date_from", "2021-06-01"), ("date_to", "2020-01-01")]))
    ([('q', 'Long An'), ('date_from', '2020-01-01'), ('date_to', '2021-06-01')], 'swapped_dates')
    >>> repaired_args(MultiDict([("q", "Long An"), ("province", "Cần Thơ"), ("page", "abc")]))
    ([('q', 'Long An'), ('province', 'Cần Thơ')], 'page')
    """
    from werkzeug.datastructures import MultiDict

    try:
        SearchState.from_args(args)
        return None  # nothing this page reads is wrong: no single parameter to mend
    except QueryError:
        pass
    pairs = list(args.items(multi=True))
    candidates = []
    if args.get("date_from") and args.get("date_to"):
        swap = {"date_from": args.get("date_to"), "date_to": args.get("date_from")}
        candidates.append(([(k, swap.get(k, v)) for k, v in pairs], "swapped_dates"))
    candidates += [([(k, v) for k, v in pairs if k != key], key) for key in dict.fromkeys(k for k, _ in pairs)]
    for mended, what in candidates:
        try:
            SearchState.from_args(MultiDict(mended))
        except QueryError:
            continue
        return mended, what
    return None

