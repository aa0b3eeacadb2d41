"""Facet value arrays, disjunctive counts and filter masks, in NumPy.

Whoosh's ``groupedby`` calls Python once per hit (~3–4 µs); here each facet of a reader
is read once into two parallel arrays (document, value) and every count is one
``np.bincount`` over the hits, whatever their number.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from index.facet_values import COMMA_IN_VALUE
from index.normalize import fold_diacritics, normalize_text
from index.party_documents import to_roman
from search.query import QueryError

# Facet name (in URLs, the CLI and JSON) -> index field.
FACETS = {
    "resolution": "resolutions",
    "term": "terms",
    "province": "provinces",
    "province_new": "provinces_new",
    "year": "year",
    "source": "source",
}
FACET_LABELS = {
    "resolution": "Nghị quyết, văn bản",
    "term": "Khóa",
    "province": "Tỉnh, thành (trước 2025)",
    "province_new": "Tỉnh, thành (sau 2025)",
    "year": "Năm",
    "source": "Nguồn",
}
MAX_FILTER_VALUES = 100


# Pure and called for every selected value of every search (hundreds in a long URL).
@functools.lru_cache(maxsize=65536)
def value_key(facet: str, value: str) -> str:
    """The loose form of a facet value: what users may type for it.

    >>> value_key("term", "khoá 12"), value_key("term", "XII"), value_key("province", "long  an")
    ('xii', 'xii', 'long an')
    """
    key = fold_diacritics(normalize_text(value.replace(COMMA_IN_VALUE, ","))).lower()
    key = re.sub(r"[\s_]+", " ", key).strip()
    if facet == "term":
        key = re.sub(r"^(khoa|dai hoi)\s+", "", key)
        # ASCII and short: "²" is a digit to isdigit() but not to int(), and 5,000 digits overflow it.
        if key.isascii() and key.isdigit() and len(key) <= 2 and 0 < int(key) < 40:
            key = to_roman(int(key)).lower()
    if facet in ("province", "province_new"):
        key = re.sub(r"^(tinh|thanh pho|tp\.?)\s+", "", key)
    return key


@dataclass
class FacetTable:
    """One facet field of one reader: its values and the (document, value) pairs."""

    name: str
    values: list[str]
    docs: np.ndarray  # document number of each pair
    value_ids: np.ndarray  # value index of each pair
    doc_count: int

    @classmethod
    def build(cls, reader, name: str) -> "FacetTable":
        """Read a facet's postings once (per reader generation)."""
        field = FACETS[name]
        values, docs, ids = [], [], []
        if field in reader.indexed_field_names():
            for i, term in enumerate(reader.field_terms(field)):
                postings = np.fromiter(reader.postings(field, term).all_ids(), dtype=np.int32)
                values.append(term)
                docs.append(postings)
                ids.append(np.full(len(postings), i, dtype=np.int32))
        cat = (lambda a: np.concatenate(a) if a else np.zeros(0, dtype=np.int32))
        return cls(name, values, cat(docs), cat(ids), reader.doc_count_all())

    def keys(self) -> dict[str, list[int]]:
        """Loose key -> value indexes (several canonical values may share one key)."""
        out: dict[str, list[int]] = {}
        for i, v in enumerate(self.values):
            out.setdefault(value_key(self.name, v), []).append(i)
        return out

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """How many documents of ``mask`` carry each value."""
        return np.bincount(self.value_ids[mask[self.docs]], minlength=len(self.values))

    def mask_for(self, value_indexes: list[int]) -> np.ndarray:
        """Documents carrying any of the values (OR within one facet)."""
        mask = np.zeros(self.doc_count, dtype=bool)
        if value_indexes:
            mask[self.docs[np.isin(self.value_ids, value_indexes)]] = True
        return mask


def check_filters(filters: dict | None) -> dict[str, list[str]]:
    """Clean user filters: known facet names, non-empty strings, a bounded number of values."""
    clean: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if name not in FACETS:
            raise QueryError(f"unknown facet {name!r}; facets are: {', '.join(FACETS)}")
        if isinstance(values, str):
            values = [values]
        values = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        if len(values) > MAX_FILTER_VALUES:
            raise QueryError(f"too many values for facet {name!r} ({len(values)}; at most {MAX_FILTER_VALUES})")
        if values:
            clean[name] = list(dict.fromkeys(values))
    return clean
