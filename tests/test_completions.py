"""Completions as the user types (issue 12 item 8): from the index, with and without accents."""
from __future__ import annotations

import pytest

from web.app import create_app


@pytest.fixture
def client(sample_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(sample_index)}).test_client()


def texts(client, q):
    r = client.get("/api/suggest", query_string={"q": q})
    assert r.status_code == 200, r.get_data(as_text=True)
    return [s["text"] for s in r.get_json()["suggestions"]]


def test_resolution_names_provinces_and_terms_come_from_the_index(client):
    assert texts(client, "nghị quyết trung ương 4")[:2] == ["Nghị quyết Trung ương 4 khóa XII",
                                                            "Nghị quyết Trung ương 4 khóa XI"]
    assert texts(client, "long")[0] == "Long An"
    assert texts(client, "khóa x")[:3] == ["khóa XII", "khóa XI", "khóa XIII"]


def test_with_or_without_accents_the_same_names(client):
    assert texts(client, "nghi quyet trung uong 4") == texts(client, "nghị quyết trung ương 4")
    assert texts(client, "can tho")[0] == "Cần Thơ"
    assert "sinh hoạt" in texts(client, "sinh hoat")  # a frequent word of the articles


def test_a_name_is_found_from_a_later_word_and_the_last_word_is_completed(client):
    assert "Nghị quyết Trung ương 4 khóa XII" in texts(client, "trung uong 4")
    # The words already typed stay; the last one is completed.
    assert texts(client, "học tập tỉnh ủy long")[0] == "học tập tỉnh ủy Long An"
    assert texts(client, "hoc tap tinh uy long")[0] == "hoc tap tinh uy long an"  # one way of typing
    # Cut as documents are, not on spaces: the word after a comma is completed too.
    assert texts(client, "học tập,long")[0] == "học tập, Long An"


def test_each_suggestion_says_what_it_is_and_how_many_articles_carry_it(client):
    data = client.get("/api/suggest", query_string={"q": "long"}).get_json()
    first = data["suggestions"][0]
    assert first == {"text": "Long An", "completion": "Long An", "kind": "province", "count": 1}


@pytest.mark.parametrize("q", ["", "n", "xyzxyz", "\"", "((("])
def test_nothing_to_complete_is_an_empty_list(client, q):
    assert texts(client, q) == []


def test_a_pasted_essay_is_a_400(client):
    r = client.get("/api/suggest", query_string={"q": "a" * 201})
    assert r.status_code == 400 and r.get_json()["code"] == "query_too_long"
