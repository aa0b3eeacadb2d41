"""The `vnsearch` command line, called as a user would (CliRunner and `python -m search`)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from search.cli import main

COMMANDS = ["index", "search", "extract", "stats", "serve"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output.splitlines()) > 4


def test_python_dash_m_search_works():
    proc = subprocess.run([sys.executable, "-m", "search", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "vnsearch" in proc.stdout


def test_search_prints_readable_text_with_facets(sample_index):
    result = run("search", "Long An", "--index", sample_index)
    assert result.exit_code == 0
    assert "1 kết quả" in result.output
    assert "Bí thư Tỉnh ủy Long An" in result.output
    assert "Tỉnh, thành (trước 2025): Long An (1)" in result.output
    # One language: the facet lines use the site's Vietnamese labels.
    assert [line.split(":")[0] for line in result.output.splitlines()[-5:]] == [
        "Nghị quyết, văn bản", "Khóa", "Tỉnh, thành (trước 2025)", "Tỉnh, thành (sau 2025)", "Năm"]


def test_search_json_has_the_api_shape(sample_index):
    result = run("search", "nghi quyet trung uong 4", "--index", sample_index, "--json", "--limit", "2", "--page", "2")
    data = json.loads(result.output)
    assert data["total"] == 5 and data["page"] == 2 and len(data["hits"]) == 2
    assert set(data["hits"][0]) >= {"id", "title", "snippet", "date", "source", "provinces", "terms", "resolutions", "score"}
    assert set(data["facets"]) >= {"resolution", "term", "province", "province_new", "year", "source"}
    assert isinstance(data["took_ms"], float)


def test_search_filters_and_browse_mode(sample_index):
    result = run("search", "--index", sample_index, "--term", "khóa 11", "--json")
    data = json.loads(result.output)
    assert sorted(p for h in data["hits"] for p in h["provinces"]) == ["An Giang", "Cần Thơ"]
    assert run("search", "--index", sample_index).exit_code == 2  # neither query nor filter


def test_bad_search_input_is_a_message_not_a_traceback(sample_index):
    result = run("search", "x" * 5000, "--index", sample_index)
    assert result.exit_code == 1
    assert result.output == "Lỗi: Câu tìm kiếm quá dài (5000 ký tự; tối đa 1000 ký tự).\n"
    for odd in ['"', "-", "OR", "OR OR", '""', "- -", "(((", "<script>alert(1)</script>", "\x00"]:
        result = run("search", "--index", sample_index, "--json", "--", odd)
        assert result.exit_code == 0, (odd, result.output)
        assert "total" in json.loads(result.output)


def test_batch_prints_one_json_line_per_query(sample_index, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join([
        json.dumps({"id": "q1", "text": "Long An"}, ensure_ascii=False),
        json.dumps({"id": "q2", "text": "sinh hoạt chi bộ"}, ensure_ascii=False),
        json.dumps({"id": "q3", "text": "không có gì khớp xyzzy"}, ensure_ascii=False),
    ]), encoding="utf-8")
    result = run("search", "--batch", queries, "--index", sample_index, "--limit", "3")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [x["id"] for x in lines] == ["q1", "q2", "q3"]
    assert lines[0]["hits"][0]["id"] == "004_c84e101a906d71df"
    assert len(lines[1]["hits"]) == 3 and all(set(h) == {"id", "score"} for h in lines[1]["hits"])


def test_missing_index_says_how_to_build_one(tmp_path):
    result = run("search", "Long An", "--index", tmp_path / "nowhere")
    assert result.exit_code == 1 and "vnsearch index" in result.output
    result = run("stats", "--index", tmp_path / "nowhere")
    assert result.exit_code == 1 and "vnsearch index" in result.output


def test_stats_and_extract(sample_index, sample_dir):
    data = json.loads(run("stats", "--index", sample_index, "--json").output)
    assert data["documents"] == 5 and data["analyzer"]
    lines = [json.loads(x) for x in run("extract", sample_dir, "--json").output.splitlines()]
    by_id = {x["id"][:3]: x for x in lines}
    assert by_id["004"]["provinces"] == ["Long An"] and by_id["002"]["terms"] == ["XI"]
    assert "Chỉ thị 05-CT/TW" in by_id["000"]["resolutions"]


def test_search_suggests_the_accented_query_when_little_is_found(sample_index):
    result = run("search", "nghi quyet trung uogn", "--index", sample_index)
    assert result.exit_code == 0
    assert re.search(r"Có phải bạn muốn tìm: nghị quyết Trung ương \(\d+ kết quả\)", result.output)


def test_stats_without_an_index_says_so_in_one_line(tmp_path):
    result = run("stats", "--index", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.output == (f"Lỗi: Chưa có chỉ mục tại {tmp_path / 'nowhere'}; "
                             "hãy xây dựng bằng lệnh `vnsearch index`.\n")


def test_serve_on_a_busy_port_is_one_line_and_exit_status_1(sample_index):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--index", sample_index, "--port", port)
    assert result.exit_code == 1
    assert result.output == (f"Lỗi: cổng {port} trên 127.0.0.1 không dùng được (một chương trình khác đang dùng "
                             f"cổng này); hãy chọn cổng khác, ví dụ `vnsearch serve --port {port + 1}`\n")


def test_search_says_when_the_page_count_is_capped(tmp_path, monkeypatch):
    from conftest import write_jsonl

    from index.writer import index_documents

    records = [{"id": f"d{i}", "title": f"Tỉnh ủy họp lần {i}", "text": "Tỉnh ủy họp bàn công tác xây dựng Đảng."}
               for i in range(12)]
    index_documents([write_jsonl(tmp_path / "d.jsonl", records)], tmp_path / "ix", workers=1)
    from search import engine as engine_module

    monkeypatch.setattr(engine_module, "MAX_PAGE", 5)  # 12 hits at 2 a page would be 6 pages
    result = run("search", "tỉnh ủy", "--index", tmp_path / "ix", "--limit", "2")
    assert result.exit_code == 0
    assert result.output.startswith("12 kết quả (")
    assert "\nTrang 1/5 (chỉ xem được 5 trang đầu; hãy thêm từ khóa hoặc bộ lọc)\n" in result.output
