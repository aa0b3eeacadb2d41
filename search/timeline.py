"""Dates of a search: the ``date_from``/``date_to`` range and the per-query timeline.

News and legal search users narrow by issue date ("từ ngày … đến ngày …") and look at how a
subject spreads over time (Kibana's histogram, vbpl.vn's date range).  Dates are the
per-reader ``yyyymmdd`` integers the engine already holds (0 when an article has none), so
both the range mask and the timeline are a few NumPy operations over the hits.
"""
from __future__ import annotations

import calendar
import re
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
    picked = dates[selected]
    dated = picked[picked >= _FIRST_FULL_DATE]
    out = {"interval": "month", "bars": [], "undated": int(len(picked) - len(dated))}
    if not len(dated):
        return out
    months = (dated // 10000) * 12 + (dated // 100 % 100 - 1)
    first, last = int(months.min()), int(months.max())
    if last - first + 1 > MAX_MONTH_BARS:
        years = dated // 10000
        low = int(years.min())
        counts = np.bincount(years - low)
        out["interval"] = "year"
        out["bars"] = [{"period": f"{low + i}", "date_from": f"{low + i}-01-01", "date_to": f"{low + i}-12-31",
                        "count": int(c)} for i, c in enumerate(counts)]
        return out
    counts = np.bincount(months - first)
    for i, c in enumerate(counts):
        year, month = divmod(first + i, 12)
        month += 1
        out["bars"].append({
            "period": f"{year:04d}-{month:02d}",
            "date_from": f"{year:04d}-{month:02d}-01",
            "date_to": f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}",
            "count": int(c),
        })
    return out
