"""Run by ``test_indexing_faults.py`` inside a private mount namespace, on a small tmpfs.

Builds an index, fills the disk, runs ``vnsearch index`` on more text than fits, and prints
what a user would see and what is left on the disk, as one JSON line.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner


def listing(disk: Path) -> list[str]:
    return sorted(str(p.relative_to(disk)) for p in disk.rglob("*") if p.name != "filler")


def fill(disk: Path, leave: int) -> None:
    """Leave about ``leave`` bytes free."""
    with open(disk / "filler", "wb") as fh:
        block = b"\0" * 65536
        while shutil.disk_usage(disk).free > leave + len(block):
            try:
                fh.write(block)
                fh.flush()
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break


def ids(ix: Path) -> list[str]:
    from search.engine import SearchEngine

    return sorted(h["id"] for h in SearchEngine(ix).search("", {}, size=100)["hits"])


def main(disk: Path, first: Path, more: Path, mode: str) -> dict:
    from index.writer import index_documents
    from search.cli import main as cli

    ix = disk / "ix"
    index_documents([first], ix, workers=1)
    before = listing(disk)
    fill(disk, 64 * 1024)
    args = ["index", str(more), "--index", str(ix)] + (["--rebuild"] if mode == "--rebuild" else [])
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    seen = {"exit_code": result.exit_code, "output": result.output, "files_before": before,
            "files_after": listing(disk), "ids_after": ids(ix)}
    os.unlink(disk / "filler")
    third = disk.parent / "third.jsonl"
    third.write_text(json.dumps({"id": "tin-3", "text": "Thành ủy Cần Thơ họp."}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    seen["after_freeing"] = CliRunner().invoke(cli, ["index", str(third), "--index", str(ix), "--wait", "0"],
                                               catch_exceptions=False).exit_code
    seen["ids_last"] = ids(ix)
    return seen


if __name__ == "__main__":
    disk, first, more, mode = sys.argv[1:]
    print(json.dumps(main(Path(disk), Path(first), Path(more), mode), ensure_ascii=False))
