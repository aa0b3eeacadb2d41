"""Indexing real Vietnamese documents, and what happens with bad input (issue: core engine)."""
from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index

from index.schema import INDEX_NAME, META_FILE
from index.writer import index_documents
from search.cli import main
from search.engine import SearchEngine
from tests.conftest import write_jsonl

ARTICLE = "Tỉnh ủy Long An triển khai Nghị quyết Trung ương 4 khóa XII về xây dựng, chỉnh đốn Đảng."


def good(i: int, text: str = ARTICLE) -> dict:
    return {"id": f"tin-{i}", "title": f"Tin số {i}: học tập Nghị quyết Trung ương 4", "text": text}


def unexpected_lines(stderr: str) -> list[str]:
    """Lines of an index run's error output that are not a skipped record or their count."""
    return [line for line in stderr.splitlines()
            if not line.startswith("Bỏ qua ") and not re.fullmatch(r"Đã bỏ qua \d+ bản ghi \(xem ở trên\)\.", line)]


def run(*args, env=None):
    # Exceptions reach the test (a traceback fails it), as sqlite-utils' CLI tests do.
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def test_bad_records_are_reported_with_file_and_line_and_good_ones_indexed(tmp_path):
    src = write_jsonl(tmp_path / "mixed.jsonl", [
        good(1),
        "{not json",
        {"id": "no-text", "title": "Thiếu nội dung"},
        b'{"id": "bad-utf8", "text": "\xff\xfe Ngh\xe1"}',
        {"id": "nul", "text": "Nghị quyết\x00 Trung ương"},
        {"id": "empty", "text": "   "},
        good(2),
        {"id": "long-title", "title": "Nghị quyết " * 1_000, "text": ARTICLE},
    ])
    (tmp_path / "empty.jsonl").write_bytes(b"")
    result = run("index", src, tmp_path / "empty.jsonl", "--index", tmp_path / "ix")
    assert result.exit_code == 2, result.output
    err = result.stderr
    for line, reason in [(2, "không phải JSON hợp lệ"), (3, "thiếu trường 'text'"),
                         (4, "không phải văn bản UTF-8 hợp lệ"), (5, "chứa byte NUL (tệp nhị phân?)"),
                         (6, "văn bản rỗng"), (8, "trường 'title' quá dài (11.000 ký tự; tối đa 10.000)")]:
        assert f"mixed.jsonl:{line}: {reason}" in err, err
    assert "empty.jsonl: tệp rỗng: không có bản ghi nào" in err
    assert unexpected_lines(err) == []
    engine = SearchEngine(tmp_path / "ix")
    assert {h["id"] for h in engine.search("nghị quyết")["hits"]} == {"tin-1", "tin-2"}


def test_strict_writes_nothing_when_a_record_is_bad(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", [good(1), "{oops"])
    result = run("index", src, "--index", tmp_path / "ix", "--strict")
    assert result.exit_code == 1
    assert "a.jsonl:2: không phải JSON hợp lệ" in result.output
    assert "không ghi gì cả" in result.output
    assert not (tmp_path / "ix").exists()


def test_a_failed_run_leaves_the_previous_index_intact(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "a.jsonl", [good(1), good(2)])], ix, workers=1)
    bad = write_jsonl(tmp_path / "b.jsonl", ["garbage", b"\xff\xff"])
    result = run("index", bad, "--index", ix)
    assert result.exit_code == 2
    assert SearchEngine(ix).search("Long An")["total"] == 2


def test_reindexing_an_id_replaces_the_document(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "a.jsonl", [good(1), good(2)])], ix, workers=1)
    report = index_documents([write_jsonl(tmp_path / "b.jsonl", [
        {"id": "tin-1", "title": "Thành ủy Cần Thơ học tập Chỉ thị 05-CT/TW", "text": "Thành ủy Cần Thơ quán triệt Chỉ thị 05-CT/TW."}
    ])], ix, workers=1)
    assert (report.added, report.replaced, report.total) == (0, 1, 2)
    engine = SearchEngine(ix)
    assert [h["id"] for h in engine.search("Cần Thơ")["hits"]] == ["tin-1"]
    assert [h["id"] for h in engine.search("Long An")["hits"]] == ["tin-2"]


def test_txt_folder_ids_are_file_stems_and_gz_sources_work(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "bai-mot.txt").write_text("Long An học tập Nghị quyết\n\n" + ARTICLE, encoding="utf-8")
    (folder / "hong.txt").write_bytes(b"\xff\xfe\x00binary")
    gz = tmp_path / "more.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(good(7), ensure_ascii=False) + "\n")
    result = run("index", folder, gz, "--index", tmp_path / "ix")
    assert result.exit_code == 2
    assert "hong.txt" in result.stderr
    hits = {h["id"] for h in SearchEngine(tmp_path / "ix").search("Long An")["hits"]}
    assert hits == {"bai-mot", "tin-7"}


def test_index_built_by_another_analyzer_version_is_refused(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "a.jsonl", [good(1)])], ix, workers=1)
    meta = json.loads((ix / META_FILE).read_text(encoding="utf-8"))
    meta["analyzer"] = "vi-0"
    (ix / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    result = run("search", "Long An", "--index", ix)
    assert result.exit_code == 1
    assert "rebuild" in result.output and "vi-0" in result.output
    result = run("index", tmp_path / "a.jsonl", "--index", ix)
    assert result.exit_code == 1 and "rebuild" in result.output
    assert run("index", tmp_path / "a.jsonl", "--index", ix, "--rebuild").exit_code == 0
    assert run("search", "Long An", "--index", ix).exit_code == 0


def test_a_second_indexer_waits_then_fails_clearly(tmp_path):
    ix = tmp_path / "ix"
    src = write_jsonl(tmp_path / "a.jsonl", [good(1)])
    index_documents([src], ix, workers=1)
    writer = whoosh_index.open_dir(str(ix), indexname=INDEX_NAME).writer()  # holds the lock
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "search", "index", str(src), "--index", str(ix), "--wait", "1"],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        writer.cancel()
    assert proc.returncode == 1
    assert proc.stderr == (f"Lỗi: Một tiến trình khác đang ghi vào chỉ mục {ix} (đã chờ 1 giây); "
                           "hãy chạy lại khi nó xong, hoặc chờ lâu hơn với --wait.\n")
    assert SearchEngine(ix).search("Long An")["total"] == 1


def test_the_default_index_location_follows_vnsearch_index(tmp_path, monkeypatch):
    monkeypatch.setenv("VNSEARCH_INDEX", str(tmp_path / "env-ix"))
    src = write_jsonl(tmp_path / "a.jsonl", [good(1)])
    assert run("index", src).exit_code == 0
    assert (tmp_path / "env-ix" / META_FILE).exists()
    out = run("search", "long an", "--json")
    assert json.loads(out.output)["total"] == 1


def test_searches_see_a_commit_made_while_the_engine_is_open(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "a.jsonl", [good(1)])], ix, workers=1)
    engine = SearchEngine(ix)
    assert engine.search("Long An")["total"] == 1
    done = threading.Event()

    def more():
        index_documents([write_jsonl(tmp_path / "b.jsonl", [good(2)])], ix, workers=1)
        done.set()

    t = threading.Thread(target=more)
    t.start()
    t.join(120)
    assert done.is_set()
    assert engine.search("Long An")["total"] == 2


@pytest.mark.parametrize("text", ["", "\ufeff", "Phản hồi\nCác tin khác\nChia sẻ bài viết"])
def test_odd_documents_never_raise(tmp_path, text):
    src = write_jsonl(tmp_path / "odd.jsonl", [{"id": "odd", "title": "Tiêu đề", "text": text}, good(1)])
    result = run("index", src, "--index", tmp_path / "ix")
    assert result.exit_code in (0, 2)
    assert unexpected_lines(result.stderr) == []
    assert SearchEngine(tmp_path / "ix").search("Long An")["total"] == 1


def test_record_fields_win_and_are_normalised(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", [{
        "id": "dt-1", "title": "Thành ủy Cần Thơ học tập Nghị quyết", "sapo": "Sáng nay, Thành ủy Cần Thơ khai mạc lớp học.",
        "text": "Các đảng viên quán triệt Nghị quyết Trung ương 4 khóa XII.", "date": "01/10/2020 16:35",
        "source": "Dân trí", "url": "https://dantri.com.vn/a.htm", "category": "Thời sự",
    }])
    index_documents([src], tmp_path / "ix", workers=1)
    engine = SearchEngine(tmp_path / "ix")
    result = engine.search("khai mạc lớp học")  # words only in the sapo
    hit = result["hits"][0]
    assert (hit["id"], hit["date"], hit["source"], hit["category"]) == ("dt-1", "2020-10-01", "Dân trí", "Thời sự")
    assert result["facets"]["year"] == [{"value": "2020", "count": 1, "selected": False}]


def test_a_live_engine_sees_replacements_once_and_a_rebuilt_index(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "a.jsonl", [good(1), good(2)])], ix, workers=1)
    engine = SearchEngine(ix)
    assert engine.search("Long An")["total"] == 2
    index_documents([write_jsonl(tmp_path / "b.jsonl", [good(1)])], ix, workers=1)  # replaces tin-1
    result = engine.search("", {}, size=10)
    assert sorted(h["id"] for h in result["hits"]) == ["tin-1", "tin-2"] and result["total"] == 2
    other = write_jsonl(tmp_path / "c.jsonl", [{"id": "moi", "title": "Thành ủy Cần Thơ", "text": "Thành ủy Cần Thơ họp."}])
    assert run("index", other, "--index", ix, "--rebuild").exit_code == 0
    assert [h["id"] for h in engine.search("", {}, size=10)["hits"]] == ["moi"]


def test_an_empty_index_searches_to_nothing(tmp_path):
    result = run("index", write_jsonl(tmp_path / "a.jsonl", []), "--index", tmp_path / "ix")
    assert result.exit_code == 2  # the empty file is reported
    out = run("search", "Long An", "--index", tmp_path / "ix", "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["total"] == 0


def test_many_small_commits_into_one_index_are_all_kept_and_found(tmp_path):
    """Whoosh merges small segments on commit; every article of every commit stays findable
    (a writer that inlined short posting lists made the fifth commit fail to merge)."""
    ix = tmp_path / "ix"
    base = [{"id": f"nen{i}", "title": "", "text": f"Bài nền số {i} về công tác cán bộ ở cơ sở."} for i in range(4)]
    index_documents([write_jsonl(tmp_path / "base.jsonl", base)], ix, workers=1)
    for n in range(8):
        doc = {"id": f"moi{n}", "title": "", "text": f"Hội nghị lần thứ {n + 1} bàn về phòng chống tham nhũng."}
        index_documents([write_jsonl(tmp_path / f"d{n}.jsonl", [doc])], ix, workers=1)
    engine = SearchEngine(ix)
    found = {h["id"] for h in engine.search("phòng chống tham nhũng", facets=False, size=50)["hits"]}
    assert found == {f"moi{n}" for n in range(8)}
    assert engine.search("", {"province": []}, facets=False)["total"] == 12
