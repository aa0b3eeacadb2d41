"""Near-duplicates (issue 12 item 5): the same story twice is one hit with "n bài tương tự"."""
from __future__ import annotations

import re

import pytest
from conftest import write_jsonl
from web_conftest_helpers import real_sentences

from search.engine import engine_for
from web.app import create_app

TITLE = "Công bố 3 Nghị quyết của Ủy ban Thường vụ Quốc hội"
QUERY = "công bố nghị quyết"


def duplicate_records() -> list[dict]:
    """One story three times (one republished with old tone marks and a changed word), one
    other story under the same title, and stories of other titles."""
    s = real_sentences()
    lead = f"Sáng 12/6, Văn phòng Chủ tịch nước tổ chức họp báo công bố 3 nghị quyết. {s[0]} {s[1]} {s[4]}"
    return [
        {"id": "story-1", "title": TITLE, "text": lead + "\n\n" + s[2], "date": "2021-06-12", "source": "baomoi.com"},
        {"id": "story-2", "title": TITLE.replace("Ủy", "Uỷ"), "text": lead.replace("Sáng", "Chiều") + "\n\n" + s[3],
         "date": "2021-06-12", "source": "dantri.com.vn"},
        {"id": "story-3", "title": TITLE.upper(), "text": lead, "date": "2021-06-13", "source": "vnexpress.net"},
        {"id": "other-same-title", "title": TITLE,
         "text": f"Công bố nghị quyết về thành lập thị xã mới. {s[5]} {s[6]} {s[7]}", "date": "2021-07-01"},
        *({"id": f"else-{i}", "title": f"Tỉnh ủy công bố nghị quyết về công tác cán bộ (kỳ {i})",
           "text": f"Công bố nghị quyết của Tỉnh ủy. {s[8 + i]} {s[12 + i]}", "date": f"2021-0{i + 1}-02"}
          for i in range(3)),
    ]


@pytest.fixture(scope="module")
def dup_index(tmp_path_factory):
    from index.writer import index_documents

    root = tmp_path_factory.mktemp("dups")
    report = index_documents([write_jsonl(root / "dups.jsonl", duplicate_records())], root / "index", workers=1)
    assert report.added == 7
    return root / "index"


def test_the_same_story_is_one_hit_and_another_story_under_its_title_is_not(dup_index):
    r = engine_for(dup_index).search(QUERY, size=10, collapse=True)
    assert r["total"] == 7  # the count is of articles
    by_id = {h["id"]: h for h in r["hits"]}
    stories = [h for h in r["hits"] if h["id"].startswith("story-")]
    assert len(stories) == 1
    assert sorted(d["id"] for d in stories[0]["duplicates"]) == sorted({"story-1", "story-2", "story-3"} - {stories[0]["id"]})
    assert by_id["other-same-title"]["duplicates"] == []
    assert len(r["hits"]) == 5 and all(not h["duplicates"] for h in r["hits"] if h is not stories[0])


def test_without_collapse_every_hit_is_listed(dup_index):
    r = engine_for(dup_index).search(QUERY, size=10)
    assert len(r["hits"]) == 7 and "duplicates" not in r["hits"][0]


def test_the_page_shows_n_similar_articles_expandable_without_javascript(dup_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(dup_index)}).test_client()
    html = client.get("/", query_string={"q": QUERY}).get_data(as_text=True)
    assert html.count("<details class=\"duplicates\">") == 1
    assert "<summary>2 bài tương tự</summary>" in html
    assert len(re.findall(r'<li class="hit">', html)) == 5
