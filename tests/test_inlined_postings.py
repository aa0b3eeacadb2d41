"""Rare terms' posting lists kept in the term table (issue 11, fewer bytes): the index holds
exactly what it held with a posting list per term, plain Whoosh reads and merges it, and it
is smaller."""
from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.qparser import QueryParser

import index.segment_builder as segment_builder
from index.schema import INDEX_NAME
from index.writer import index_documents
from search.engine import SearchEngine
from tests.conftest import write_jsonl
from tests.test_parallel_indexing import _postings_by_id, articles

RARE = {"id": "hiem", "title": "Lễ hội Kate của đồng bào Chăm ở Ninh Thuận",
        "text": "Đồng bào Chăm Ninh Thuận mừng lễ hội Kate bên tháp Pô Klong Garai."}


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def with_and_without(tmp_path_factory):
    """The same 40 articles indexed with rare posting lists inlined (the default) and without."""
    root = tmp_path_factory.mktemp("inline")
    src = write_jsonl(root / "a.jsonl", articles(40) + [RARE])
    assert segment_builder.INLINE_LIMIT >= 1
    index_documents([src], root / "inlined", workers=1, progress=False)
    limit = segment_builder.INLINE_LIMIT
    segment_builder.INLINE_LIMIT = 0
    try:
        index_documents([src], root / "blocks", workers=1, progress=False)
    finally:
        segment_builder.INLINE_LIMIT = limit
    return root / "inlined", root / "blocks"


def test_inlined_index_holds_the_same_postings_lengths_and_totals(with_and_without):
    inlined, blocks = with_and_without
    assert _postings_by_id(inlined) == _postings_by_id(blocks)


def test_only_rare_terms_of_counted_fields_are_inlined(with_and_without):
    inlined, _ = with_and_without
    ix = whoosh_index.open_dir(str(inlined), indexname=INDEX_NAME)
    with ix.reader() as r:
        assert r.term_info("body_s", "chăm").is_inlined()  # one article
        assert not r.term_info("body_s", "tỉnh").is_inlined()  # most of them
        assert not r.term_info("id", "hiem").is_inlined()  # no values: Whoosh could not merge it
    ix.close()


def test_plain_whoosh_finds_an_inlined_term_and_searches_rank_alike(with_and_without):
    inlined, blocks = with_and_without
    ix = whoosh_index.open_dir(str(inlined), indexname=INDEX_NAME)
    with ix.searcher() as s:
        hits = s.search(QueryParser("body_s", ix.schema).parse("Klong Garai"))
        assert [h["id"] for h in hits] == ["hiem"]
    ix.close()
    for query in ("lễ hội Kate", "tháp Pô Klong Garai", "nghị quyết trung ương 4", "Cần Thơ"):
        a, b = SearchEngine(inlined).search(query), SearchEngine(blocks).search(query)
        assert [(h["id"], h["score"]) for h in a["hits"]] == [(h["id"], h["score"]) for h in b["hits"]]
        assert a["total"] == b["total"] > 0


def test_inlining_makes_the_index_smaller(with_and_without):
    inlined, blocks = with_and_without
    ix = whoosh_index.open_dir(str(inlined), indexname=INDEX_NAME)
    with ix.reader() as r:
        count = sum(1 for field, term in r.all_terms() if r.term_info(field, term).is_inlined())
    ix.close()
    # A posting list of its own costs a term ~90 bytes; inlined, ~25.
    assert count > 100
    assert _size(blocks) - _size(inlined) > 40 * count


@pytest.mark.parametrize("ids, weights, values", [
    ((0,), (1.0,), (b"\x00\x00\x00\x01",)),
    ((255, 256), (2.0, 0.5), (b"\x00\x00\x00\x02", b"\x00\x00\x00\x01")),
    ((65535, 65536, 2**31 - 1), (3.0, 1.0, 7.25), (b"a", b"bc", b"\x00" * 255)),
    ((1, 2, 3, 4), (1.0, 1.0, 1.0, 1.0), (b"x", b"y", b"z", b"w")),
    ((5,), (1.0,), ()),
    (tuple(range(0, 700, 100)), (1.0,) * 7, (b"v",) * 7),  # longer than any inlined list
])
def test_inlined_postings_are_pickles_that_load_as_whoosh_wrote_them(ids, weights, values):
    """The term table's inlined postings are written without pickle's memo opcodes; loading
    them gives exactly the tuples Whoosh's ``pickle.dumps`` would hold, in fewer bytes."""
    import pickle

    whoosh_wrote = pickle.dumps((ids, weights, values), 3)
    ours = segment_builder._pickled(ids, weights, values)
    assert pickle.loads(ours) == pickle.loads(whoosh_wrote) == (ids, weights, values)
    assert [type(x) for part in pickle.loads(ours) for x in part] == [type(x) for part in (ids, weights, values) for x in part]
    assert len(ours) <= len(whoosh_wrote) - (5 if len(ids) <= 4 else 0)
    if len(ids) == 1:  # half of all terms take the short path
        assert segment_builder._pickled_one(ids[0], weights[0], values[0] if values else b"") == ours


@pytest.mark.parametrize("n, weight, same, compression", [
    (5, 1, False, 3), (128, 1, False, 3), (129, 3, False, 3), (1000, 2, False, 3), (300, 1.5, False, 3),
    (200, 1, True, 3), (140, 2, True, 3), (129, 1, False, 0),
])
def test_counted_posting_lists_are_written_as_whooshs_block_writer_writes_them(n, weight, same, compression):
    """The writer's direct path for counted fields gives the very bytes (postings and term
    info) of Whoosh's own W3 postings writer fed the same postings one by one."""
    import io

    from whoosh.filedb.structfile import StructFile
    from whoosh.formats import Frequency

    ids = [3 * i + (i % 7) for i in range(n)]
    freqs = [1] * n if same else [1 + (i * 13) % 5 if i % 3 else 1 for i in range(n)]  # same: one weight a block
    weights = [f * weight for f in freqs] if weight != 1 else freqs
    lengths = [10 + (i * 31) % 400 for i in range(n)]

    def written(direct: bool) -> tuple[bytes, bytes]:
        from whoosh.codec.whoosh3 import W3PostingsWriter, W3TermInfo
        from whoosh.system import pack_uint

        out = StructFile(io.BytesIO())
        if direct:
            pw = segment_builder._BlockPostingsWriter(out, blocklimit=128, compression=compression)
            info = pw._counted_blocks(ids, weights, freqs, lengths)
        else:
            pw = W3PostingsWriter(out, blocklimit=128, compression=compression)
            pw.start_postings(Frequency(), W3TermInfo())
            for i in range(n):
                pw.add_posting(ids[i], weights[i], pack_uint(freqs[i]), lengths[i])  # Frequency's value
            info = pw.finish_postings().to_bytes()
        return out.file.getvalue(), info

    assert written(True) == written(False)
