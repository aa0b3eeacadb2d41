"""Dates of a search: the ``date_from``/``date_to`` range and the per-query timeline.

News and legal search users narrow by issue date ("từ ngày … đến ngày …") and look at how a
subject spreads over time (Kibana's histogram, vbpl.vn's date range).  Dates are the
per-reader ``yyyymmdd`` integers the engine already holds (0 when an article has none), so
both the range mask and the timeline are a few NumPy operations over the hits.
"""
from __future__ import annotations

import calendar
import re
import threading
import weakref
from dataclasses import dataclass
from datetime import date

import numpy as np

from search.query import QueryError

MAX_MONTH_BARS = 48  # longer spans are counted per year
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# A full date: yyyymmdd.  Articles dated only by year (yyyy) cannot be placed in a month
# or a day range, so they count as undated here.
_FIRST_FULL_DATE = 10000101


def _parse(raw: str | None, name: str) -> int:
    """An ISO date as ``yyyymmdd`` (0 when empty), or a ``QueryError`` naming the parameter.

    >>> _parse("2021-06-04", "date_from"), _parse(" ", "date_to")
    (20210604, 0)
    >>> _parse("2021-02-30", "date_from")
    Traceback (most recent call last):
    ...
    search.query.QueryError: date_from must be a date written YYYY-MM-DD (got '2021-02-30')
    """
    if raw is None or not str(raw).strip():
        return 0
    match = _ISO_DATE.fullmatch(str(raw).strip())
    try:
        if not match:
            raise ValueError
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise QueryError(f"{name} must be a date written YYYY-MM-DD (got {str(raw).strip()!r})") from None
    return day.year * 10000 + day.month * 100 + day.day


def _iso(yyyymmdd: int) -> str:
    return f"{yyyymmdd // 10000:04d}-{yyyymmdd // 100 % 100:02d}-{yyyymmdd % 100:02d}"


@dataclass(frozen=True)
class DateRange:
    """Inclusive bounds as ``yyyymmdd`` integers; 0 leaves that side open."""

    start: int = 0
    end: int = 0

    @classmethod
    def parse(cls, date_from: str | None, date_to: str | None) -> "DateRange | None":
        """The range of two ISO dates (either may be empty); None when both are.

        >>> DateRange.parse("2021-06-01", "")
        DateRange(start=20210601, end=0)
        >>> DateRange.parse("2021-06-01", "2020-01-01")
        Traceback (most recent call last):
        ...
        search.query.QueryError: date_from (2021-06-01) is after date_to (2020-01-01)
        """
        start, end = _parse(date_from, "date_from"), _parse(date_to, "date_to")
        if start and end and start > end:
            raise QueryError(f"date_from ({_iso(start)}) is after date_to ({_iso(end)})")
        return cls(start, end) if start or end else None

    def mask(self, dates: np.ndarray) -> np.ndarray:
        """Documents dated inside the range (undated ones never are)."""
        inside = dates >= max(self.start, _FIRST_FULL_DATE)
        if self.end:
            inside &= dates <= self.end
        return inside

    def as_params(self) -> dict[str, str | None]:
        """The range as the facade's keyword arguments (ISO dates)."""
        return {"date_from": _iso(self.start) if self.start else None, "date_to": _iso(self.end) if self.end else None}


_MONTHS: dict[int, tuple[weakref.ref, np.ndarray, int]] = {}
_MONTHS_LOCK = threading.Lock()


def month_numbers(dates: np.ndarray) -> tuple[np.ndarray, int]:
    """Each document's month as a number from the earliest month (-1 when undated), and that
    earliest month (``year * 12 + month - 1``).  Computed once per reader generation's date
    array, so a query's timeline is one ``bincount`` over its hits."""
    key = id(dates)
    found = _MONTHS.get(key)
    if found is not None and found[0]() is dates:
        return found[1], found[2]
    dated = dates >= _FIRST_FULL_DATE
    absolute = (dates // 10000) * 12 + (dates // 100 % 100 - 1)
    first = int(absolute[dated].min()) if dated.any() else 0
    months = np.where(dated, absolute - first, -1).astype(np.int32)
    with _MONTHS_LOCK:
        for k in [k for k, (ref, _, _) in _MONTHS.items() if ref() is None]:
            del _MONTHS[k]
        _MONTHS[key] = (weakref.ref(dates), months, first)
    return months, first


def timeline(dates: np.ndarray, selected: np.ndarray) -> dict:
    """Articles per month (per year over long spans) of the selected documents, and how many are undated.

    Every selected document is in exactly one bar or in ``undated``, so the bars and
    ``undated`` add up to the search's total.

    >>> d = np.array([20210604, 20210615, 20210701, 0, 2020])
    >>> t = timeline(d, np.ones(5, dtype=bool))
    >>> t["interval"], [(b["period"], b["count"]) for b in t["bars"]], t["undated"]
    ('month', [('2021-06', 2), ('2021-07', 1)], 2)
    >>> t["bars"][0]["date_from"], t["bars"][0]["date_to"]
    ('2021-06-01', '2021-06-30')
    """
    months, base = month_numbers(dates)
    picked = months[selected]
    dated = picked[picked >= 0]
    out = {"interval": "month", "bars": [], "undated": int(len(picked) - len(dated))}
    if not len(dated):
        return out
    counts = np.bincount(dated)
    nonzero = np.flatnonzero(counts)
    first, last = int(nonzero[0]), int(nonzero[-1])
    if last - first + 1 > MAX_MONTH_BARS:
        low = (base + first) // 12
        by_year = np.bincount((base + np.arange(first, last + 1)) // 12 - low, weights=counts[first:last + 1])
        out["interval"] = "year"
        out["bars"] = [{"period": f"{low + i}", "date_from": f"{low + i}-01-01", "date_to": f"{low + i}-12-31",
                        "count": int(c)} for i, c in enumerate(by_year)]
        return out
    for i in range(first, last + 1):
        year, month = divmod(base + i, 12)
        month += 1
        out["bars"].append({
            "period": f"{year:04d}-{month:02d}",
            "date_from": f"{year:04d}-{month:02d}-01",
            "date_to": f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}",
            "count": int(counts[i]),
        })
    return out
