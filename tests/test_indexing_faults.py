"""Indexing that loses nothing and leaves nothing (issue 13): bad records, missing sources,
the rebuild lock and swap, killed runs, a full disk.  Real files, real indexer, real kills."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from whoosh import index as whoosh_index

from index.lifecycle import lock_path, swap_in
from index.schema import INDEX_NAME
from index.writer import index_documents
from search.cli import main
from search.engine import SearchEngine
from tests.conftest import write_jsonl

ARTICLE = "Tỉnh ủy Long An triển khai Nghị quyết Trung ương 4 khóa XII về xây dựng, chỉnh đốn Đảng."
PARAGRAPH = (
    "Ban Thường vụ Tỉnh ủy Long An tổ chức hội nghị học tập, quán triệt Nghị quyết Trung ương 4 khóa XII "
    "về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, "
    "lối sống, những biểu hiện tự diễn biến, tự chuyển hóa trong nội bộ. "
)


def good(i, text=ARTICLE, prefix="tin"):
    return {"id": f"{prefix}-{i}", "title": f"Tin số {i}: học tập Nghị quyết Trung ương 4", "text": text}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def ids(ix: Path) -> set[str]:
    """Every id in the committed index, and each one found by a search."""
    with whoosh_index.open_dir(str(ix), indexname=INDEX_NAME).searcher() as searcher:
        stored = {fields["id"] for fields in searcher.all_stored_fields()}
    assert SearchEngine(ix).search("", {}, size=10)["total"] == len(stored)
    return stored


def vnsearch(*args) -> list[str]:
    return [sys.executable, "-m", "search", *map(str, args)]


def big_corpus(path: Path, n: int, prefix: str, paragraphs: int = 2) -> Path:
    """Enough text that indexing it takes the analysis workers a few seconds."""
    return write_jsonl(path, [good(i, PARAGRAPH * paragraphs, prefix) for i in range(n)])


def wait_for(predicate, timeout=120.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def leftovers(ix: Path) -> list[str]:
    return sorted(p.name for p in ix.parent.iterdir() if p.name.startswith(ix.name + "."))


# --- bad records at the border ---------------------------------------------------------------

def test_lone_surrogates_deep_nesting_and_oversized_fields_are_reported_by_line(tmp_path):
    lines = [json.dumps(good(1), ensure_ascii=False)]
    for field in ("id", "source", "category", "url", "title", "text", "date", "sapo"):
        record = good(len(lines) + 1) | {field: "Long An \ud800 tỉnh"}
        lines.append(json.dumps(record))  # json writes the surrogate as the escape \ud800
    lines.append('{"id": "deep", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}")
    lines.append('{"id": "nested", "text": "x", "meta": ' + "[" * 40 + "]" * 40 + "}")
    lines.append(json.dumps(good(99) | {"url": "https://baomoi.com/" + "a" * 20_000}))
    lines.append(json.dumps({"id": "tin\n2", "text": ARTICLE}))
    lines.append(json.dumps(good(2), ensure_ascii=False))
    src = tmp_path / "bad.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run("index", src, "--index", tmp_path / "ix")

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        *(f"Bỏ qua {src}:{line}: trường '{field}' không phải Unicode hợp lệ (nửa cặp thay thế U+D800 ở ký tự thứ 8)"
          for line, field in enumerate(("id", "source", "category", "url", "title", "text", "date", "sapo"), 2)),
        f"Bỏ qua {src}:10: JSON lồng quá sâu",
        f"Bỏ qua {src}:11: JSON lồng quá sâu (quá 32 tầng)",
        f"Bỏ qua {src}:12: trường 'url' quá dài (20.019 ký tự; tối đa 10.000)",
        f"Bỏ qua {src}:13: 'id' chứa ký tự điều khiển (U+000A ở ký tự thứ 3)",
        "Đã bỏ qua 12 bản ghi (xem ở trên).",
    ]
    assert ids(tmp_path / "ix") == {"tin-1", "tin-2"}
    # Every stored string encodes: the pages and exports that failed on a surrogate url cannot.
    engine = SearchEngine(tmp_path / "ix")
    json.dumps(engine.search("Long An"), ensure_ascii=False).encode("utf-8")


def test_a_txt_file_named_with_bytes_that_are_not_utf8_is_skipped_and_the_rest_indexes(tmp_path):
    # The OS hands such a name to Python with a lone surrogate; as an id it would fail in the writer.
    src = tmp_path / "src"
    src.mkdir()
    (src / os.fsdecode(b"bad\xff.txt")).write_text("Hà Nội hôm nay mưa lớn.", encoding="utf-8")
    (src / "good.txt").write_text("Thành phố Hồ Chí Minh nắng nóng.", encoding="utf-8")

    proc = subprocess.run(vnsearch("index", src, "--index", tmp_path / "ix"), capture_output=True, text=True, timeout=300)

    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        f"Bỏ qua {src}/bad\\xff.txt: tên tệp không dùng làm mã bài được: "
        "trường 'id' không phải Unicode hợp lệ (nửa cặp thay thế U+DCFF ở ký tự thứ 3)",
        "Đã bỏ qua 1 bản ghi (xem ở trên).",
    ]
    assert ids(tmp_path / "ix") == {"good"}


def test_a_gzip_bomb_is_stopped_in_bounded_memory_and_other_sources_index(tmp_path):
    bomb = tmp_path / "bomb.jsonl.gz"
    zeros = gzip.compress(b"0" * 2**24, compresslevel=9)  # 16 MiB in ~16 KB
    with open(bomb, "wb") as fh:  # a .gz may hold several members, read as one stream
        fh.write(gzip.compress((json.dumps(good(1), ensure_ascii=False) + "\n").encode("utf-8")))
        fh.write(gzip.compress(b'{"id": "bomb", "text": "'))
        for _ in range(64):  # 1 GiB of text from about 1 MB on disk
            fh.write(zeros)
        fh.write(gzip.compress(b'"}\n'))
    assert bomb.stat().st_size < 1_200_000
    other = write_jsonl(tmp_path / "other.jsonl", [good(2)])

    with open(tmp_path / "err.txt", "wb") as err_file:
        proc = subprocess.Popen(vnsearch("index", bomb, other, "--index", tmp_path / "ix", "--workers", "1"),
                                stdout=subprocess.DEVNULL, stderr=err_file)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak memory
        proc.returncode = os.waitstatus_to_exitcode(status)
    err = (tmp_path / "err.txt").read_text(encoding="utf-8")

    assert proc.returncode == 2, err
    assert f"Bỏ qua {bomb}:2: dữ liệu gzip nở ra hơn 100 lần" in err
    assert "Traceback" not in err
    assert usage.ru_maxrss < 600 * 1024  # KiB: pyvi and Whoosh, not the gigabyte
    assert ids(tmp_path / "ix") == {"tin-1", "tin-2"}


def test_duplicate_ids_are_reported_by_file_and_line(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [good(1), good(2)])
    b = write_jsonl(tmp_path / "b.jsonl", [good(3), good(1, "Thành ủy Cần Thơ họp.")])
    result = run("index", a, b, "--index", tmp_path / "ix")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Bỏ qua {b}:2: mã 'tin-1' xuất hiện hai lần trong lần chạy này (giữ bản đầu, ở {a}:1)",
        "Đã bỏ qua 1 bản ghi (xem ở trên).",
    ]
    assert ids(tmp_path / "ix") == {"tin-1", "tin-2", "tin-3"}
    assert SearchEngine(tmp_path / "ix").search("Cần Thơ")["total"] == 0


def test_strict_reports_duplicates_too(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [good(1), good(1)])
    result = run("index", a, "--index", tmp_path / "ix", "--strict")
    assert result.exit_code == 1
    assert result.output == (
        f"Lỗi: {a}:2: mã 'tin-1' xuất hiện hai lần trong lần chạy này (giữ bản đầu, ở {a}:1)\n"
        "Lỗi: 1 bản ghi hỏng; không ghi gì cả (--strict).\n"
    )


# --- a missing source (issue 12, item 12) --------------------------------------------------

@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_a_missing_source_is_one_line_exit_1_and_writes_nothing(tmp_path, strict):
    good_src = write_jsonl(tmp_path / "a.jsonl", [good(1)])
    missing = tmp_path / "nosuch.jsonl"
    result = run("index", good_src, missing, "--index", tmp_path / "ix", *strict)
    assert result.exit_code == 1
    assert result.stderr == f"Lỗi: {missing}: không có tệp hay thư mục này; không ghi gì cả.\n"
    assert result.stdout == ""
    assert not (tmp_path / "ix").exists() and not lock_path(tmp_path / "ix").exists()


def test_a_source_of_unknown_kind_is_refused_before_writing(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n1,Long An\n", encoding="utf-8")
    result = run("index", tmp_path / "a.csv", "--index", tmp_path / "ix")
    assert result.exit_code == 1
    assert result.output == (f"Lỗi: {tmp_path / 'a.csv'}: không rõ loại nguồn "
                             "(cần một thư mục, tệp .txt, .jsonl hoặc .jsonl.gz); không ghi gì cả.\n")
    assert not (tmp_path / "ix").exists()


# --- --rebuild: the same lock, an atomic swap, the normal mode -------------------------------

def test_the_rebuilt_folder_has_the_normal_mode(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", [good(1)])
    old_umask = os.umask(0o022)
    try:
        assert run("index", src, "--index", tmp_path / "ix", "--rebuild").exit_code == 0
        assert stat.S_IMODE((tmp_path / "ix").stat().st_mode) == 0o755
        os.chmod(tmp_path / "ix", 0o750)  # an operator's choice survives a rebuild
        assert run("index", src, "--index", tmp_path / "ix", "--rebuild").exit_code == 0
        assert stat.S_IMODE((tmp_path / "ix").stat().st_mode) == 0o750
    finally:
        os.umask(old_umask)
    assert leftovers(tmp_path / "ix") == []


def test_a_plain_run_during_a_rebuild_waits_and_its_documents_survive_the_swap(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "old.jsonl", [good(1, prefix="old")])], ix, workers=1)
    corpus = big_corpus(tmp_path / "big.jsonl", 260, "moi", paragraphs=1)  # analysed in worker processes
    rebuild = subprocess.Popen(vnsearch("index", corpus, "--index", ix, "--rebuild"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: any(".rebuild-" in name for name in leftovers(ix)), what="the rebuild folder")
        plain = subprocess.run(
            vnsearch("index", write_jsonl(tmp_path / "plain.jsonl", [good(1, prefix="plain")]), "--index", ix,
                     "--wait", "300"),
            capture_output=True, text=True, timeout=600)
        assert rebuild.poll() is not None  # the plain run waited for the whole rebuild
        out, err = rebuild.communicate(timeout=600)
    finally:
        rebuild.kill()
    assert (rebuild.returncode, plain.returncode) == (0, 0), (err, plain.stderr)
    assert ids(ix) == {f"moi-{i}" for i in range(260)} | {"plain-1"}
    assert leftovers(ix) == []


def test_a_killed_rebuild_leaves_the_old_index_and_the_next_run_cleans_up(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "old.jsonl", [good(1), good(2)])], ix, workers=1)
    corpus = big_corpus(tmp_path / "big.jsonl", 300, "moi")
    rebuild = subprocess.Popen(vnsearch("index", corpus, "--index", ix, "--rebuild"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: any(len(os.listdir(ix.parent / name)) > 3 for name in leftovers(ix) if ".rebuild-" in name),
                 what="the rebuild's writer")
        assert rebuild.poll() is None
    finally:
        os.killpg(rebuild.pid, signal.SIGKILL)  # the indexer and its analysis workers
        rebuild.wait()
    left = [name for name in leftovers(ix) if ".rebuild-" in name]
    assert len(left) == 1
    assert ids(ix) == {"tin-1", "tin-2"}

    result = run("index", write_jsonl(tmp_path / "new.jsonl", [good(3)]), "--index", ix, "--wait", "0")

    assert result.exit_code == 0  # the killed run's lock died with it
    assert result.stderr == f"Ghi chú: đã xóa {ix.parent / left[0]}, do một lần chạy bị ngắt để lại.\n"
    assert leftovers(ix) == []
    assert ids(ix) == {"tin-1", "tin-2", "tin-3"}


def test_a_killed_plain_run_keeps_the_last_commit_and_its_files_are_removed(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "old.jsonl", [good(1), good(2)])], ix, workers=1)
    committed = set(os.listdir(ix))
    corpus = big_corpus(tmp_path / "big.jsonl", 300, "moi")
    proc = subprocess.Popen(vnsearch("index", corpus, "--index", ix), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: set(os.listdir(ix)) - committed, what="the writer's new files")
        assert proc.poll() is None
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    orphans = set(os.listdir(ix)) - committed
    assert orphans
    assert ids(ix) == {"tin-1", "tin-2"}

    assert run("index", write_jsonl(tmp_path / "new.jsonl", [good(3)]), "--index", ix, "--wait", "0").exit_code == 0

    assert not orphans & set(os.listdir(ix))
    assert ids(ix) == {"tin-1", "tin-2", "tin-3"}
    assert leftovers(ix) == []


def test_the_swap_never_leaves_the_index_folder_missing(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "a.jsonl", [good(1)])], ix, workers=1)
    template = tmp_path / "template"
    shutil.copytree(ix, template)
    toc = next(ix.glob("*.toc")).name
    stop = tmp_path / "stop"
    watcher = subprocess.Popen([sys.executable, "-c", (
        "import os, sys\n"
        "toc, stop = sys.argv[1:]\n"
        "missing = looks = 0\n"
        "while not os.path.exists(stop):\n"
        "    looks += 1\n"
        "    missing += not os.path.exists(toc)\n"
        "print(missing, looks)\n"
    ), str(ix / toc), str(stop)], stdout=subprocess.PIPE, text=True)
    try:
        for i in range(100):
            built = tmp_path / f"ix.rebuild-{i}"
            shutil.copytree(template, built)
            swap_in(built, ix, grace=0.02)
    finally:
        stop.touch()
        out, _ = watcher.communicate(timeout=60)
    missing, looks = map(int, out.split())
    assert looks > 100 and missing == 0
    assert ids(ix) == {"tin-1"} and leftovers(ix) == []


def test_a_failed_second_rename_of_the_fallback_swap_puts_the_old_index_back(tmp_path, monkeypatch):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "a.jsonl", [good(1)])], ix, workers=1)
    # A file system without renameat2's exchange, and a rename that fails once the old
    # index has been moved aside (an I/O error): the two steps of the fallback are real.
    monkeypatch.setattr("index.lifecycle._exchange", lambda a, b: False)
    real_rename = os.rename

    def rename(src, dst):
        if Path(dst) == ix and ".rebuild-" in Path(src).name:
            raise OSError(5, "Input/output error", str(src))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)

    with pytest.raises(OSError, match="Input/output error"):
        index_documents([write_jsonl(tmp_path / "b.jsonl", [good(2)])], ix, rebuild=True, workers=1)

    monkeypatch.setattr(os, "rename", real_rename)
    assert ids(ix) == {"tin-1"} and leftovers(ix) == []


# --- a full disk ---------------------------------------------------------------------------

def _can_mount_tmpfs() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="cannot mount a small tmpfs here (needs user namespaces)")
@pytest.mark.parametrize("rebuild, documents", [(False, 150), (True, 150), (False, 300)])
def test_a_full_disk_is_one_line_and_the_previous_commit_stays(tmp_path, rebuild, documents):
    """A 3 MB tmpfs in a private mount namespace, filled up by a real run of the indexer
    (300 documents: analysed and written by worker processes)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    first = write_jsonl(tmp_path / "first.jsonl", [good(1), good(2)])
    more = big_corpus(tmp_path / "more.jsonl", documents, "moi", paragraphs=1)
    script = Path(__file__).with_name("full_disk_run.py")
    proc = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'mount -t tmpfs -o size=3m tmpfs "$0" && exec "$@"', str(disk),
         sys.executable, str(script), str(disk), str(first), str(more), "--rebuild" if rebuild else "--plain"],
        capture_output=True, text=True, timeout=600, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.splitlines()[-1])
    ix = disk / "ix"
    assert seen["exit_code"] == 1
    assert len(seen["output"].splitlines()) == 1
    assert seen["output"].startswith(f"Lỗi: Đĩa chứa {ix} đã đầy (còn trống ")
    assert seen["output"].endswith(
        " MB): lần chạy này không ghi được gì; chỉ mục giữ nguyên 2 bài trước đó; "
        "hãy giải phóng chỗ trống rồi chạy lại.\n")
    assert seen["files_after"] == seen["files_before"]  # the failed run's files are gone
    assert seen["ids_after"] == ["tin-1", "tin-2"]
    assert seen["after_freeing"] == 0 and seen["ids_last"] == ["tin-1", "tin-2", "tin-3"]


# --- very large documents ------------------------------------------------------------------

def test_a_long_document_is_segmented_in_pieces_and_found_by_words_from_every_part(tmp_path):
    """Long bodies are segmented piece by piece (bounded memory); nothing of them is lost.

    The size figures (5 and 50 MB) are bench/big_documents.py's: the suite stays fast."""
    from index.analysis import SegmentedText
    from index.large_text import PIECE_CHARS, segmented

    paragraphs = [PARAGRAPH] * 130
    paragraphs[0] = "Mở đầu, Thành ủy Cần Thơ quán triệt Chỉ thị 05-CT/TW."
    paragraphs[65] = "Giữa tài liệu, Hội Nông dân huyện Châu Thành báo cáo mô hình trồng sen."
    paragraphs[-1] = "Cuối tài liệu, đoàn khảo sát chim cánh cụt Nam Cực báo cáo với Tỉnh ủy."
    text = "\n\n".join(paragraphs)
    assert len(text) > 2 * PIECE_CHARS
    whole, cut = SegmentedText.of(text), segmented(text)
    assert cut.words == whole.words  # cut at paragraph ends: the same words as in one pass
    src = write_jsonl(tmp_path / "long.jsonl", [{"id": "dai", "title": "Báo cáo dài", "text": text}, good(1)])
    assert run("index", src, "--index", tmp_path / "ix").exit_code == 0
    engine = SearchEngine(tmp_path / "ix")
    for query in ('"Thành ủy Cần Thơ"', '"trồng sen"', '"chim cánh cụt Nam Cực"'):
        assert [h["id"] for h in engine.search(query)["hits"]] == ["dai"], query
