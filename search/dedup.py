"""Near-duplicates on a result page: the same story republished, shown once with "n bài tương tự".

Two hits are near-duplicates when their titles are the same (accents, case, punctuation and
spacing aside) and their leads (the first ``LEAD_CHARS`` of the body) share at least
``MIN_LEAD_OVERLAP`` of the folded syllables of the shorter one (a copy cut short is still
a copy).  Only the hits of the page are compared, from
the stored fields the page loads anyway: no index-time signature, no extra reads, so a search
costs what it did.  The total and the pages stay counts of articles; a later copy on the same
page is nested under the first one (the best ranked), and a copy on another page stays there.
"""
from __future__ import annotations

from index.analysis import surface_syllables
from index.normalize import fold_diacritics

LEAD_CHARS = 400
MIN_LEAD_OVERLAP = 0.8


def title_key(title: str) -> str:
    """A title as compared for duplicates.

    >>> title_key("Công bố 3 Nghị quyết của Ủy ban Thường vụ Quốc hội!") == title_key("công bố 3 nghị quyết của uỷ ban thường vụ quốc hội")
    True
    """
    return " ".join(fold_diacritics(s[0]).lower() for s in surface_syllables(title))


def lead_signature(body: str) -> frozenset[str]:
    """The folded syllables of the lead."""
    return frozenset(fold_diacritics(s[0]).lower() for s in surface_syllables(body[:LEAD_CHARS]))


def near_same(a: frozenset[str], b: frozenset[str]) -> bool:
    """Leads that share most of their syllables (overlap over the smaller set).

    >>> near_same(frozenset("abcdefghij"), frozenset("abcdefghik")), near_same(frozenset("abc"), frozenset("xyz"))
    (True, False)
    """
    if not a or not b:
        return not a and not b
    return len(a & b) / min(len(a), len(b)) >= MIN_LEAD_OVERLAP


def collapse(hits: list[dict], bodies: list[str]) -> list[dict]:
    """The page's hits with near-duplicates nested under the first of them as ``duplicates``.

    ``bodies`` are the hits' stored bodies, in the same order.  A hit without a title is
    never a duplicate (its title cannot say it is the same story).  Leads are read only for
    hits whose title another hit of the page shares: most pages have none.
    """
    keys = [title_key(hit.get("title") or "") for hit in hits]
    shared = {k for k in keys if k and keys.count(k) > 1}
    out: list[dict] = []
    leaders: dict[str, list[tuple[dict, frozenset[str]]]] = {}
    for hit, body, key in zip(hits, bodies, keys):
        hit["duplicates"] = []
        if key in shared:
            signature = lead_signature(body or "")
            for leader, leader_signature in leaders.get(key, []):
                if near_same(signature, leader_signature):
                    leader["duplicates"].append(hit)
                    break
            else:
                leaders.setdefault(key, []).append((hit, signature))
                out.append(hit)
            continue
        out.append(hit)
    return out
