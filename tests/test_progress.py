"""Indexing progress as a person reading a log sees it (issue 11, issue 12 item 11)."""
from __future__ import annotations

import io

from click.testing import CliRunner

from index.progress import MERGING, WRITING, Progress, count_documents
from index.writer import PARALLEL_FROM
from search.cli import main
from tests.conftest import write_jsonl


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_off_a_terminal_a_line_every_few_seconds_with_total_rate_and_eta():
    out, clock = io.StringIO(), Clock()
    p = Progress(total=1000, stream=out, interval=5.0, clock=clock)
    for _ in range(4):  # 40 documents a second
        clock.now += 1
        p.update(40)
    clock.now += 1.5
    p.update(40)  # 5.5 s in: the first line
    clock.now += 3
    p.update(100)  # 3 s after it: nothing yet
    p.phase(WRITING)
    clock.now += 12
    p.update(0)
    p.phase(MERGING)
    p.close()
    assert out.getvalue().splitlines() == [
        "phân tích và ghi phân đoạn… 200/1.000 bài (20%), 36 bài/giây, còn khoảng 22 giây",
        "phân tích và ghi phân đoạn… 300/1.000 bài (30%), 35 bài/giây, còn khoảng 20 giây",
        "ghi phân đoạn…",
        "ghi phân đoạn… (12 giây)",
        "gộp chỉ mục…",
    ]


def test_without_a_known_total_the_count_and_rate_only():
    out, clock = io.StringIO(), Clock()
    p = Progress(total=None, stream=out, interval=5.0, clock=clock)
    clock.now += 4000
    p.update(84132)
    assert out.getvalue() == "phân tích và ghi phân đoạn… 84.132 bài, 21 bài/giây\n"


def test_on_a_terminal_one_line_redrawn_in_place():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    out, clock = Tty(), Clock()
    p = Progress(total=10, stream=out, clock=clock)
    clock.now += 1
    p.update(5)
    p.phase(MERGING)
    p.close()
    assert out.getvalue() == (
        "\r\x1b[Kphân tích và ghi phân đoạn… 5/10 bài (50%), 5 bài/giây, còn khoảng 1 giây"
        "\r\x1b[Kphân tích và ghi phân đoạn… 5/10 bài (50%), 5 bài/giây, còn khoảng 1 giây"
        "\r\x1b[Kgộp chỉ mục…\n"
    )


def test_the_total_is_counted_from_the_sources(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text("Tin số", encoding="utf-8")
    jsonl = write_jsonl(tmp_path / "a.jsonl", [{"id": str(i), "text": "x"} for i in range(4)])
    assert count_documents([folder, jsonl]) == 7
    assert count_documents([tmp_path / "missing.jsonl"]) is None


def test_the_index_command_shows_each_phase_when_not_on_a_terminal(tmp_path):
    provinces = ["Long An", "Cần Thơ", "An Giang", "Đồng Tháp"]
    src = write_jsonl(tmp_path / "a.jsonl", [
        {"id": str(i), "title": f"Tỉnh ủy {provinces[i % 4]}", "text": f"Học tập Nghị quyết số {i}."}
        for i in range(PARALLEL_FROM)
    ])
    result = CliRunner().invoke(main, ["index", str(src), "--index", str(tmp_path / "ix"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    # (a slow machine may add a line every 5 seconds before these)
    assert lines[-3].startswith(f"phân tích và ghi phân đoạn… {PARALLEL_FROM}/{PARALLEL_FROM} bài (100%), ")
    assert lines[-2:] == ["ghi phân đoạn…", "gộp chỉ mục…"]


def test_a_small_run_off_a_terminal_prints_no_progress(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "title": "Tỉnh ủy Long An", "text": "Học tập Nghị quyết."}])
    result = CliRunner().invoke(main, ["index", str(src), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
