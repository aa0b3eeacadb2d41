"""Provinces an article is about, on short sentences in the style of the labelled articles.

Each test is one kind of slip seen on unseen articles: an affiliation or a list taken for the
subject, a venue in the capital, a place hidden behind "thành phố", a round-up's paragraphs.
"""
from __future__ import annotations

from index.extract import extract_article


def _provinces(body: str, title: str = "Hội nghị sơ kết công tác sáu tháng đầu năm") -> list[str]:
    return extract_article(f"{title}\n\n{body}")["provinces"]


def test_city_named_after_thanh_pho_is_a_place_not_a_street():
    given = {"title": "Ban Chỉ đạo Tây Nam bộ đẩy mạnh công tác liên kết vùng",
             "sapo": "Ngày 29/6, tại thành phố Cần Thơ, Ban Chỉ đạo Tây Nam bộ tổ chức hội nghị sơ kết."}
    info = extract_article("Phó Thủ tướng phát biểu tại hội nghị, đề nghị các địa phương liên kết.", given)
    assert info["provinces"] == ["Cần Thơ"]


def test_deputies_delegations_and_bar_are_affiliations():
    body = ("Thảo luận tại tổ, đại biểu Ngô Minh Châu (Đoàn Thành phố Hồ Chí Minh) nhất trí với dự thảo. "
            "Đại biểu Trương Trọng Nghĩa (Đoàn Thành phố Hồ Chí Minh) và đại biểu Hoàng Thanh Tùng "
            "(Sóc Trăng) cho rằng cần sửa luật. Đại biểu Quốc hội tỉnh Sóc Trăng Nguyễn Đức Kiên đồng tình. "
            "Luật sư Nguyễn Kiều Hưng (Đoàn luật sư TP.HCM) cũng nêu ý kiến.")
    assert _provinces(body, title="Quốc hội thảo luận dự án luật các tổ chức tín dụng") == []


def test_bracketed_province_after_a_district_is_the_place():
    body = ("Vụ việc xảy ra hôm 3/2 tại xã Châu Lộc, huyện Quỳ Hợp (Nghệ An), khi một nhóm thanh niên "
            "bị Công an huyện Quỳ Hợp gọi lên làm việc.")
    assert _provinces(body, title="Thanh niên bị gọi lên làm việc vì đăng bài") == ["Nghệ An"]


def test_national_meeting_in_the_capital_is_not_hanoi_news():
    body = ("Chiều 29/4, tại Hà Nội, Bộ Công an tổ chức Hội nghị giao ban trực tuyến toàn quốc về "
            "cấp căn cước công dân.")
    assert _provinces(body, title=body) == []
    local = "Sáng 3/5, UBND TP Hà Nội tổ chức hội nghị về cấp căn cước công dân cho người dân thủ đô."
    assert _provinces(local) == ["Hà Nội"]


def test_provinces_listed_as_examples_are_not_the_subject():
    body = ("Tỉnh An Giang vừa đấu giá mỏ cát. Các mỏ titan phân bố trên địa bàn các tỉnh Quảng Nam, "
            "Quảng Trị, Thừa Thiên Huế; nhiều địa phương như Bình Thuận, Ninh Thuận, Quảng Nam đã kêu "
            "gọi đầu tư. Tỉnh ủy An Giang yêu cầu rà soát lại phiên đấu giá.")
    assert _provinces(body, title="Đấu giá mỏ cát ở tỉnh An Giang") == ["An Giang"]


def test_round_up_paragraphs_each_name_their_province():
    body = ("Nhân kỷ niệm ngày 30/4, UBND TP Hà Nội tổ chức gắn biển công trình, Thành ủy Hà Nội dâng "
            "hương, lãnh đạo TP Hà Nội gặp mặt cựu chiến binh.\n\nTại Khánh Hòa, các vị lãnh đạo tỉnh "
            "đã đến thăm quần đảo Trường Sa.\n\nTại Điện Biên, ngày 29.4, lãnh đạo tỉnh tổ chức lễ "
            "kỷ niệm.")
    assert set(_provinces(body, title="Cả nước kỷ niệm ngày giải phóng miền Nam")) == {
        "Hà Nội", "Khánh Hòa", "Điện Biên"}


def test_meeting_a_constituencys_voters_is_that_provinces_news():
    body = ("Sáng 13/5, Tổng Bí thư cùng các đại biểu Quốc hội thuộc đơn vị bầu cử số 1 TP. Hà Nội đã "
            "tiếp xúc cử tri các quận Ba Đình, Tây Hồ. Ông Đinh La Thăng, nguyên Bí thư Thành ủy TP Hồ Chí "
            "Minh, bị kỷ luật.")
    assert _provinces(body, title="Tổng Bí thư tiếp xúc cử tri trước kỳ họp") == ["Hà Nội"]
