"""The `vnsearch` command line, called as a user would (CliRunner and `python -m search`).

One language per interface (issue 12 item 13): every line the command line prints, its help
pages and click's own messages included, is Vietnamese; option names, exit statuses and the
JSON outputs are the contract of ../shared/DESIGN.md and stay as they are.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from search.cli import main

COMMANDS = ["index", "search", "extract", "stats", "serve"]
# Common English words that are not Vietnamese syllables either ("an", "to", "no" are both).
ENGLISH = {
    "the", "and", "of", "for", "with", "this", "that", "from", "into", "not", "must", "usage", "options",
    "commands", "arguments", "show", "message", "exit", "version", "default", "env", "var", "error", "try",
    "such", "missing", "invalid", "value", "skipped", "indexed", "record", "records", "document",
    "documents", "file", "files", "folder", "folders", "note", "removed", "warning", "nothing", "written",
    "print", "prints", "every", "each", "also", "only", "bad", "new", "replaced", "seconds", "serving",
    "aborted", "did", "you", "mean", "got", "unexpected", "extra", "argument", "requires", "choose",
    "range", "integer", "valid", "exist", "does", "directory", "query", "index", "search", "site",
    "server", "page", "hits", "limit", "sort", "build", "use", "see", "when", "articles", "article",
    "line", "lines", "per", "without", "results", "result", "province", "term", "year", "repeatable",
    "address", "connections", "process", "processes", "wait", "report", "check", "given", "help",
}


def run(*args, **settings):
    # Exceptions reach the test: a traceback fails it instead of passing as "exit status 1".
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="vnsearch", catch_exceptions=False,
                              **settings)


def english_words(text: str) -> set[str]:
    """English words a user would read in ``text``, leaving out what is typed, not read:
    option and command names, `quoted commands`, 'quoted values', paths and choice lists."""
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"|«[^»]*»|\S*/\S*|\[[a-z|]+\]", " ", text)
    text = re.sub(r"(?m)(?<![\w-])--?[\w-]+|vnsearch \w+|^  [a-z]+  ", " ", text)
    return {w for w in re.findall(r"[A-Za-z_]+", text) if w.lower() in ENGLISH}


def test_the_english_detector_finds_what_click_would_print():
    assert english_words("Usage: vnsearch index [OPTIONS]\n  --limit INTEGER  Hits per page.  [default: 10]") == {
        "Usage", "OPTIONS", "INTEGER", "Hits", "per", "page", "default"}
    assert english_words("Tỉnh ủy Long An (`vnsearch index --rebuild`), 'Long An', /api/search") == set()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_in_vietnamese(command):
    result = run(command, "--help", terminal_width=80)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith(f"Cách dùng: vnsearch {command} [TÙY_CHỌN]")
    assert "\nTùy chọn:\n" in result.stdout
    assert "  -h, --help" in result.stdout and "Hiện hướng dẫn này rồi thoát." in result.stdout
    assert english_words(result.stdout) == set(), result.stdout


def test_the_group_help_exactly():
    result = run("--help", terminal_width=80)
    assert result.exit_code == 0
    assert result.stdout == (
        "Cách dùng: vnsearch [TÙY_CHỌN] LỆNH [ĐỐI_SỐ]...\n\n"
        "  vnsearch — tìm kiếm toàn văn tin tức tiếng Việt về nghị quyết của Đảng.\n\n"
        "  Xây dựng chỉ mục bằng `vnsearch index`, rồi tìm bằng `vnsearch search \"nghị\n"
        "  quyết trung ương 4\"` hoặc mở trang web bằng `vnsearch serve`.\n\n"
        "Tùy chọn:\n"
        "  --version   Hiện phiên bản rồi thoát.\n"
        "  -h, --help  Hiện hướng dẫn này rồi thoát.\n\n"
        "Lệnh:\n"
        "  extract  In những gì trích được từ mỗi bài của NGUỒN, không đánh chỉ mục.\n"
        "  index    Đánh chỉ mục các NGUỒN: thư mục bài .txt, tệp .jsonl hoặc...\n"
        "  search   Tìm CÂU_TÌM trong chỉ mục.\n"
        "  serve    Phục vụ trang tìm kiếm và API JSON bằng máy chủ WSGI waitress.\n"
        "  stats    Cho biết số bài, dung lượng và số giá trị bộ lọc của chỉ mục.\n"
    )
    assert run("--version").stdout.startswith("vnsearch, phiên bản ")


def test_option_notes_are_vietnamese_with_ranges_in_words():
    help_text = run("search", "--help", terminal_width=200).stdout
    assert "  --limit SỐ               Số kết quả mỗi trang.  [mặc định: 10; từ 1 đến 100]\n" in help_text
    assert "[biến môi trường VNSEARCH_INDEX; mặc định: " in help_text
    assert "Xếp theo relevance (liên quan nhất) hoặc date (mới nhất).  [mặc định: relevance]" in help_text
    assert "[mặc định: 10,0; từ 0 đến 3600]" in run("index", "--help", terminal_width=200).stdout


def test_a_mistyped_command_line_is_usage_hint_and_one_vietnamese_error():
    result = run("search", "--limit", "0", "nghị quyết")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "Cách dùng: vnsearch search [TÙY_CHỌN] [CÂU_TÌM]\n"
        "Xem `vnsearch search --help` để biết cách dùng.\n\n"
        "Lỗi: Giá trị của --limit không dùng được: 0 nằm ngoài khoảng từ 1 đến 100.\n"
    )


@pytest.mark.parametrize("args, error", [
    (["serch", "Long An"], "Không có lệnh «serch»; có phải ý bạn là «search» hoặc «serve»?"),
    (["search", "--provice", "Long An"], "Không có tùy chọn --provice; có phải ý bạn là --province hoặc --province-new?"),
    (["search", "--frm", "2021-01-01"], "Không có tùy chọn --frm; có phải ý bạn là --from hoặc --term?"),
    (["search", "--limit"], "Tùy chọn --limit cần một giá trị."),
    (["search", "--limit", "mười"], "Giá trị của --limit không dùng được: «mười» không phải là số nguyên."),
    (["search", "--sort", "newest", "x"],
     "Giá trị của --sort không dùng được: «newest» không phải một trong: relevance, date."),
    (["search", "--batch", "/no/such/file.jsonl"],
     "Giá trị của --batch không dùng được: không có «/no/such/file.jsonl»."),
    (["search", "Long", "An"],
     'Thừa đối số: An. Câu tìm nhiều từ thì đặt trong dấu ngoặc kép, ví dụ "Long An".'),
    (["stats", "Long An"], "Thừa đối số: Long An."),
    (["extract"], "Thiếu đối số NGUỒN."),
    (["index", "--json=yes"], "Tùy chọn --json không nhận giá trị."),
    (["index", "--wait", "-1"], "Giá trị của --wait không dùng được: -1.0 nằm ngoài khoảng từ 0 đến 3600."),
    (["search", "--index", "/etc/hostname", "x"],
     "Giá trị của --index (biến môi trường VNSEARCH_INDEX) không dùng được: «/etc/hostname» là một tệp, "
     "không phải thư mục."),
])
def test_click_errors_are_one_vietnamese_line_with_exit_status_2(args, error):
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"Lỗi: {error}"
    assert english_words(result.stderr) == set(), result.stderr


def test_search_without_query_or_filter_says_what_to_type(sample_index):
    result = run("search", "--index", sample_index)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Lỗi: Hãy gõ CÂU_TÌM, hoặc chọn bộ lọc như --province 'Long An' để xem danh sách bài.")


def test_python_dash_m_search_works():
    proc = subprocess.run([sys.executable, "-m", "search", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "vnsearch" in proc.stdout


def test_search_prints_readable_text_with_facets(sample_index):
    result = run("search", "Long An", "--index", sample_index)
    assert result.exit_code == 0
    assert "1 kết quả" in result.output
    assert "Bí thư Tỉnh ủy Long An" in result.output
    assert "\n   [004_c84e101a906d71df] 10/05/2019 · Long An\n" in result.output  # dates as the site writes them
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
    assert run("search", "--index", sample_index).exit_code == 2  # neither query nor filter (see below)


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


def test_batch_reports_bad_lines_and_bad_queries_in_vietnamese(sample_index, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join([
        json.dumps({"id": "q1", "text": "Long An"}, ensure_ascii=False),
        "khong phai json",
        json.dumps({"id": "q3", "text": "x" * 1001}),
    ]), encoding="utf-8")
    result = run("search", "--batch", queries, "--index", sample_index)
    assert result.exit_code == 2  # a line was not a query: skipped, the others answered
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["q1", "q3"]
    assert result.stderr == (
        f"Bỏ qua {queries}:2: không phải đối tượng câu tìm có 'id' và 'text'.\n"
        f"Lưu ý: {queries}:3: Câu tìm kiếm quá dài (1001 ký tự; tối đa 1000 ký tự).\n")


def test_index_prints_one_vietnamese_summary_and_the_json_report_keeps_its_keys(tmp_path):
    from conftest import write_jsonl

    src = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "title": "Tỉnh ủy Long An", "text": "Học tập Nghị quyết."},
                                            {"id": "b", "title": "Thành ủy Cần Thơ", "text": "Học tập Chỉ thị 05."}])
    result = run("index", src, "--index", tmp_path / "ix")
    assert result.exit_code == 0 and result.stderr == ""
    assert re.fullmatch(rf"Đã đánh chỉ mục 2 bài mới, thay 0 bài trong \d+,\d giây vào {re.escape(str(tmp_path / 'ix'))}; "
                        r"chỉ mục có 2 bài\.\n", result.stdout), result.stdout
    report = json.loads(run("index", src, "--index", tmp_path / "ix", "--json").stdout)
    assert set(report) == {"index", "added", "replaced", "skipped", "documents", "seconds", "docs_per_second",
                           "chars_per_second", "skipped_records"}
    assert (report["added"], report["replaced"], report["documents"]) == (0, 2, 2)


def test_an_index_folder_that_cannot_be_made_is_one_line_not_a_traceback(tmp_path):
    from conftest import write_jsonl

    src = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "title": "Tỉnh ủy Long An", "text": "Học tập Nghị quyết."}])
    blocker = tmp_path / "tep.txt"
    blocker.write_text("không phải thư mục", encoding="utf-8")
    result = run("index", src, "--index", blocker / "ix")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (f"Lỗi: Không ghi được chỉ mục vào {blocker / 'ix'} ({blocker}: một phần đường dẫn là tệp, "
                             "không phải thư mục); hãy chọn thư mục khác bằng --index.\n")
