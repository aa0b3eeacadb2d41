"""Reading articles from folders of ``.txt`` pages and ``.jsonl``/``.jsonl.gz`` files.

Every record comes out either as a :class:`RawDocument` or as a :class:`BadRecord` naming
the file and line, so one bad line never stops the good ones.
"""
from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterator

# A document larger than this is reported and skipped: pyvi needs ~2 s per MB and a page
# of that size is a scraping accident, not an article.
MAX_DOCUMENT_CHARS = 1_000_000
OPTIONAL_FIELDS = ("date", "source", "url", "sapo", "category")


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


def read_txt(path: Path) -> Iterator[RawDocument | BadRecord]:
    """One ``.txt`` page: the id is the file stem."""
    origin = str(path)
    try:
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
    if not isinstance(record, dict):
        return BadRecord(origin, "not a JSON object")
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
    opener = gzip.open if path.name.endswith(".gz") else open
    lineno = records = 0
    try:
        with opener(path, "rb") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    records += 1
                    yield parse_record(line, f"{path}:{lineno}")
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
