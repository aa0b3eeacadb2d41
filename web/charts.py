"""Horizontal bar charts as plain numbers for an inline SVG template (no chart library, no CDN).

A chart library would mean JavaScript from elsewhere or a large vendored file for a handful
of bars; the geometry of labelled horizontal bars is a few lines.
"""
from __future__ import annotations

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 260
BAR_AREA = 300
COUNT_WIDTH = 60


def bar_chart(title: str, rows: list[tuple[str, int, str]]) -> dict:
    """Geometry of one chart; ``rows`` are ``(label, count, url)``.

    >>> c = bar_chart("Năm", [("2021", 4, "/?year=2021"), ("2019", 2, "/?year=2019")])
    >>> [b["width"] for b in c["bars"]], c["height"], c["width"]
    ([300.0, 150.0], 50, 620)
    """
    top = max((count for _, count, _ in rows), default=0) or 1
    bars = []
    for i, (label, count, url) in enumerate(rows):
        y = i * (BAR_HEIGHT + GAP)
        bars.append({
            "label": label,
            "count": count,
            "url": url,
            "y": y,
            "text_y": y + BAR_HEIGHT * 0.7,
            "width": round(BAR_AREA * count / top, 1),
        })
    return {
        "title": title,
        "bars": bars,
        "height": max(len(rows) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT),
        "width": LABEL_WIDTH + BAR_AREA + COUNT_WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
