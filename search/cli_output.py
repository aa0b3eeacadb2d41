"""What the command line prints for a search, and its errors: in Vietnamese, like the site.

Kept apart from ``search/cli.py`` (the click commands) so the wording lives in one place.
"""
from __future__ import annotations

import errno

import click
from markupsafe import Markup

from search.facets import FACET_LABELS
from search.messages import record_problem, vietnamese


class CliError(click.ClickException):
    """A one-line error for the user, prefixed in Vietnamese (click's own prefix is "Error:")."""

    def __init__(self, message: str, *, english: bool = True):
        super().__init__(vietnamese(message) if english else message)

    def show(self, file=None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True, file=file)


def number(n: int) -> str:
    """Thousands separated by dots, as Vietnamese readers write them.

    >>> number(12345)
    '12.345'
    """
    return f"{n:,}".replace(",", ".")


def vn_date(iso: str | None) -> str:
    """A date as the site shows it.

    >>> vn_date("2021-06-04"), vn_date("")
    ('04/06/2021', '')
    """
    if not iso or len(iso) != 10:
        return iso or ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def seconds(s: float) -> str:
    """A duration with a decimal comma.

    >>> seconds(4.63)
    '4,6 giây'
    """
    return f"{s:.1f}".replace(".", ",") + " giây"


def skipped_line(origin: str, reason: str) -> str:
    """Where a record or source is and why it cannot be used (``index.sources.BadRecord``)."""
    return f"{origin}: {record_problem(reason)}"


# Why a path cannot be written, by errno: the system's own words (strerror) are English.
PATH_REASONS = {errno.ENOENT: "không tạo được thư mục này", errno.EEXIST: "một phần đường dẫn là tệp, không phải thư mục",
                errno.ENOTDIR: "một phần đường dẫn là tệp, không phải thư mục", errno.EACCES: "không có quyền ghi",
                errno.EPERM: "không có quyền ghi", errno.EROFS: "ổ đĩa chỉ cho đọc", errno.ENOSPC: "đĩa đầy"}


def path_problem(exc: OSError) -> str:
    """Which path and why, for an ``OSError`` met while writing."""
    reason = PATH_REASONS.get(exc.errno, f"lỗi hệ thống số {exc.errno}")
    return f"{exc.filename}: {reason}" if exc.filename else reason


def print_result(result: dict) -> None:
    """A search result as readable text: count, hits with snippet, page, facet counts."""
    click.echo(f"{number(result['total'])} kết quả ({result['took_ms']:.0f} ms)"
               + (" — không bài nào khớp mọi từ, hiện các bài khớp một phần" if result.get("relaxed") else ""))
    for w in result["warnings"]:
        click.echo(f"Lưu ý: {vietnamese(w)}", err=True)
    if result.get("reading"):
        click.echo(f"Kết quả cho «{result['reading']}» (đọc từ cách gõ không dấu)")
    if result.get("min_should_match"):
        m = result["min_should_match"]
        click.echo(f"Câu dài: mỗi kết quả chứa ít nhất {m['required']}/{m['words']} từ của câu")
    if result.get("suggestion"):
        click.echo(f"Có phải bạn muốn tìm: {result['suggestion']} ({number(result.get('suggestion_total') or 0)} kết quả)")
    start = (result["page"] - 1) * result["size"]
    for n, hit in enumerate(result["hits"], start + 1):
        click.echo()
        click.secho(f"{n}. {hit['title'] or hit['id']}", bold=True)
        meta = [x for x in (vn_date(hit["date"]), hit["source"], ", ".join(hit["provinces"])) if x]
        click.echo(f"   [{hit['id']}] " + " · ".join(meta))
        text = Markup(hit["snippet"]).striptags() if "snippet" in hit else ""
        if text:
            click.echo("   " + text)
    if result["pages"] > 1:
        line = f"\nTrang {result['page']}/{number(result['pages'])}"
        if result["pages"] * result["size"] < result["total"]:
            line += f" (chỉ xem được {number(result['pages'])} trang đầu; hãy thêm từ khóa hoặc bộ lọc)"
        click.echo(line)
    if result.get("undated") and result.get("sort") == "date":
        click.echo(f"{number(result['undated'])} bài không rõ ngày được xếp cuối.")
    for name, values in result["facets"].items():
        if values:
            shown = ", ".join(f"{'*' if v['selected'] else ''}{v['value']} ({number(v['count'])})" for v in values)
            click.echo(f"{FACET_LABELS.get(name, name)}: {shown}")
