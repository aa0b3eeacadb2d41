"""Article understanding: what a user sees in titles, dates and facet filters."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from index.extract import equivalent_resolutions, extract_article

SAMPLE = Path(__file__).resolve().parents[1] / "index" / "sample"


def _seed(stem: str) -> dict:
    return extract_article((SAMPLE / f"{stem}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "stem, title",
    [
        ("000_562f6c42e6354e86", "Đồng Tháp sơ kết thực hiện Nghị quyết Trung ương 4 (khóa XII)"),
        ("001_214fb6d23e10b690", "Chuyển biến tích cực trong thực hiện Nghị quyết Trung ương 4"),
        ("002_0e83560fbb577f55",
         "TPCT sơ kết việc thực hiện kiểm điểm, tự phê bình và phê bình theo NQ TW4 (Khóa XI)"),
        ("003_1662b94e697a07bc",
         "Tổ chức tốt đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng và hệ thống chính trị"),
        ("004_c84e101a906d71df",
         "Bí thư Tỉnh ủy Long An - Phạm Văn Rạnh: Cần chọn khâu đột phá, khâu khó, "
         "tạo chuyển biến trong xây dựng Đảng"),
    ],
)
def test_seed_titles_skip_site_chrome(stem, title):
    assert _seed(stem)["title"] == title


def test_seed_dateline_source_and_clean_body():
    info = _seed("001_214fb6d23e10b690")
    assert info["date"] == "2021-06-04"  # "04/06/2021 05:07 CH" is day/month
    assert info["source"] == "baolamdong.vn"
    assert "Lượt xem" not in info["body"] and "In trang" not in info["body"]
    assert info["body"].startswith("Là tổ chức đảng cấp trên")
    assert "\n" in info["body"]  # paragraphs kept


def test_seed_photo_credit_is_not_the_source_and_tail_is_cut():
    info = _seed("000_562f6c42e6354e86")
    assert info["source"] is None  # "(Ảnh: dongthap.gov.vn)" is a credit
    assert info["date"] is None
    assert "Phản hồi" not in info["body"] and "Các tin khác" not in info["body"]


def test_seed_comment_form_and_visitor_counter_removed():
    assert "Captcha" not in _seed("002_0e83560fbb577f55")["body"]
    body = _seed("003_1662b94e697a07bc")["body"]
    assert "khách" not in body.split("\n")[0] and "Số lần xem" not in body
    assert "31406519" not in body


def test_seed_long_an_with_thanh_hoa_district_is_not_thanh_hoa():
    info = _seed("004_c84e101a906d71df")
    assert info["provinces"] == ["Long An"]
    assert info["provinces_new"] == ["Tây Ninh"]
    assert "Thanh Hóa" not in info["provinces"]
    assert info["date"] == "2019-05-10"
    assert set(info["resolutions"]) == {
        "Nghị quyết Trung ương 4 khóa XII", "Chỉ thị 05-CT/TW", "Đề án 02-ĐA/TU"}


def test_abbreviations_name_the_province():
    assert _seed("002_0e83560fbb577f55")["provinces"] == ["Cần Thơ"]  # TPCT
    assert _seed("003_1662b94e697a07bc")["provinces"] == ["An Giang"]  # (TUAG)
    info = extract_article("TPCT triển khai nghị quyết\n\nChiều 3/4, lãnh đạo TPCT làm việc với các sở.")
    assert info["provinces"] == ["Cần Thơ"]


def test_seed_plenum_resolutions_with_terms_and_pass():
    info = _seed("003_1662b94e697a07bc")
    assert "Nghị quyết Trung ương 6 (lần 2) khóa VIII" in info["resolutions"]
    assert {"Nghị quyết Trung ương 4 khóa XI", "Nghị quyết Trung ương 4 khóa XII",
            "Kết luận 21-KL/TW"} <= set(info["resolutions"])
    assert set(info["terms"]) == {"VII", "VIII", "XI", "XII", "XIII"}


def test_spoken_party_documents_get_their_codes():
    info = extract_article(
        "Đảng ủy học tập chuyên đề năm nay\n\nCác chi bộ thực hiện Chỉ thị 05 của Bộ Chính trị, "
        "Hướng dẫn số 34 của Ban Tuyên giáo Trung ương và Chương trình hành động số 31 của Tỉnh ủy."
    )
    assert info["resolutions"] == ["Chỉ thị 05-CT/TW", "Hướng dẫn 34-HD/BTGTW", "Chương trình 31-CTr/TU"]


def test_government_documents_and_laws_are_not_resolutions():
    info = extract_article(
        "Triển khai nghị định mới về đất đai\n\nTheo Nghị định 43/2014/NĐ-CP, Quyết định "
        "số 12/2020/QĐ-TTg, Nghị quyết 35/NQ-CP của Chính phủ và Luật số 100/2015/QH13."
    )
    assert info["resolutions"] == []
    assert info["terms"] == []  # "QH13" is a law number, not a term


def test_arabic_term_and_other_bodies_terms():
    info = extract_article("Hội nghị học tập nghị quyết khóa 12\n\nCán bộ học tập Nghị quyết TW 4 khóa 12.")
    assert info["terms"] == ["XII"]
    assert info["resolutions"] == ["Nghị quyết Trung ương 4 khóa XII"]
    other = extract_article(
        "Kỳ họp thứ 3 Quốc hội khóa XIV sẽ tăng thời gian chất vấn\n\nĐại biểu HĐND tỉnh khóa IX "
        "và ĐBQH khóa 14 tham gia hoạt động ngoại khóa về khoáng sản."
    )
    assert other["terms"] == [] and other["resolutions"] == []


def test_person_and_ideology_names_are_not_provinces():
    info = extract_article(
        "Học tập và làm theo tư tưởng Hồ Chí Minh\n\nPhó Thủ tướng Trương Hòa Bình nói về tư tưởng "
        "Hồ Chí Minh trên xa lộ Hà Nội."
    )
    assert info["provinces"] == []


def test_jsonl_record_given_fields_win():
    info = extract_article(
        "Sáng 16-6, Phó Bí thư Thành ủy TP.HCM dẫn đầu đoàn cán bộ TP đến thăm gia đình ông.",
        {"title": "Lãnh đạo TP.HCM tưởng nhớ ông Phạm Văn Chiêu", "sapo": "(16-6-1907 – 16-6-2017).",
         "url": "http://www.baomoi.com/a/c/22547822.epi", "source": ""},
    )
    assert info["title"] == "Lãnh đạo TP.HCM tưởng nhớ ông Phạm Văn Chiêu"
    assert info["source"] == "baomoi.com"
    assert info["provinces"] == ["Hồ Chí Minh"]
    assert info["date"] == "2017-06-16"
    assert info["body"].startswith("Sáng 16-6")


def test_date_needs_day_month_and_year():
    assert extract_article("Họp báo về kỳ họp\n\nChiều 19/5, Văn phòng Quốc hội họp báo.")["date"] is None
    spelled = extract_article("Thông báo kết quả hội nghị\n\nHà Nội, ngày 4 tháng 6 năm 2021")
    assert spelled["date"] == "2021-06-04"


@pytest.mark.parametrize("later", [
    "Luật có hiệu lực thi hành ngày 1/7/2018.",
    "Luật có hiệu lực ngày 1/7/2018.",
    "Dự án dự kiến khởi công vào ngày 2/1/2018.",
    "Các tỉnh báo cáo chậm nhất ngày 15/1/2018.",
])
def test_a_later_day_ahead_of_the_news_keeps_the_dated_lead(later):
    # An effective date, deadline or plan is ahead of the news: it is not a later news day.
    text = f"Công bố Luật Thủy lợi vừa được Quốc hội thông qua\n\nSáng 27/12/2017, tại Hà Nội, Văn phòng Chủ tịch nước họp báo công bố luật. {later}"
    assert extract_article(text)["date"] == "2017-12-27"


def test_a_later_day_that_is_news_still_replaces_a_recalled_lead():
    text = "Kỷ niệm ngày thành lập\n\nNgày 11/7/1995, hai nước thiết lập quan hệ. Ngày 10/7/2018, hai bên gặp mặt."
    assert extract_article(text)["date"] is None


@pytest.mark.parametrize("text", ["", "   \n\n", "Phản hồi\n\nCác tin khác\n\nChia sẻ bài viết",
                                  "Tiếng Việt | English\nTruy cập hiện tại\nLượt xem: 10"])
def test_empty_or_boilerplate_only_gives_empty_result(text):
    info = extract_article(text)
    assert info["title"] == "" and info["body"] == ""
    assert info["provinces"] == info["terms"] == info["resolutions"] == []
    assert info["date"] is None and info["source"] is None


def test_page_without_title_line_uses_first_sentence_and_keeps_text():
    text = ("Chiều ngày 14/12, Thành ủy Cần Thơ tổ chức hội nghị sơ kết việc thực hiện Nghị quyết "
            "Trung ương 4 (khóa XI) với sự tham dự của lãnh đạo các sở, ban, ngành thành phố và các "
            "quận, huyện cùng nhiều đại biểu khác đến từ cơ sở. Hội nghị đánh giá kết quả.")
    info = extract_article(text)
    assert info["title"].startswith("Chiều ngày 14/12, Thành ủy Cần Thơ")
    assert info["body"] == text
    assert info["provinces"] == ["Cần Thơ"]


def test_nfd_text_is_matched_like_nfc():
    nfc = (SAMPLE / "004_c84e101a906d71df.txt").read_text(encoding="utf-8")
    info = extract_article(unicodedata.normalize("NFD", nfc))
    assert info["provinces"] == ["Long An"]
    assert "Nghị quyết Trung ương 4 khóa XII" in info["resolutions"]
    assert unicodedata.normalize("NFC", info["title"]).startswith("Bí thư Tỉnh ủy Long An")


def test_all_caps_headline_and_old_tone_style():
    info = extract_article("TỈNH UỶ AN GIANG QUÁN TRIỆT NGHỊ QUYẾT\n\nTỉnh uỷ An Giang quán triệt "
                           "Nghị quyết Trung ương 4 khoá XII đến cán bộ chủ chốt của tỉnh An Giang.")
    assert info["title"] == "TỈNH UỶ AN GIANG QUÁN TRIỆT NGHỊ QUYẾT"
    assert info["provinces"] == ["An Giang"]
    assert info["terms"] == ["XII"]


def test_equivalent_resolutions_both_ways():
    pair = {"Nghị quyết Trung ương 4 khóa XII", "Nghị quyết 04-NQ/TW"}
    assert equivalent_resolutions("Nghị quyết Trung ương 4 khóa XII") == pair
    assert equivalent_resolutions("Nghị quyết 04-NQ/TW", ["XII"]) == pair
    assert equivalent_resolutions("Chỉ thị 05-CT/TW") == {"Chỉ thị 05-CT/TW"}
