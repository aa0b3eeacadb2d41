"""The serving model under threads: many requests against one app while the index is committed."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from web_conftest_helpers import generated_records

from index.writer import index_documents
from search.engine import SearchEngine
from web.app import create_app
from web.serving import close_engine

THREADS = 8
ROUNDS = 2
DOCS = 8  # article pages per round: each runs pyvi on its lead for the related list
QUERIES = ["nghị quyết trung ương 4", "tinh uy long an", "xây dựng chỉnh đốn Đảng", "Chỉ thị 05-CT/TW"]


@pytest.fixture(scope="module")
def live_index(tmp_path_factory):
    """A private copy of the generated corpus: these tests commit to it."""
    root = tmp_path_factory.mktemp("live")
    jsonl = root / "corpus.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for rec in generated_records():
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    index_documents([jsonl], root / "index", workers=1)
    return root / "index", jsonl


@pytest.fixture
def live_app(live_index):
    """A site over the live index, closed after the test."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(live_index[0])})
    yield app
    close_engine(app)


def _answers(client, doc_ids: list[str]) -> dict:
    """What a user sees of each article page (related list) and each search (ranked ids)."""
    out = {}
    for doc_id in doc_ids:
        r = client.get(f"/api/doc/{doc_id}")
        out[("doc", doc_id)] = (r.status_code, [s["id"] for s in r.get_json().get("similar", [])])
    for q in QUERIES:
        r = client.get("/api/search", query_string={"q": q, "size": 20})
        out[("search", q)] = (r.status_code, [h["id"] for h in r.get_json().get("hits", [])])
    # Exports read their rows in chunks under the generation's lock, not through the page's path.
    for q in (QUERIES[0], ""):
        r = client.get("/api/export", query_string={"q": q, "sort": "date" if not q else "relevance"})
        out[("export", q)] = (r.status_code, [(h["id"], h["title"], h["score"]) for h in r.get_json().get("hits", [])])
    return out


def _hammer(app, doc_ids: list[str], during=None) -> list[dict]:
    """``THREADS`` clients each reading every page ``ROUNDS`` times (``during`` runs meanwhile)."""
    def worker(_):
        client = app.test_client()
        return [_answers(client, doc_ids) for _ in range(ROUNDS)]

    with ThreadPoolExecutor(THREADS + 1) as pool:
        futures = [pool.submit(worker, i) for i in range(THREADS)]
        side = pool.submit(during) if during else None
        results = [a for f in futures for a in f.result()]
        if side:
            side.result()
    return results


def test_related_articles_under_threads_equal_a_serial_run(live_app):
    doc_ids = [r["id"] for r in generated_records()][:DOCS]
    serial = _answers(live_app.test_client(), doc_ids)
    assert all(status == 200 for status, _ in serial.values())
    assert any(ids for (kind, _), (_, ids) in serial.items() if kind == "doc")
    for answers in _hammer(live_app, doc_ids):
        diff = {k: v for k, v in answers.items() if v != serial[k]}
        assert not diff


def test_commits_during_requests_never_fail_a_request(live_app, live_index):
    index_dir, jsonl = live_index
    doc_ids = [r["id"] for r in generated_records()][:DOCS]
    # What a serial reader sees of each generation: before, and after each commit.
    seen = [_answers(live_app.test_client(), doc_ids)]

    def commit_three_times():
        for _ in range(3):
            index_documents([jsonl], index_dir, workers=1, lock_timeout=60)
            serial_app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
            seen.append(_answers(serial_app.test_client(), doc_ids))
            close_engine(serial_app)

    answers = _hammer(live_app, doc_ids, during=commit_three_times)
    assert {k for a in answers for k, (status, _) in a.items() if status != 200} == set()
    # Each commit changes the collection (and so its statistics): an answer must be what a
    # serial run of some generation gave.
    for a in answers:
        assert {k for k, v in a.items() if all(v != s[k] for s in seen)} == set()


def test_a_generation_stays_open_until_its_last_user_ends(live_index):
    index_dir, jsonl = live_index
    engine = SearchEngine(index_dir)
    try:
        pin = engine.pin()  # a long request (an export) starts here
        before = engine.export("nghị quyết")["total"]
        for _ in range(2):  # two commits while it runs
            index_documents([jsonl], index_dir, workers=1, lock_timeout=60)
            other = threading.Thread(target=lambda: engine.search("đảng"))
            other.start()
            other.join()  # another request moves the engine to the new generation
        # Still on the first generation, whose files a commit would otherwise have closed.
        assert engine.export("nghị quyết")["total"] == before
        assert engine.document("gen-01")["similar"]
        pin.release()
        assert engine.search("nghị quyết")["total"] == before
    finally:
        engine.close()


def test_an_export_over_several_segments_is_every_hit_in_rank_order(tmp_path):
    records = generated_records()
    parts = [tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"]
    for n, part in enumerate(parts):
        with part.open("w", encoding="utf-8") as fh:
            for rec in records[n::3]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        index_documents([part], tmp_path / "index", workers=1)
    engine = SearchEngine(tmp_path / "index")
    try:
        assert len(engine.state().searcher.raw.reader().leaf_readers()) > 1  # rows come from several files
        for query, sort in (("nghị quyết trung ương 4", "relevance"), ("", "date")):
            pages = [h for page in (1, 2, 3) for h in engine.search(query, sort=sort, page=page, size=10)["hits"]]
            export = engine.export(query, sort=sort)
            assert export["total"] == len(pages) == len(export["hits"])
            assert [(h["id"], h["title"], h["date"], h["provinces"]) for h in export["hits"]] == \
                   [(h["id"], h["title"], h["date"], h["provinces"]) for h in pages]
    finally:
        engine.close()


def test_the_vocabulary_of_several_segments_is_that_of_one(tmp_path):
    """Read segment by segment (a new generation after a commit was 24 s on 12k articles),
    did-you-mean's tables hold the same forms and document frequencies as from one segment."""
    from search.suggest import Vocabulary

    records = generated_records()
    whole = tmp_path / "all.jsonl"
    whole.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    index_documents([whole], tmp_path / "one", workers=1)
    for n in range(3):
        part = tmp_path / f"part{n}.jsonl"
        part.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[n::3]), encoding="utf-8")
        index_documents([part], tmp_path / "three", workers=1)
    one, three = SearchEngine(tmp_path / "one"), SearchEngine(tmp_path / "three")
    try:
        readers = [e.state().searcher.raw.reader() for e in (one, three)]
        assert len(readers[0].leaf_readers()) == 1 and len(readers[1].leaf_readers()) > 1
        a, b = Vocabulary(readers[0]), Vocabulary(readers[1])
        assert a.words and a.syllables
        assert a.words == b.words and a.syllables == b.syllables
        assert b.accented_syllable("quyet") == "quyết"
    finally:
        one.close()
        three.close()


def test_the_lead_cache_under_threads_ranks_as_a_serial_run(live_index, monkeypatch):
    # Each generation keeps its articles' leads (search/leads.py); bounded to 5 here, so
    # threads evict while others read: every ranking and score is still the serial one.
    queries = QUERIES + ["đại hội đảng bộ", "phòng chống tham nhũng", "kinh te xa hoi"]
    serial = SearchEngine(live_index[0])
    expected = {q: [(h["id"], h["score"]) for h in serial.search(q, size=20, facets=False, snippets=False)["hits"]]
                for q in queries}
    serial.close()
    assert sum(len(hits) >= 3 for hits in expected.values()) >= 4, expected
    monkeypatch.setattr("search.leads.MAX_LEADS", 5)
    # The posting-list cache too is kept tiny: folded lists (summed from accented ones, for
    # "kinh te xa hoi" and the folded share of every query) are evicted while others read.
    monkeypatch.setattr("search.scoring.CACHE_BYTES", 64 * 1024)
    engine = SearchEngine(live_index[0])

    def worker(k):
        return [(q, [(h["id"], h["score"]) for h in engine.search(q, size=20, facets=False, snippets=False)["hits"]])
                for q in queries[k % len(queries):] + queries[:k % len(queries)] for _ in range(3)]

    with ThreadPoolExecutor(THREADS) as pool:
        for answers in pool.map(worker, range(THREADS * 2)):
            for q, got in answers:
                assert got == expected[q], q
    with engine._generations.use() as st:
        assert 0 < len(st.lazily("leads", lambda: None)) <= 5
    engine.close()
