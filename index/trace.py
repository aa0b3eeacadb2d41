"""Why a facet value was chosen: an optional record the extractors fill for the facets bench.

Extraction runs on every indexed document, so tracing is off (``why=None``) unless a caller
such as ``bench/facets_eval.py`` passes a dict; then each value maps to the rules that fired.
"""
from __future__ import annotations

Why = dict[tuple[str, str], list[str]] | None


def note(why: dict | None, facet: str, value: str, rule: str, text: str = "",
         start: int = 0, end: int = 0) -> None:
    """Record that ``rule`` produced ``value`` for ``facet``, quoting the matched text.

    >>> w = {}
    >>> note(w, "terms", "XII", "khóa N", "Nghị quyết khóa XII nói", 11, 19)
    >>> w[("terms", "XII")]
    ['khóa N: …Nghị quyết «khóa XII» nói…']
    """
    if why is None:
        return
    if text:
        left, right = text[max(0, start - 30):start], text[end:end + 20]
        rule = f"{rule}: …{left}«{text[start:end]}»{right}…".replace("\n", " ")
    reasons = why.setdefault((facet, value), [])
    if len(reasons) < 3:
        reasons.append(rule)
