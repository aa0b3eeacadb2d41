"""`vnsearch` as a real process, on a terminal and off one (issue 12 items 11 and 12).

Progress is drawn differently on a terminal (one line redrawn in place) and off one (nohup,
CI, cron: a plain line per report), and an error must be one line on stderr with nothing
on stdout: both are only seen in a separate process, with real file descriptors.
"""
from __future__ import annotations

import os
import pty
import re
import socket
import subprocess
import sys

from index.writer import PARALLEL_FROM
from tests.conftest import write_jsonl

ANALYSING = r"phân tích và ghi phân đoạn… (\d+)/{n} bài \((\d+)%\), \d+ bài/giây(, còn khoảng \d+ (giây|phút \d+ giây))?"
WRITING = r"ghi phân đoạn…( \(\d+ giây\))?"  # a write phase of a second or more says how long so far
MERGING = r"gộp chỉ mục…"


def vnsearch(*args) -> list[str]:
    return [sys.executable, "-m", "search", *map(str, args)]


def corpus(tmp_path, n: int = PARALLEL_FROM):
    provinces = ["Long An", "Cần Thơ", "An Giang", "Đồng Tháp"]
    return write_jsonl(tmp_path / "tin.jsonl", [
        {"id": f"tin-{i}", "title": f"Tỉnh ủy {provinces[i % 4]} họp", "text": f"Học tập Nghị quyết số {i}."}
        for i in range(n)])


def summary(n: int, ix) -> str:
    return rf"Đã đánh chỉ mục {n} bài mới, thay 0 bài trong \d+,\d giây vào {re.escape(str(ix))}; chỉ mục có {n} bài\."


def on_a_terminal(args) -> tuple[int, str]:
    """Run ``args`` with stdin, stdout and stderr on a pseudo-terminal; its exit status and output."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    return proc.wait(timeout=300), out.decode("utf-8")


def test_off_a_terminal_every_phase_is_a_plain_line_and_stdout_holds_the_summary(tmp_path):
    ix = tmp_path / "ix"
    proc = subprocess.run(vnsearch("index", corpus(tmp_path), "--index", ix, "--workers", "1"),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(summary(PARALLEL_FROM, ix) + "\n", proc.stdout), proc.stdout
    assert "\r" not in proc.stderr and "\x1b" not in proc.stderr  # no terminal redrawing in a log
    lines = proc.stderr.splitlines()
    kinds = []
    for line in lines:
        kind = next(k for k, pattern in (("analysing", ANALYSING.format(n=PARALLEL_FROM)), ("writing", WRITING),
                                         ("merging", MERGING)) if re.fullmatch(pattern, line))
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    assert kinds == ["analysing", "writing", "merging"], lines
    last_count = [line for line in lines if line.startswith("phân tích")][-1]
    assert last_count.startswith(f"phân tích và ghi phân đoạn… {PARALLEL_FROM}/{PARALLEL_FROM} bài (100%), ")


def test_on_a_terminal_one_line_is_redrawn_then_the_summary(tmp_path):
    ix = tmp_path / "ix"
    status, out = on_a_terminal(vnsearch("index", corpus(tmp_path), "--index", ix, "--workers", "1"))
    assert status == 0, out
    drawn, _, rest = out.rpartition("\r\x1b[K")
    draws = drawn.split("\r\x1b[K")[1:]
    # Each drawing replaces the one before on the same line: no newline until the last phase.
    assert draws and all("\n" not in d for d in draws), draws
    assert all(re.fullmatch("|".join((ANALYSING.format(n=PARALLEL_FROM), WRITING)), d) for d in draws), draws
    assert re.fullmatch(MERGING + "\r\n" + summary(PARALLEL_FROM, ix) + "\r\n", rest), rest


def test_a_missing_source_is_one_line_on_stderr_exit_1_and_nothing_written(tmp_path):
    missing = tmp_path / "khong-co.jsonl"
    proc = subprocess.run(vnsearch("index", corpus(tmp_path, 3), missing, "--index", tmp_path / "ix"),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == f"Lỗi: {missing}: không có tệp hay thư mục này; không ghi gì cả.\n"
    assert not (tmp_path / "ix").exists()


def test_serve_on_a_busy_port_is_one_line_on_stderr_and_exit_1(sample_index):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(vnsearch("serve", "--index", sample_index, "--port", port),
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (f"Lỗi: cổng {port} trên 127.0.0.1 không dùng được (một chương trình khác đang dùng "
                           f"cổng này); hãy chọn cổng khác, ví dụ `vnsearch serve --port {port + 1}`\n")


def test_stats_without_an_index_is_one_line_on_stderr_and_exit_1(tmp_path):
    proc = subprocess.run(vnsearch("stats", "--index", tmp_path / "khong-co"), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (f"Lỗi: Chưa có chỉ mục tại {tmp_path / 'khong-co'}; "
                           "hãy xây dựng bằng lệnh `vnsearch index`.\n")
    assert not (tmp_path / "khong-co").exists()


def test_ctrl_c_while_indexing_says_stopped_in_vietnamese(tmp_path):
    import select
    import signal

    src = write_jsonl(tmp_path / "dai.jsonl", [{"id": f"tin-{i}", "title": f"Tin {i}", "text": "Học tập Nghị quyết. " * 200}
                                               for i in range(3000)])
    leader, follower = pty.openpty()
    proc = subprocess.Popen(vnsearch("index", src, "--index", tmp_path / "ix", "--workers", "1"),
                            stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    out = b""
    try:
        while b"\r\x1b[K" not in out:  # indexing has begun: the first progress drawing
            assert select.select([leader], [], [], 120)[0], out
            out += os.read(leader, 65536)
        proc.send_signal(signal.SIGINT)
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(leader)
    assert proc.wait(timeout=120) == 1
    text = out.decode("utf-8")
    assert text.endswith("\r\nĐã dừng.\r\n"), text[-300:]
    assert "Traceback" not in text and "Aborted" not in text


def test_serve_says_it_is_loading_then_where_it_serves_and_stops_on_ctrl_c(sample_index):
    import signal
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(vnsearch("serve", "--index", sample_index, "--port", port),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Told at once, before the seconds the index takes to load.
        assert proc.stderr.readline() == f"vnsearch: đang nạp chỉ mục {sample_index}…\n"
        assert re.fullmatch(r"vnsearch: đã nạp trong \d+,\d giây\.\n", proc.stderr.readline())
        assert proc.stdout.readline() == (f"vnsearch: đang phục vụ {sample_index} tại http://127.0.0.1:{port}/  "
                                          "(Ctrl+C để dừng)\n")
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?q=Long+An", timeout=10) as response:
                    assert response.status == 200 and "Long An" in response.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert out == "vnsearch: đã dừng.\n" and err == ""


def test_on_a_terminal_a_skipped_record_never_runs_into_the_progress_line(tmp_path):
    records = [{"id": f"tin-{i}", "title": f"Tin {i}", "text": "Học tập Nghị quyết. " * 5} for i in range(600)]
    records[400] = "hong"
    src = write_jsonl(tmp_path / "tin.jsonl", records)
    status, out = on_a_terminal(vnsearch("index", src, "--index", tmp_path / "ix", "--workers", "1"))
    assert status == 2, out
    # The line drawn in place is cleared before the message, which then has a line of its own.
    assert f"\r\x1b[KBỏ qua {src}:401: không phải JSON hợp lệ (cột 1: thiếu giá trị)\r\n" in out
    assert out.count("Bỏ qua") == 1 and out.endswith("\r\nĐã bỏ qua 1 bản ghi (xem ở trên).\r\n")
