"""Reading articles from folders of ``.txt`` pages and ``.jsonl``/``.jsonl.gz`` files.

Every record comes out either as a :class:`RawDocument` or as a :class:`BadRecord` naming
the file and line, so one bad line never stops the good ones.  This is the border of the
indexer: whatever a record holds (lone surrogates, deep nesting, a line of gigabytes, a
gzip bomb), it is checked here with bounded memory, and what passes is valid Unicode of
bounded size (see ``index/record_checks.py``).
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterator

from index.record_checks import (
    MAX_DOCUMENT_CHARS,
    MAX_RECORD_BYTES,
    OPTIONAL_FIELDS,
    GzipBombError,
    bounded_lines,
    check_fields,
    check_nesting,
)


@dataclass(slots=True)
class RawDocument:
    """One article as read: its id, its raw text and the fields its source gave."""

    id: str
    text: str
    given: dict = field(default_factory=dict)
    origin: str = ""


@dataclass(slots=True)
class BadRecord:
    """A record that cannot be indexed, with where it is and why."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def sample_folder() -> Path:
    """The bundled sample corpus: the five founding articles."""
    return Path(str(resources.files("index") / "sample"))


def _check_text(text: str, origin: str) -> BadRecord | None:
    if "\x00" in text:
        return BadRecord(origin, "contains NUL bytes (a binary file?)")
    if not text.strip():
        return BadRecord(origin, "empty text")
    if len(text) > MAX_DOCUMENT_CHARS:
        return BadRecord(origin, f"document too large ({len(text):,} characters, limit {MAX_DOCUMENT_CHARS:,})")
    return None


def _decode(data: bytes, origin: str) -> str | BadRecord:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return BadRecord(origin, f"not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})")


def shown_path(path: Path) -> str:
    """A path as text that can always be printed or written.

    A file name that is not valid UTF-8 comes from the OS with lone surrogates, which fail
    when the name is echoed or stored; its odd bytes are shown escaped (``bad\\xff.txt``).
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_txt(path: Path) -> Iterator[RawDocument | BadRecord]:
    """One ``.txt`` page: the id is the file stem."""
    origin = shown_path(path)
    # The stem is the id, so it passes the same border check as a JSON record's 'id'.
    if problem := check_fields({"id": path.stem}):
        yield BadRecord(origin, f"the file name cannot be an id: {problem}")
        return
    try:
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            yield BadRecord(origin, f"file too large ({size:,} bytes, limit {MAX_RECORD_BYTES:,}); not read")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield BadRecord(origin, f"cannot read ({exc.strerror})")
        return
    text = _decode(data, origin)
    if isinstance(text, BadRecord):
        yield text
        return
    yield _check_text(text, origin) or RawDocument(path.stem, text, {}, origin)


def parse_record(line: bytes, origin: str) -> RawDocument | BadRecord:
    """One line of a ``.jsonl`` file as a document."""
    text = _decode(line, origin)
    if isinstance(text, BadRecord):
        return text
    try:
        record = json.loads(text)
    except ValueError as exc:
        return BadRecord(origin, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        # json's C parser counts depth against the recursion limit: thousands of "[" end here.
        return BadRecord(origin, "JSON nested too deeply")
    del text
    if not isinstance(record, dict):
        return BadRecord(origin, "not a JSON object")
    problem = check_nesting(record) or check_fields(record)
    if problem:
        return BadRecord(origin, problem)
    doc_id = record.get("id")
    if doc_id is None or isinstance(doc_id, (dict, list, bool)) or not str(doc_id).strip():
        return BadRecord(origin, "no usable 'id'")
    body = record.get("text")
    if not isinstance(body, str):
        return BadRecord(origin, "no 'text' string" if body is None else "'text' is not a string")
    title = record.get("title")
    given = {"title": title} if isinstance(title, str) else {}
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, (dict, list)):
            given[name] = str(value)
    return _check_text(body + given.get("title", ""), origin) or RawDocument(str(doc_id).strip(), body, given, origin)


def read_jsonl(path: Path) -> Iterator[RawDocument | BadRecord]:
    """Each line of a ``.jsonl`` or ``.jsonl.gz`` file; blank lines are ignored."""
    lineno = records = 0
    try:
        for lineno, line in bounded_lines(path, gz=path.name.endswith(".gz")):
            if isinstance(line, int):
                records += 1
                yield BadRecord(f"{path}:{lineno}", f"line too long ({line:,} bytes, limit {MAX_RECORD_BYTES:,}); not read")
            elif line.strip():
                records += 1
                yield parse_record(line, f"{path}:{lineno}")
    except GzipBombError as exc:
        yield BadRecord(f"{path}:{exc.lineno}", str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield BadRecord(f"{path}:{lineno + 1}", f"cannot read further ({exc})")
        return
    if not records:
        yield BadRecord(str(path), "empty file: no records")


def iter_source(source: Path) -> Iterator[RawDocument | BadRecord]:
    """Documents of one SOURCE: a folder of ``.txt`` files, a ``.txt``, a ``.jsonl(.gz)``."""
    source = Path(source)
    if source.is_dir():
        files = sorted(
            p for p in source.rglob("*")
            if p.is_file() and (p.suffix.lower() in (".txt", ".jsonl") or p.name.endswith(".jsonl.gz"))
        )
        if not files:
            yield BadRecord(str(source), "no .txt, .jsonl or .jsonl.gz files in this folder")
        for path in files:
            yield from iter_source(path)
    elif not source.exists():
        yield BadRecord(str(source), "no such file or folder")
    elif source.name.endswith((".jsonl", ".jsonl.gz")):
        yield from read_jsonl(source)
    elif source.suffix.lower() == ".txt":
        yield from read_txt(source)
    else:
        yield BadRecord(str(source), "unknown kind of source (expected a folder, .txt, .jsonl or .jsonl.gz)")


def iter_sources(sources) -> Iterator[RawDocument | BadRecord]:
    """Documents of several sources, in order."""
    for source in sources:
        yield from iter_source(Path(source))


class SourceNotFoundError(Exception):
    """A SOURCE given to the indexer is not there (or of no kind we read): nothing is written."""


def check_sources(sources) -> None:
    """Raise :class:`SourceNotFoundError` naming every SOURCE that cannot be read at all."""
    if problems := missing_sources(sources):
        raise SourceNotFoundError("; ".join(problems) + "; nothing was written")


def missing_sources(sources) -> list[str]:
    """The SOURCEs that are not there (or are of no kind we read), each with why.

    Checked before anything is written: a mistyped path is an operator's mistake to be
    told at once, not a skipped record after an empty index was created.
    """
    problems = []
    for source in map(Path, sources):
        if not os.path.lexists(source):
            problems.append(f"{source}: no such file or folder")
        elif not source.exists():
            problems.append(f"{source}: a broken link")
        elif not source.is_dir() and not (
            source.name.endswith((".jsonl", ".jsonl.gz")) or source.suffix.lower() == ".txt"
        ):
            problems.append(f"{source}: unknown kind of source (expected a folder, .txt, .jsonl or .jsonl.gz)")
    return problems


def without_duplicates(items) -> Iterator[RawDocument | BadRecord]:
    """The records of one run with each id once: a repeated id is reported where it is.

    The first one read is kept (it is the one a reader of the file finds first).
    """
    first: dict[str, str] = {}
    for item in items:
        if isinstance(item, RawDocument):
            if item.id in first:
                yield BadRecord(item.origin, f"id {item.id!r} appears twice in this run (kept the first, at {first[item.id]})")
                continue
            first[item.id] = item.origin
        yield item
