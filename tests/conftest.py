"""Shared fixtures: real Whoosh indexes built with real pyvi from Vietnamese text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.sources import sample_folder
from index.writer import index_documents


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample corpus: the five founding articles."""
    return sample_folder()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, sample_dir) -> Path:
    """An index of the bundled sample, built once per test session (read-only for tests)."""
    path = tmp_path_factory.mktemp("sample") / "index"
    report = index_documents([sample_dir], path, workers=1)
    assert report.added == 5 and not report.skipped
    return path


@pytest.fixture(scope="session")
def sample_engine(sample_index):
    """The search facade over the sample index."""
    from search.engine import engine_for

    return engine_for(sample_index)


def write_jsonl(path: Path, records) -> Path:
    """Write records (dicts, or raw strings/bytes for broken lines) as a .jsonl file."""
    with path.open("wb") as fh:
        for rec in records:
            if isinstance(rec, bytes):
                fh.write(rec + b"\n")
            elif isinstance(rec, str):
                fh.write(rec.encode("utf-8") + b"\n")
            else:
                fh.write(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
    return path
