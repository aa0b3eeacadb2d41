"""Vietnamese wording and a stable code for every message a user can see.

The facade and the validators raise ``QueryError`` with an English message (the JSON API
keeps it for scripts and logs); the pages and the command line show the Vietnamese one.
One catalogue here, matched by pattern, so the modules that raise errors stay as they are
and an unmatched message still reads as Vietnamese (the generic line of its kind), never
as English.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from search.facets import FACET_LABELS

# Parameter names as a Vietnamese reader knows them.
PARAMETERS = {"page": "trang", "size": "số kết quả mỗi trang", "limit": "giới hạn", "sort": "sắp xếp",
              "date_from": "từ ngày", "date_to": "đến ngày"}
SORT_LABELS = "relevance (liên quan nhất) hoặc date (mới nhất)"


@dataclass(frozen=True)
class Message:
    """One message: a stable machine code, the English text and the Vietnamese text."""

    code: str
    english: str
    vietnamese: str


def _facet(name: str) -> str:
    return FACET_LABELS.get(name, name)


def _param(name: str) -> str:
    return PARAMETERS.get(name, name)


# (code, pattern over the English message, Vietnamese template from the match groups)
_CATALOGUE: list[tuple[str, re.Pattern, object]] = [
    ("query_too_long", re.compile(r"the query is too long \((\d+) characters; at most (\d+)\)"),
     lambda m: f"Câu tìm kiếm quá dài ({m[1]} ký tự; tối đa {m[2]} ký tự)."),
    ("no_words", re.compile(r"the query holds no word to search for"),
     lambda m: "Câu tìm kiếm không có từ nào để tìm: hãy gõ ít nhất một từ."),
    ("unknown_facet", re.compile(r"unknown facet '([^']*)'"),
     lambda m: f"Không có bộ lọc «{m[1]}»; các bộ lọc là: {', '.join(FACET_LABELS.values())}."),
    ("too_many_values", re.compile(r"too many values for facet '([^']*)' \((\d+); at most (\d+)\)"),
     lambda m: f"Quá nhiều giá trị cho bộ lọc {_facet(m[1])} ({m[2]}; tối đa {m[3]})."),
    ("too_many_page_filters", re.compile(r"too many filter values for a page \((\d+); at most (\d+)\)"),
     lambda m: f"Trang có quá nhiều bộ lọc ({m[1]}; tối đa {m[2]}): hãy bỏ bớt bộ lọc, "
               "hoặc dùng /api/search."),
    ("unknown_sort", re.compile(r"unknown sort '([^']*)'"),
     lambda m: f"Không có cách sắp xếp «{m[1]}»; hãy chọn {SORT_LABELS}."),
    ("bad_number", re.compile(r"(\w+) must be a whole number from (\d+) to (\d+)(?: \(got (.*)\))?"),
     lambda m: f"Tham số «{_param(m[1])}» phải là số nguyên từ {m[2]} đến {m[3]}"
               + (f" (nhận được {m[4]})." if m[4] else ".")),
    ("unknown_format", re.compile(r"unknown format '([^']*)'"),
     lambda m: f"Không có định dạng «{m[1]}»; hãy chọn csv hoặc json."),
    ("bad_date", re.compile(r"(date_from|date_to) must be a date written YYYY-MM-DD \(got (.*)\)"),
     lambda m: f"«{_param(m[1]).capitalize()}» phải là một ngày dạng năm-tháng-ngày, ví dụ 2021-06-04 "
               f"(nhận được {m[2]})."),
    ("date_order", re.compile(r"date_from \((\S+)\) is after date_to \((\S+)\)"),
     lambda m: f"Từ ngày {m[1]} đứng sau đến ngày {m[2]}: hãy đổi chỗ hai ngày."),
    ("no_such_value", re.compile(r"no article has (\w+) = '(.*)'"),
     lambda m: f"Không có bài nào có {_facet(m[1]).lower()} «{m[2]}»."),
    ("no_document", re.compile(r"no document with id '(.*)'"),
     lambda m: f"Không có bài viết mã «{m[1]}»."),
    ("no_index", re.compile(r"no index at (.+?); build one"),
     lambda m: f"Chưa có chỉ mục tại {m[1]}; hãy xây dựng bằng lệnh `vnsearch index`."),
    ("not_vnsearch_index", re.compile(r"(.+?) has no \S+: it was not built by vnsearch"),
     lambda m: f"{m[1]} không phải chỉ mục của vnsearch; hãy xây dựng lại bằng "
               f"`vnsearch index --rebuild --index {m[1]}`."),
    ("index_version", re.compile(r"(.+?) was built with analyzer '([^']*)'.*this vnsearch uses '([^']*)'"),
     lambda m: f"Chỉ mục {m[1]} được xây dựng bằng bộ phân tích {m[2]}, phiên bản này dùng {m[3]}; "
               f"hãy xây dựng lại bằng `vnsearch index --rebuild --index {m[1]} NGUỒN…`."),
]

# When no pattern matches, the kind of error still reads as Vietnamese.
_BY_STATUS = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    404: ("not_found", "Không tìm thấy trang này. Hãy kiểm tra lại đường dẫn."),
    405: ("method_not_allowed", "Trang này không nhận phương thức yêu cầu đó."),
    413: ("too_large", "Yêu cầu quá lớn."),
    503: ("no_index", "Chưa có chỉ mục tìm kiếm; hãy chạy `vnsearch index`."),
    500: ("internal_error", "Lỗi máy chủ; chi tiết ở nhật ký của máy chủ."),
}


def translate(english: str, status: int = 400) -> Message:
    """The code and Vietnamese text of an English message (a generic one if it is unknown).

    >>> translate("page must be a whole number from 1 to 1000 (got 'abc')").vietnamese
    "Tham số «trang» phải là số nguyên từ 1 đến 1000 (nhận được 'abc')."
    >>> translate("the query holds no word to search for").code
    'no_words'
    >>> translate("something nobody wrote down", 404).vietnamese
    'Không tìm thấy trang này. Hãy kiểm tra lại đường dẫn.'
    """
    for code, pattern, template in _CATALOGUE:
        match = pattern.search(english)
        if match:
            return Message(code, english, template(match))
    code, text = _BY_STATUS.get(status, _BY_STATUS[400 if status < 500 else 500])
    return Message(code, english, text)


def vietnamese(english: str, status: int = 400) -> str:
    """Only the Vietnamese text of a message (for pages and the command line)."""
    return translate(english, status).vietnamese
