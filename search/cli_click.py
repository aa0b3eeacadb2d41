"""click speaking Vietnamese: help pages, option notes and click's own error messages.

click marks its strings for GNU gettext, but through the module-level ``gettext.gettext``:
translating them means changing the process-wide text domain, shipping compiled ``.mo`` files
and still getting English whenever the user's locale is not Vietnamese (a server, cron, CI).
click's maintainers say as much (pallets/click#2706, #2864, open).  So the few strings a
user sees go through click's public hooks instead: the help formatter (``Usage:`` and the
section headings), the option's help record (``default:``, ``env var:``, ranges), the help
and version options' texts, and the usage errors, re-worded through the one message
catalogue (``search/messages.py``) before click prints them.
"""
from __future__ import annotations

import functools
import re

import click

from search.messages import range_text, translate

HELP_OPTION_TEXT = "Hiện hướng dẫn này rồi thoát."
VERSION_OPTION_TEXT = "Hiện phiên bản rồi thoát."
VERSION_MESSAGE = "%(prog)s, phiên bản %(version)s"
OPTIONS_METAVAR = "[TÙY_CHỌN]"
COMMAND_METAVAR = "LỆNH [ĐỐI_SỐ]..."
# click's section headings (``formatter.section(_("Options"))``): the only English the
# formatter is handed that no public parameter replaces.
HEADINGS = {"Options": "Tùy chọn", "Commands": "Lệnh", "Positional arguments": "Đối số"}
DECIMAL = re.compile(r"^(\d+)\.(\d+)$")
USAGE_FALLBACK = ("bad_usage", "Lệnh gõ chưa đúng.")


class HelpFormatter(click.HelpFormatter):
    """``Cách dùng:`` and Vietnamese section headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Cách dùng: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))


class Context(click.Context):
    formatter_class = HelpFormatter


class Option(click.Option):
    """An option whose bracketed notes (default, environment variable, range) are Vietnamese."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.hidden:
            return None
        extra = self.get_help_extra(ctx)
        notes = []
        if "envvars" in extra:
            notes.append(f"biến môi trường {', '.join(extra['envvars'])}")
        if "default" in extra:  # a decimal comma, as in every number we print; a text as written
            default = self.show_default if isinstance(self.show_default, str) else extra["default"]
            notes.append("mặc định: " + DECIMAL.sub(r"\1,\2", str(default)))
        if "range" in extra:
            notes.append(range_text(extra["range"]))
        if "required" in extra:
            notes.append("bắt buộc")
        text = self.help or ""
        if notes:
            text = f"{text}  [{'; '.join(notes)}]" if text else f"[{'; '.join(notes)}]"
        return self.get_help_spec(ctx), text


option = functools.partial(click.option, cls=Option)


class UsageError(click.UsageError):
    """A usage error shown in Vietnamese: usage line, where to read help, the error."""

    @classmethod
    def from_click(cls, original: click.UsageError) -> UsageError:
        message = translate(original.format_message(), fallback=USAGE_FALLBACK)
        text = message.vietnamese
        ctx = original.ctx
        if message.code == "extra_arguments" and ctx and any(p.name == "query" for p in ctx.command.params):
            text += ' Câu tìm nhiều từ thì đặt trong dấu ngoặc kép, ví dụ "Long An".'
        error = cls(text, ctx)
        error.exit_code = original.exit_code
        return error

    def show(self, file=None) -> None:
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), err=True, file=file)
            click.echo(f"Xem `{self.ctx.command_path} --help` để biết cách dùng.\n", err=True, file=file)
        click.echo(f"Lỗi: {self.format_message()}", err=True, file=file)


class Stopped(click.ClickException):
    """Ctrl+C: click would print "Aborted!"."""

    def __init__(self):
        super().__init__("Đã dừng.")

    def show(self, file=None) -> None:
        click.echo(f"\n{self.message}", err=True, file=file)


def _vietnamese_errors(method):
    """Re-raise click's own usage errors as :class:`UsageError` (ours are Vietnamese already)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (UsageError, click.exceptions.NoArgsIsHelpError):
            raise  # Vietnamese already (the help page, for a bare `vnsearch`)
        except click.UsageError as exc:
            raise UsageError.from_click(exc) from None
        except (KeyboardInterrupt, EOFError, click.Abort):
            raise Stopped() from None

    return wrapper


class _Vietnamese:
    """What a Vietnamese command and group share (mixed in before click's class)."""

    context_class = Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context):
        help_option = super().get_help_option(ctx)
        if help_option is not None:
            help_option.help = HELP_OPTION_TEXT
        return help_option


class Command(_Vietnamese, click.Command):
    make_context = _vietnamese_errors(click.Command.make_context)
    invoke = _vietnamese_errors(click.Command.invoke)


class Group(_Vietnamese, click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", COMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    make_context = _vietnamese_errors(click.Group.make_context)
    invoke = _vietnamese_errors(click.Group.invoke)


def version_option(**kwargs):
    return click.version_option(message=VERSION_MESSAGE, help=VERSION_OPTION_TEXT, cls=Option, **kwargs)
