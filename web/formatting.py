"""Jinja filters for Vietnamese display: dates, numbers, paragraphs of highlighted text."""
from __future__ import annotations

from markupsafe import Markup, escape

from search.facets import FACET_LABELS
from search.messages import vietnamese


def vn_date(iso: str | None) -> str:
    """An ISO date as Vietnamese readers write it.

    >>> vn_date("2021-06-04"), vn_date("2021"), vn_date(None)
    ('04/06/2021', '2021', '')
    """
    if not iso:
        return ""
    parts = iso[:10].split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def vn_number(n) -> str:
    """A number with Vietnamese separators (``.`` for thousands, ``,`` for decimals).

    >>> vn_number(12345), vn_number(0.42)
    ('12.345', '0,42')
    """
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(n):,}".replace(",", ".")


def facet_value_label(name: str, value: str) -> str:
    """How a facet value reads on a badge: terms are shown as "Khóa XII".

    >>> facet_value_label("term", "XII"), facet_value_label("province", "Long An")
    ('Khóa XII', 'Long An')
    """
    return f"Khóa {value}" if name == "term" else value


def paragraphs(html: str) -> Markup:
    """Split highlighted, already-escaped text into ``<p>`` paragraphs at line breaks.

    A ``<mark>`` that spans a line break is closed and reopened so the HTML stays balanced.

    >>> str(paragraphs("a <mark>b\\nc</mark> d\\n\\ne &lt;x&gt;"))
    '<p>a <mark>b</mark></p>\\n<p><mark>c</mark> d</p>\\n<p>e &lt;x&gt;</p>'
    """
    out, carry = [], False
    for line in str(html).split("\n"):
        if not line.strip():
            continue
        if carry:
            line = "<mark>" + line
        carry = line.count("<mark>") > line.count("</mark>")
        if carry:
            line += "</mark>"
        out.append(f"<p>{line.strip()}</p>")
    return Markup("\n".join(out))


def safe_url(url: str | None) -> str | None:
    """A document's source URL if it is plain http(s), else None (no ``javascript:`` links).

    >>> safe_url("https://baolongan.vn/a"), safe_url("javascript:alert(1)")
    ('https://baolongan.vn/a', None)
    """
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def register_filters(app) -> None:
    """Make the filters and facet labels available to every template."""
    app.jinja_env.filters.update(vn_date=vn_date, vn_number=vn_number, paragraphs=paragraphs,
                                 safe_url=safe_url, vietnamese=vietnamese, facet_value=lambda v, name: facet_value_label(name, v))
    app.jinja_env.globals.update(FACET_LABELS=FACET_LABELS, escape=escape)
