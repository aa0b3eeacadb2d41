"""Party documents and terms as articles cite them: codes, lists, other bodies' congresses.

Short sentences in the style of the labelled articles; each test is one kind of mistake that
the extraction used to make on unseen articles.
"""
from __future__ import annotations

import pytest

from index.extract import equivalent_resolutions, extract_article


def _facets(body: str, title: str = "Hội nghị quán triệt nghị quyết của Đảng") -> dict:
    return extract_article(f"{title}\n\n{body}")


def test_department_suffix_and_en_dash_in_a_code():
    info = _facets("Đồng chí Đỗ Đức Duy được điều động theo Quyết định số 439 – QĐNS/TW "
                   "ngày 6/2/2017 của Ban Bí thư.")
    assert info["resolutions"] == ["Quyết định 439-QĐNS/TW"]


def test_number_without_code_takes_the_code_written_elsewhere():
    info = _facets("Ban Bí thư ban hành Quyết định 439-QĐNS/TW. Thực hiện Quyết định số 439 "
                   "của Ban Bí thư, Tỉnh ủy tổ chức hội nghị công bố.")
    assert info["resolutions"] == ["Quyết định 439-QĐNS/TW"]


def test_plan_of_the_politburo_is_a_party_document():
    info = _facets("Hội nghị đánh giá việc thực hiện Kế hoạch 28 của Bộ Chính trị và "
                   "Quyết định 593 của Thủ tướng Chính phủ.")
    assert info["resolutions"] == ["Kế hoạch 28-KH/TW"]


def test_swapped_separators_party_code_but_not_government_code():
    info = _facets("Các đại biểu nhắc lại Nghị quyết số 05/NQ-TW, Hội nghị Trung ương 4 (khóa XII) "
                   "và Nghị quyết 35/NQ-CP của Chính phủ.")
    assert set(info["resolutions"]) == {"Nghị quyết 05-NQ/TW", "Nghị quyết Trung ương 4 khóa XII"}


def test_list_of_plenums_shares_the_term():
    info = _facets("Toàn Đảng đang tích cực triển khai thực hiện Nghị quyết Trung ương 4 và "
                   "Trung ương 5 khóa XII về xây dựng, chỉnh đốn Đảng.")
    assert info["resolutions"] == ["Nghị quyết Trung ương 4 khóa XII", "Nghị quyết Trung ương 5 khóa XII"]
    unrelated = _facets("Sau Nghị quyết Trung ương 4, 5 năm qua tỉnh đã có nhiều chuyển biến.")
    assert unrelated["resolutions"] == ["Nghị quyết Trung ương 4"]


def test_plenum_written_with_bch_and_abbreviated_central_committee():
    info = _facets("Triển khai thực hiện có hiệu quả Nghị quyết Hội nghị lần thứ tư Ban Chấp hành "
                   "T.Ư Đảng (Khóa XII) về xây dựng, chỉnh đốn Đảng.")
    assert info["resolutions"] == ["Nghị quyết Trung ương 4 khóa XII"]
    assert info["terms"] == ["XII"]


def test_foreign_party_congress_is_not_a_cpv_term():
    info = _facets("Hai bên đánh giá kết quả triển khai Nghị quyết Đại hội lần thứ X của Đảng Nhân dân "
                   "Cách mạng Lào và Nghị quyết Đại hội XII của Đảng Cộng sản Việt Nam.")
    assert info["terms"] == ["XII"]
    assert info["resolutions"] == ["Nghị quyết Đại hội XII"]


def test_mass_organisation_congress_is_not_a_party_term():
    info = _facets("Đại hội lần thứ IX của Hội Nông dân tỉnh diễn ra trong hai ngày.")
    assert info["terms"] == [] and info["resolutions"] == []


def test_congress_number_in_arabic_digits_when_it_is_the_partys():
    info = _facets("Năm 2006 là năm diễn ra Đại hội Toàn quốc lần thứ 10 của Đảng.")
    assert info["terms"] == ["X"]
    assert _facets("Đại hội lần thứ 3 của câu lạc bộ thơ diễn ra sáng nay.")["terms"] == []


# --- dates -------------------------------------------------------------------------------
def test_document_issue_date_is_not_the_news_date():
    info = _facets("Văn phòng Chính phủ quán triệt Kết luận số 01-KL/TW ngày 4/4/2016 của Bộ Chính trị "
                   "về công tác rà soát văn bản.")
    assert info["date"] is None
    city = _facets("Thực hiện Chỉ thị 02/2006/CT-UBND ngày 16-1-2006 của UBND TP, các quận ra quân.")
    assert city["date"] is None


def test_year_in_the_event_name_dates_the_lead():
    info = _facets("Sáng 10/6, Lễ tuyên dương điển hình tiên tiến toàn quốc năm 2017 đã được tổ chức "
                   "trọng thể tại Thủ đô Hà Nội.", title="Tuyên dương điển hình tiên tiến toàn quốc")
    assert info["date"] == "2017-06-10"


def test_year_of_a_period_or_clause_under_discussion_does_not_date_the_lead():
    for body in (
        "Ngày 29/6, Ban Chỉ đạo tổ chức hội nghị sơ kết 6 tháng đầu năm và triển khai nhiệm vụ "
        "6 tháng cuối năm 2017.",
        "Sáng 12/6, Quốc hội thảo luận tại hội trường về quyết toán ngân sách nhà nước năm 2015.",
        "Phát biểu tại cuộc gặp mặt vào tối 24-1, Bộ trưởng đánh giá, năm 2005 VN đã có bước tiến dài.",
    ):
        assert _facets(body, title="Hội nghị sơ kết công tác sáu tháng")["date"] is None, body


def test_text_date_after_the_urls_publication_date_is_dropped():
    given = {"title": "Hội nghị tổng kết công tác", "url": "https://dantri.com.vn/xa-hoi/hoi-nghi-20210430052106251.htm"}
    assert extract_article("Sáng 28/4/2021, Bộ Công an tổ chức hội nghị.", given)["date"] == "2021-04-28"
    assert extract_article("Sáng 28/5/2021, Bộ Công an sẽ tổ chức hội nghị.", given)["date"] is None


# --- twins: a plenum's resolution and its number ----------------------------------------
TWINS = [
    ("Nghị quyết Trung ương 3 khóa VIII", "Nghị quyết 03-NQ/HNTW", "VIII"),
    ("Nghị quyết Trung ương 5 khóa VIII", "Nghị quyết 03-NQ/TW", "VIII"),
    ("Nghị quyết Trung ương 3 khóa X", "Nghị quyết 04-NQ/TW", "X"),
    ("Nghị quyết Trung ương 7 khóa X", "Nghị quyết 26-NQ/TW", "X"),
    ("Nghị quyết Trung ương 4 khóa XI", "Nghị quyết 12-NQ/TW", "XI"),
    ("Nghị quyết Trung ương 9 khóa XI", "Nghị quyết 33-NQ/TW", "XI"),
    ("Nghị quyết Trung ương 4 khóa XII", "Nghị quyết 04-NQ/TW", "XII"),
    ("Nghị quyết Trung ương 8 khóa XII", "Nghị quyết 36-NQ/TW", "XII"),
]


@pytest.mark.parametrize("plenum, code, term", TWINS)
def test_plenum_and_its_numbered_resolution_are_twins(plenum, code, term):
    assert equivalent_resolutions(plenum) == {plenum, code}
    assert plenum in equivalent_resolutions(code, [term])


def test_reused_number_finds_the_plenum_of_the_articles_term():
    assert equivalent_resolutions("Nghị quyết 04-NQ/TW", ["X"]) == {
        "Nghị quyết 04-NQ/TW", "Nghị quyết Trung ương 3 khóa X"}
    # 12-NQ/TW of khóa XII is the TW5 resolution on state firms, not TW4 khóa XI's.
    assert equivalent_resolutions("Nghị quyết 12-NQ/TW", ["XII"]) == {"Nghị quyết 12-NQ/TW"}


def test_plenum_resolution_with_its_number_in_an_article():
    info = _facets("Thực hiện Nghị quyết số 33-NQ/TW ngày 9/6/2014 Hội nghị lần thứ chín Ban Chấp hành "
                   "Trung ương Đảng (khóa XI) về xây dựng và phát triển văn hóa, con người Việt Nam.")
    assert set(info["resolutions"]) == {"Nghị quyết 33-NQ/TW", "Nghị quyết Trung ương 9 khóa XI"}
    assert info["terms"] == ["XI"]


# --- values that cannot be right ----------------------------------------------------------
def test_term_elected_after_the_article_is_not_a_party_term():
    given = {"title": "Hội nghị học tập nghị quyết", "date": "2017-05-20"}
    info = extract_article("Cán bộ học tập Nghị quyết Trung ương 4 khóa XII; đại biểu khóa XIV "
                           "phát biểu ý kiến.", given)
    assert info["terms"] == ["XII"]
    assert info["resolutions"] == ["Nghị quyết Trung ương 4 khóa XII"]
    run_up = extract_article("Tỉnh chuẩn bị nhân sự tiến tới Đại hội XIII của Đảng.",
                             {"title": "Chuẩn bị đại hội", "date": "2019-10-02"})
    assert run_up["terms"] == ["XIII"]


def test_recalled_date_before_the_web_era_is_not_the_news_date():
    info = _facets("Ngày 19/5/1947, Bác Hồ về thăm Việt Bắc. Hôm nay, tỉnh tổ chức lễ kỷ niệm.")
    assert info["date"] is None
    spelled = _facets("Hà Nội, ngày 2 tháng 9 năm 1945\n\nBản Tuyên ngôn độc lập được đọc lại.")
    assert spelled["date"] is None


def test_deadlines_and_effective_dates_are_not_the_news_date():
    for body in ("Các bộ, ngành bảo đảm sau ngày 1/7/2018, Luật Tiếp cận thông tin được thực hiện thống nhất.",
                 "Có hiệu lực từ ngày 10/02/2017, Thông tư mới sửa đổi quy định về thuế.",
                 "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015, UBND tỉnh quyết định."):
        assert _facets(body, title="Triển khai luật mới trong năm nay")["date"] is None, body
    event = _facets("Ngày 12/6/2017, Tỉnh ủy tổ chức hội nghị tại hội trường tỉnh.",
                    title="Hội nghị quán triệt nghị quyết")
    assert event["date"] == "2017-06-12"
    recalled = _facets("Cô gái mới 18 tuổi khi mất tích vào ngày 7.6.2011 trong lúc đi làm.",
                       title="Tìm thấy cô gái mất tích")
    assert recalled["date"] is None


def test_khoa_without_any_party_context_is_not_a_term():
    for body in ("Tổng số 960 ứng viên, trong đó khóa 1 là 150 người, khóa 2 là 180 người.",
                 "Nhiệm kỳ khóa XIV, Quốc hội Việt Nam đẩy mạnh ngoại giao nghị viện.",
                 "Kỳ họp thứ 3 quốc hội khóa 14 vừa qua đã thành công tốt đẹp.",
                 "Đại hội đã bầu Ban Chấp hành khóa III gồm 25 người. Tân Chủ tịch Hội phát biểu.",
                 "Ông tham gia sửa chữa bộ luật này từ khóa XIII, trong đó có tôi."):
        assert _facets(body, title="Tin tức trong ngày hôm nay")["terms"] == [], body
    party = _facets("Ông là Ủy viên Ban Chấp hành Trung ương Đảng các khóa III, IV; đại biểu Quốc hội khóa V.",
                    title="Tiểu sử đồng chí lãnh đạo")
    assert party["terms"] == ["III", "IV"]


def test_court_stories_recount_the_offence_date():
    info = _facets("Theo cáo trạng, tối 22/10/2016, do mâu thuẫn trong làm ăn, bị cáo đã đánh anh H. "
                   "Sáng 20/6, TAND tỉnh đưa vụ án ra xét xử.", title="Xét xử vụ đánh người gây thương tích")
    assert info["date"] is None


def test_a_later_day_in_the_story_makes_the_lead_date_a_recalled_one():
    info = _facets("Ngày 11/7/1995, lãnh đạo Việt Nam và Hoa Kỳ tuyên bố bình thường hóa quan hệ. "
                   "Ngày 10/7/2017, Đại sứ quán tổ chức lễ kỷ niệm 22 năm.",
                   title="Kỷ niệm 22 năm bình thường hóa quan hệ")
    assert info["date"] is None


def test_topic_year_in_the_lead_sentence_does_not_date_it():
    info = _facets("Ngày 27/6, Hội đồng tiền lương quốc gia họp phiên thứ nhất bàn về mức lương tối thiểu "
                   "vùng năm 2018.", title="Bàn mức lương tối thiểu vùng")
    assert info["date"] is None
    deadline = _facets("Các đơn vị bảo đảm mốc thời gian hoàn thành vào ngày 30/4/2018 để theo dõi tiến độ.",
                       title="Đẩy nhanh tiến độ dự án")
    assert deadline["date"] is None


def test_a_day_of_last_year_is_recalled():
    info = _facets("Tối 20/10 năm trước, anh muốn tạo bất ngờ cho vợ. Hóa đơn ghi ngày 20/10/2016.",
                   title="Chuyện những người chồng")
    assert info["date"] is None
