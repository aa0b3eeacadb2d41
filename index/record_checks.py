"""Bounds on what one source record may hold, checked before anything else reads it.

A record comes from files we did not write: it may hold a lone surrogate (valid JSON,
invalid Unicode, and fatal later when encoded to UTF-8 for a page, a CSV or the index),
thousands of nested arrays, a line of gigabytes, or be a small ``.gz`` that expands a
thousandfold.  Each bound here turns one of those into a reason a record is skipped,
with the memory used while checking bounded too.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Iterator

# pyvi costs ~2 s and the writer a few hundred MB per 10 MB of text; 64 Mi characters
# holds any real document (a 50 MB text file) while keeping one record's cost bounded.
MAX_DOCUMENT_CHARS = 64 * 2**20
# One JSON line or one .txt page: 64 Mi characters of Vietnamese are ~100 MB of UTF-8,
# and JSON written with \u escapes takes up to 6 bytes a character.
MAX_RECORD_BYTES = 256 * 2**20
# Metadata fields are a few words; a "title" of megabytes is a scraping accident.
MAX_FIELD_CHARS = 10_000
MAX_ID_CHARS = 512
# Our records are flat; a little nesting (a "meta" object of lists) is ignored, not refused.
MAX_NESTING = 32
# JSON text compresses 4-15x (even with \u escapes); 100x is far above any real source and far
# below a bomb's ~1000x.  Small files are not judged: the ratio is checked past the floor.
MAX_GZIP_RATIO = 100
GZIP_RATIO_FLOOR = 16 * 2**20
CHUNK = 2**20

OPTIONAL_FIELDS = ("date", "source", "url", "sapo", "category")
_SHORT_FIELDS = ("title", "date", "source", "url", "category")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class GzipBombError(Exception):
    """A ``.gz`` source expands far more than text does."""

    def __init__(self, lineno: int, expanded: int, compressed: int):
        super().__init__(
            f"gzip data expands more than {MAX_GZIP_RATIO}x ({expanded:,} bytes from {compressed:,}): "
            "not a text export (a decompression bomb?); the rest of the file is not read"
        )
        self.lineno = lineno


def bounded_lines(path: Path, gz: bool = False) -> Iterator[tuple[int, bytearray | int]]:
    """``(line number, line)`` for each line of a file, in bounded memory.

    A line longer than ``MAX_RECORD_BYTES`` comes as its length in bytes, unread; a
    ``.gz`` whose expansion passes ``MAX_GZIP_RATIO`` raises :class:`GzipBombError`.
    (``for line in file`` would hold a whole line of any length, and ``gzip`` has no
    bound of its own.)
    """
    with open(path, "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if gz else raw
        lineno = 0
        line = bytearray()
        dropped = 0  # bytes of the current line once it is too long
        expanded = 0
        while chunk := stream.read(CHUNK):
            expanded += len(chunk)
            if gz and expanded > GZIP_RATIO_FLOOR and expanded > MAX_GZIP_RATIO * raw.tell():
                raise GzipBombError(lineno + 1, expanded, raw.tell())
            start = 0
            while start < len(chunk):
                end = chunk.find(b"\n", start)
                piece = chunk[start:] if end < 0 else chunk[start:end]
                if dropped or len(line) + len(piece) > MAX_RECORD_BYTES:
                    dropped = (dropped or len(line)) + len(piece)
                    line.clear()
                else:
                    line += piece
                if end < 0:
                    break
                lineno += 1
                yield lineno, (dropped or line)
                line, dropped = bytearray(), 0
                start = end + 1
        if line or dropped:
            yield lineno + 1, (dropped or line)


def check_nesting(record) -> str | None:
    """Why a parsed record is nested too deeply, or None.

    >>> check_nesting({"id": 1, "meta": {"tags": ["a"]}}) is None
    True
    >>> import json
    >>> check_nesting({"x": json.loads("[" * 40 + "]" * 40)})
    'JSON nested too deeply (more than 32 levels)'
    """
    stack = [(record, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            return f"JSON nested too deeply (more than {MAX_NESTING} levels)"
        children = value.values() if isinstance(value, dict) else value
        stack.extend((v, depth + 1) for v in children if isinstance(v, (dict, list)))
    return None


def check_fields(record: dict) -> str | None:
    """Why the fields we read from a record are unusable, or None.

    >>> check_fields({"id": "a", "text": "Nghị quyết", "url": "https://x.vn/\\ud800"})
    "'url' is not valid Unicode (lone surrogate U+D800 at character 13)"
    >>> check_fields({"id": "a\\nb", "text": "x"})
    "'id' holds a control character (U+000A at character 1)"
    """
    for name in ("id", "title", "text", *OPTIONAL_FIELDS):
        value = record.get(name)
        if not isinstance(value, str):
            continue
        if m := _SURROGATE.search(value):
            return f"{name!r} is not valid Unicode (lone surrogate U+{ord(m.group()):04X} at character {m.start()})"
        if name in _SHORT_FIELDS and len(value) > MAX_FIELD_CHARS:
            return f"{name!r} too long ({len(value):,} characters, limit {MAX_FIELD_CHARS:,})"
        if name == "id":
            if len(value) > MAX_ID_CHARS:
                return f"'id' too long ({len(value):,} characters, limit {MAX_ID_CHARS:,})"
            if m := _CONTROL.search(value):
                return f"'id' holds a control character (U+{ord(m.group()):04X} at character {m.start()})"
        elif name != "text" and "\x00" in value:
            return f"{name!r} contains a NUL character"
    return None
