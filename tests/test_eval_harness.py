"""The relevance harness (bench/eval.py): metrics checked on hand-made runs whose values are
computed by hand, and the harness's skip when ../shared is absent.  Needs no /work/shared."""
from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(BENCH))


relevance = _load("relevance")


# A hand-made benchmark: four documents, three queries, one relevant document each.
CORPUS = [
    ("d1", "nghị quyết trung ương 4 khóa XII về xây dựng đảng"),
    ("d2", "sinh hoạt chi bộ ở long an"),
    ("d3", "phòng chống dịch covid tại cần thơ"),
    ("d4", "hội nghị ban chấp hành đảng bộ tỉnh long an"),
]
QRELS = {"q1": {"d1": 1}, "q2": {"d2": 1}, "q3": {"d3": 1}}


def test_reciprocal_rank_by_hand():
    assert relevance.reciprocal_rank(["d1", "d2"], {"d1": 1}) == 1.0
    assert relevance.reciprocal_rank(["d4", "d2"], {"d2": 1}) == 0.5
    assert relevance.reciprocal_rank(["x", "y", "d3"], {"d3": 1}) == pytest.approx(1 / 3)
    assert relevance.reciprocal_rank(["x"] * 10 + ["d3"], {"d3": 1}) == 0.0  # rank 11 is outside @10
    assert relevance.reciprocal_rank([], {"d3": 1}) == 0.0


def test_mrr_half_and_one():
    # Every query finds its document first: MRR 1.0.
    perfect = {"q1": ["d1", "d4"], "q2": ["d2"], "q3": ["d3", "d1"]}
    assert relevance.evaluate(perfect, QRELS)["mrr"] == 1.0
    # Ranks 1, 2 and not found: (1 + 1/2 + 0) / 3 = 0.5.
    half = {"q1": ["d1"], "q2": ["d4", "d2"], "q3": ["d1", "d2"]}
    m = relevance.evaluate(half, QRELS)
    assert m["mrr"] == pytest.approx(0.5)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["ndcg"] == pytest.approx((1 + 1 / math.log2(3) + 0) / 3)
    assert m["queries"] == 3
    # A query missing from the run counts as 0.
    assert relevance.evaluate({"q1": ["d1"]}, QRELS)["mrr"] == pytest.approx(1 / 3)


def test_recall_and_ndcg_with_several_relevant():
    rel = {"a": 1, "b": 1}
    assert relevance.recall(["a", "x"], rel) == 0.5
    assert relevance.ndcg(["a", "b"], rel) == pytest.approx(1.0)
    assert relevance.ndcg(["x", "a", "b"], rel) == pytest.approx(
        (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))


def test_plain_bm25_baseline_ranks_hand_made_corpus():
    bm25 = relevance.PlainBM25(CORPUS)
    run = {"q1": bm25.search("nghị quyết khóa XII"), "q2": bm25.search("sinh hoạt chi bộ"),
           "q3": bm25.search("dịch covid")}
    assert relevance.evaluate(run, QRELS)["mrr"] == 1.0
    assert bm25.search("long an")[:2] == ["d2", "d4"]  # the shorter document first (b = 0.75)
    assert bm25.search("không có từ này") == []
    # Without diacritics the plain baseline finds nothing: what the folded fields are for.
    assert bm25.search("nghi quyet") == []


def test_read_qrels_and_queries(tmp_path):
    (tmp_path / "qrels.dev.tsv").write_text("q1\td1\t1\nq2\td2\t0\nbad line\n", encoding="utf-8")
    assert relevance.read_qrels(tmp_path / "qrels.dev.tsv") == {"q1": {"d1": 1}, "q2": {"d2": 0}}
    (tmp_path / "q.jsonl").write_text('{"id": "q1", "text": "nghị quyết"}\n\n', encoding="utf-8")
    assert list(relevance.read_jsonl(tmp_path / "q.jsonl")) == [{"id": "q1", "text": "nghị quyết"}]


def test_harness_skips_without_shared(tmp_path, capsys):
    harness = _load("eval")
    assert harness.main(["--shared", str(tmp_path / "absent")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_harness_end_to_end_on_a_tiny_benchmark(tmp_path, capsys):
    """A hand-made benchmark in the ../shared layout, run through the real indexer and engine."""
    import json

    bench = tmp_path / "shared" / "eval" / "vicov19qa"
    bench.mkdir(parents=True)
    with (bench / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for doc_id, text in CORPUS:
            fh.write(json.dumps({"id": doc_id, "title": "", "text": text}, ensure_ascii=False) + "\n")
    with (bench / "queries.dev.jsonl").open("w", encoding="utf-8") as fh:
        for qid, text in [("q1", "nghị quyết trung ương 4"), ("q2", "sinh hoạt chi bộ"), ("q3", "phòng chống dịch")]:
            fh.write(json.dumps({"id": qid, "text": text}, ensure_ascii=False) + "\n")
    (bench / "qrels.dev.tsv").write_text("".join(f"{q}\t{d}\t1\n" for q, r in QRELS.items() for d in r))
    harness = _load("eval")
    out_json = tmp_path / "out.json"
    assert harness.main(["--shared", str(tmp_path / "shared"), "--bench", "vicov19qa", "--var", str(tmp_path / "var"),
                         "--workers", "1", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "MRR@10" in out and "bm25-syllables" in out
    rows = {(r["system"], r["no_diacritics"]): r for r in json.loads(out_json.read_text())[0]["rows"]}
    assert rows[("vnsearch", False)]["mrr"] == 1.0
    assert rows[("vnsearch", True)]["mrr"] == 1.0  # diacritic-free queries find the same documents
    assert rows[("bm25-syllables", False)]["mrr"] == 1.0


# -- "did you mean" and query expansions on the bundled sample -----------------------------
def test_suggestion_restores_diacritics_from_the_index(sample_engine):
    from search.suggest import suggest

    searcher = sample_engine.state().searcher
    # Written as the articles write it ("Nghị quyết Trung ương 4"): "Trung" capitalised.
    assert suggest("nghi quyet trung uong", searcher) == "nghị quyết Trung ương"
    assert suggest("nghị quyết", searcher) is None  # nothing to improve
    assert suggest("nghi quyet trung uogn", searcher) == "nghị quyết Trung ương"  # one edit away


def test_search_returns_a_suggestion_only_when_little_is_found(sample_engine):
    assert sample_engine.search("nghị quyết trung ương 4", facets=False)["suggestion"] is None
    result = sample_engine.search("nghi quyet trung uogn xyzw", facets=False)
    assert result["suggestion"] and result["suggestion"].lower().startswith("nghị quyết trung ương")


def test_abbreviations_and_term_numbers_expand():
    from search.query import parse_query

    concepts = parse_query("NQ TW4 khóa 12").concepts
    assert [[a.syllables for a in c] for c in concepts] == [
        [["nq"], ["nghị", "quyết"]], [["tw"], ["trung", "ương"]], [["4"]], [["khóa"]], [["12"], ["xii"]]]
    assert [a.syllables for a in parse_query("khoá XII").concepts[1]] == [["xii"], ["12"]]
    assert len(parse_query("tu").concepts[0]) == 1  # "tu" is a syllable; only "TU" means tỉnh ủy
    assert [a.syllables for a in parse_query("TU").concepts[0]][1] == ["tỉnh", "ủy"]


def test_expansions_keep_behaviours(sample_engine):
    ids = lambda q: {h["id"] for h in sample_engine.search(q, size=20, facets=False, snippets=False)["hits"]}
    assert ids("khoá XII") == ids("khóa XII") == ids("khóa 12")
    assert ids("NQ TW 4") == ids("nghị quyết trung ương 4")


def test_typed_benchmark_on_a_tiny_corpus(tmp_path, capsys):
    """The typed-query benchmark (bench/typed.py) in the ../shared layout: titles blanked,
    sapo + text indexed, P@10 and flood computed from the real engine's answers."""
    import gzip
    import json

    shared = tmp_path / "shared"
    (shared / "corpora").mkdir(parents=True)
    docs = [
        {"id": "a1", "title": "Chống tham nhũng", "sapo": "Tỉnh ủy họp.", "text": "Công tác phòng chống tham nhũng."},
        {"id": "a2", "title": "Tham nhũng", "sapo": "", "text": "Xử lý nghiêm tham nhũng, tiêu cực."},
        {"id": "a3", "title": "", "sapo": "Lặng thầm", "text": "Những chiến công thầm lặng."},
    ]
    with gzip.open(shared / "corpora" / "baomoi35k.jsonl.gz", "wt", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    typed = shared / "eval" / "typed"
    typed.mkdir(parents=True)
    queries = [{"id": "p0-accented", "text": "tham nhũng", "kind": "phrase", "form": "accented"},
               {"id": "p0-unaccented", "text": "tham nhung", "kind": "phrase", "form": "unaccented"}]
    (typed / "queries.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries))
    lines = "".join(f"{q['id']}\t{d}\t1\n" for q in queries for d in ("a1", "a2"))
    (typed / "qrels.tsv").write_text(lines)
    (typed / "andsets.tsv").write_text(lines)
    harness = _load("typed")
    out_json = tmp_path / "typed.json"
    assert harness.main(["--shared", str(shared), "--var", str(tmp_path / "var"), "--workers", "1",
                         "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "P@10" in out and "flood" in out
    res = json.loads(out_json.read_text())
    rows = {r["id"]: r for r in res["rows"]}
    # The corpus as the benchmark defines it: a title is never indexed, the sapo is.
    assert rows["p0-accented"]["p10"] == 1.0 and rows["p0-accented"]["andset"] == 2
    assert rows["p0-accented"]["flood"] == rows["p0-accented"]["total"] / 2
    assert res["summary"]["p10"]["phrase/accented"] == 1.0
