"""Totals of a search with one filter value dropped: what the no-result page offers.

Running one search per selected value made a page with 100 values per facet run 600
searches (11–15 s).  The query's matches and each facet's filter mask are already in hand,
so each total is a few array operations, and only the first ``MAX_DROPPED`` values are
offered (the page shows that many chips; "drop every filter" covers the rest).
"""
from __future__ import annotations

import numpy as np

from search.facets import check_filters

MAX_DROPPED = 20


def without_each_filter(st, sel, filters, resolve) -> list[dict]:
    """``[{facet, value, total}]``: the search's total without each selected value.

    ``st`` is the generation's reader state, ``sel`` the search's selection (``base`` matches and one mask per filtered facet);
    ``resolve(st, facet, values)`` gives the value indexes of typed values.
    """
    out: list[dict] = []
    for name, values in check_filters(filters).items():
        others = sel.base.copy()
        for other, mask in sel.masks.items():
            if other != name:
                others &= mask
        offered = values[:MAX_DROPPED - len(out)]
        if not offered:
            return out
        if len(values) == 1:
            out.append({"facet": name, "value": values[0], "total": int(np.count_nonzero(others))})
            continue
        # Each value resolved once; a dropped value's total is the others' union (OR).
        indexes = {v: set(resolve(st, name, [v])[1]) for v in values}
        for value in offered:
            kept = sorted(set().union(*(indexes[v] for v in values if v != value)))
            total = int(np.count_nonzero(others & st.tables[name].mask_for(kept)))
            out.append({"facet": name, "value": value, "total": total})
    return out
