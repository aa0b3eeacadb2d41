"""Facet values as Whoosh keyword terms: one value is one term, whatever it contains.

Facet fields are comma-separated keyword fields (a list of values in one string).  A value
that holds a comma itself (a ``source`` such as "Báo Long An, cơ quan của Đảng bộ") would
be split into two facet values, so its commas are stored as U+201A SINGLE LOW-9 QUOTATION
MARK, which reads as a comma; ``search.facets.value_key`` treats both alike, so a user
typing the comma finds the value.
"""
from __future__ import annotations

KEYWORD_SEPARATOR = ","
COMMA_IN_VALUE = "\u201a"


def keyword_value(value: str) -> str:
    """One facet value as one keyword term.

    >>> keyword_value("Báo Long An, cơ quan của Đảng bộ")
    'Báo Long An‚ cơ quan của Đảng bộ'
    """
    return value.replace(KEYWORD_SEPARATOR, COMMA_IN_VALUE)


def keyword_list(values) -> str:
    """Several facet values as one keyword field.

    >>> keyword_list(["Long An", "a,b"]).split(",")
    ['Long An', 'a‚b']
    """
    return KEYWORD_SEPARATOR.join(keyword_value(v) for v in values)


def plain_value(term: str) -> str:
    """A stored facet value as the article wrote it (its commas back).

    >>> plain_value(keyword_value("a, b"))
    'a, b'
    """
    return term.replace(COMMA_IN_VALUE, KEYWORD_SEPARATOR)
