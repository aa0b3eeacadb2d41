"""The multi-process write path (≥ 256 documents): workers analyse and write segments of
their own, the parent commits them once; plain Whoosh reads what they wrote; a killed
indexer leaves the previous commit and no worker behind (issue 11, issue 13 item 5)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.qparser import QueryParser

from index.analysis import syllables
from index.lifecycle import lock_path
from index.schema import INDEX_NAME
from index.writer import PARALLEL_FROM, index_documents
from search.engine import SearchEngine
from tests.conftest import write_jsonl

PROVINCES = ["Long An", "Cần Thơ", "An Giang", "Đồng Tháp", "Lâm Đồng", "Thừa Thiên Huế", "Bình Dương"]
SENTENCES = [
    "Tỉnh ủy {p} triển khai Nghị quyết Trung ương 4 khóa XII về xây dựng, chỉnh đốn Đảng.",
    "Ban Thường vụ Tỉnh ủy {p} họp bàn công tác cán bộ và phòng, chống tham nhũng.",
    "Hội nghị học tập, quán triệt chuyên đề năm {y} được tổ chức tại hội trường lớn.",
    "Các chi bộ ở {p} sinh hoạt định kỳ, kiểm điểm tự phê bình và phê bình nghiêm túc.",
    "Ủy ban nhân dân tỉnh {p} giao chỉ tiêu phát triển kinh tế - xã hội cho các huyện.",
    "Đoàn kiểm tra của Ban Bí thư làm việc với Thành ủy về tình trạng suy thoái tư tưởng.",
    "Người dân {p} phấn khởi đón nhận chính sách hỗ trợ nông nghiệp công nghệ cao.",
]


def articles(n: int, seed: int = 11, prefix: str = "bai") -> list[dict]:
    """``n`` short Vietnamese articles, different enough that their terms and lengths vary."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        p = PROVINCES[i % len(PROVINCES)]
        body = " ".join(rng.choice(SENTENCES).format(p=p, y=2010 + i % 9) for _ in range(1 + i % 4))
        out.append({"id": f"{prefix}-{i}", "title": f"Tin {p} số {i}", "text": body})
    return out


def _postings_by_id(ix_dir: Path) -> tuple[dict, dict, dict]:
    """Every (field, term) → {doc id: weight}, per-document field lengths and field totals."""
    ix = whoosh_index.open_dir(str(ix_dir), indexname=INDEX_NAME)
    with ix.searcher() as s:
        r = s.reader()
        ids = {d: f["id"] for d, f in r.iter_docs()}
        postings = {}
        for field, term in r.all_terms():
            m = r.postings(field, term)
            postings[(field, term)] = {ids[d]: w for d, w in m.items_as("weight") if d in ids}
        lengths = {(f, ids[d]): r.doc_field_length(d, f) for f in r.schema.scorable_names() for d in ids}
        totals = {f: r.field_length(f) for f in r.schema.scorable_names()}
    ix.close()
    return postings, lengths, totals


@pytest.fixture(scope="module")
def parallel_and_serial(tmp_path_factory):
    """The same 300 articles indexed by 2 worker processes and by this process alone."""
    root = tmp_path_factory.mktemp("parallel")
    src = write_jsonl(root / "a.jsonl", articles(300))
    parallel = index_documents([src], root / "p", workers=2, progress=False)
    serial = index_documents([src], root / "s", workers=1, progress=False)
    assert parallel.added == serial.added == 300
    return root / "p", root / "s"


def test_workers_write_what_one_process_writes(parallel_and_serial):
    p, s = parallel_and_serial
    assert 300 >= PARALLEL_FROM
    assert len(whoosh_index.open_dir(str(p), indexname=INDEX_NAME)._segments()) == 2  # one per worker
    pp, pl, pt = _postings_by_id(p)
    sp, sl, st = _postings_by_id(s)
    assert pp == sp  # every term of every field, with the same documents and frequencies
    assert pl == sl and pt == st  # BM25 lengths and totals exact across segments


def test_search_ranks_the_same_over_worker_segments(parallel_and_serial):
    p, s = parallel_and_serial
    for query in ("nghị quyết trung ương 4", "chinh don dang", "Cần Thơ", "tham nhũng"):
        a, b = SearchEngine(p).search(query), SearchEngine(s).search(query)
        assert a["total"] == b["total"] > 0
        # Documents are numbered in the order the workers wrote them, so equal scores may
        # come in another order; the scores and which documents have them are the same.
        assert [round(h["score"], 4) for h in a["hits"]] == [round(h["score"], 4) for h in b["hits"]]
        tied = {h["score"] for h in a["hits"][-1:]}
        assert ({(h["id"], round(h["score"], 4)) for h in a["hits"] if h["score"] not in tied}
                == {(h["id"], round(h["score"], 4)) for h in b["hits"] if h["score"] not in tied})


def test_plain_whoosh_reads_the_segments_the_workers_wrote(parallel_and_serial):
    p, _ = parallel_and_serial
    docs = {a["id"]: a for a in articles(300)}
    ix = whoosh_index.open_dir(str(p), indexname=INDEX_NAME)
    with ix.searcher() as s:
        query = QueryParser("body_s", ix.schema).parse("tham nhũng")
        found = {hit["id"] for hit in s.search(query, limit=None)}
    ix.close()
    expected = {i for i, a in docs.items() if {"tham", "nhũng"} <= {x.text.lower() for x in syllables(a["text"])}}
    assert found == expected and len(expected) > 10


def test_a_reindexed_id_replaces_the_document_in_another_segment(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "a.jsonl", articles(300))], ix, workers=2, progress=False)
    changed = articles(300, seed=5)
    changed[7]["text"] = "Bài đã sửa: Thành ủy Cần Thơ tổng kết phong trào thi đua yêu nước."
    report = index_documents([write_jsonl(tmp_path / "b.jsonl", changed)], ix, workers=2, progress=False)
    assert (report.added, report.replaced) == (0, 300)
    hits = SearchEngine(ix).search("phong trào thi đua yêu nước")["hits"]
    assert [h["id"] for h in hits] == ["bai-7"]
    whoosh = whoosh_index.open_dir(str(ix), indexname=INDEX_NAME)
    assert whoosh.doc_count() == 300
    whoosh.close()


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_killed_indexer_leaves_the_previous_commit_and_no_workers(tmp_path):
    ix = tmp_path / "ix"
    index_documents([write_jsonl(tmp_path / "old.jsonl", articles(3, prefix="cu"))], ix, workers=1, progress=False)
    src = write_jsonl(tmp_path / "big.jsonl", articles(3000, seed=3))
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "index", str(src), "--index", str(ix), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    temp = ix / f"{INDEX_NAME}.tmp"  # where the workers' segments hold their columns until done
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        # Kill once the workers have written something: segment files not yet committed.
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid) or workers
            if len(workers) >= 2 and temp.exists() and len(list(temp.iterdir())) >= 2:
                break
            time.sleep(0.05)
        assert proc.poll() is None and len(workers) >= 2, "the indexer ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "worker processes outlived the killed indexer"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    engine = SearchEngine(ix)
    assert engine.search("Tin")["total"] == 3  # the previous commit, nothing of the killed run
    report = index_documents([write_jsonl(tmp_path / "new.jsonl", articles(2, prefix="moi"))], ix, workers=1,
                             progress=False, lock_timeout=5)
    assert report.total == 5
    whoosh = whoosh_index.open_dir(str(ix), indexname=INDEX_NAME)
    live = {s.make_filename(".seg") for s in whoosh._segments()}
    whoosh.close()
    stray = {p.name for p in ix.iterdir() if p.name.startswith(INDEX_NAME + "_")} - live - {f"{INDEX_NAME}_WRITELOCK"}
    assert not stray and not temp.exists(), stray


def _open_files(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            out.add(os.readlink(fd))
        except OSError:
            pass
    return out


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_hold_no_lock_so_a_killed_indexer_frees_the_index_at_once(tmp_path):
    ix = tmp_path / "ix"
    src = write_jsonl(tmp_path / "a.jsonl", articles(1000, seed=5))
    locks = {str(lock_path(ix)), str(ix / f"{INDEX_NAME}_WRITELOCK")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "index", str(src), "--index", str(ix), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        temp = ix / f"{INDEX_NAME}.tmp"  # where the workers' segments hold their columns until done
        # Look once the workers have begun writing, well past their start.
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid) or workers
            if len(workers) >= 2 and temp.exists() and len(list(temp.iterdir())) >= 2:
                break
            time.sleep(0.01)
        assert proc.poll() is None and len(workers) == 2, "the indexer ended before its workers were seen"
        # A worker's copy of a lock descriptor would keep the index locked for as long as it lived.
        assert {w: _open_files(w) & locks for w in workers} == {w: set() for w in workers}
        proc.send_signal(signal.SIGKILL)  # the parent only, not its process group
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "worker processes outlived the killed indexer"
    report = index_documents([write_jsonl(tmp_path / "b.jsonl", articles(2, prefix="moi"))], ix, workers=1,
                             progress=False, lock_timeout=0)
    assert report.total == 2
