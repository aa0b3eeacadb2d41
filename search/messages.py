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


def _vn_date(iso: str) -> str:
    """An ISO date as Vietnamese readers write it (``2021-06-04`` → ``04/06/2021``), as the site shows dates."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


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
     lambda m: f"Từ ngày {_vn_date(m[1])} đứng sau đến ngày {_vn_date(m[2])}: hãy đổi chỗ hai ngày."),
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
    ("index_unreadable", re.compile(r"(.+?) is unreadable \((.*)\); rebuild the index"),
     lambda m: f"Không đọc được {m[1]} ({_os_reason(m[2])}); hãy xây dựng lại chỉ mục bằng "
               "`vnsearch index --rebuild`."),
    ("index_busy", re.compile(r"another process is writing to the index (.+) \(waited (\S+) s\)"),
     lambda m: f"Một tiến trình khác đang ghi vào chỉ mục {m[1]} (đã chờ {m[2]} giây); hãy chạy lại khi "
               "nó xong, hoặc chờ lâu hơn với --wait."),
    ("disk_full", re.compile(r"the disk holding (.+?) is full(?: \((\S+) MB free\))?: (.*); free some space"),
     lambda m: f"Đĩa chứa {m[1]} đã đầy" + (f" (còn trống {m[2].replace('.', ',')} MB)" if m[2] else "")
               + f": {_kept(m[3])}; hãy giải phóng chỗ trống rồi chạy lại."),
    # click's own messages for a mistyped command line (see search/cli_click.py).
    ("bad_value", re.compile(r"^Invalid value for '([^']*)'(?: \(env var: '([^']*)'\))?: (.*)$"),
     lambda m: f"Giá trị của {m[1]}" + (f" (biến môi trường {m[2]})" if m[2] else "")
               + f" không dùng được: {_value_problem(m[3])}."),
    ("bad_value", re.compile(r"^Invalid value: (.*)$"), lambda m: f"Giá trị không dùng được: {_value_problem(m[1])}."),
    ("no_such_option", re.compile(r"^No such option '([^']*)'\.(?: \(Did you mean (?:one of: )?(.*)\?\))?$"),
     lambda m: f"Không có tùy chọn {m[1]}{_suggestions(m[2])}"),
    ("no_such_command", re.compile(r"^No such command '([^']*)'\.(?: \(Did you mean (?:one of: )?(.*)\?\))?$"),
     lambda m: f"Không có lệnh «{m[1]}»{_suggestions(m[2], '«{}»')}"),
    ("missing_argument", re.compile(r"^Missing argument '([^']*)'\.$"), lambda m: f"Thiếu đối số {m[1].rstrip('.')}."),
    ("missing_option", re.compile(r"^Missing option '([^']*)'\.$"), lambda m: f"Thiếu tùy chọn {m[1]}."),
    ("missing_value", re.compile(r"^Option '([^']*)' requires an argument\.$"),
     lambda m: f"Tùy chọn {m[1]} cần một giá trị."),
    ("unwanted_value", re.compile(r"^Option '([^']*)' does not take a value\.$"),
     lambda m: f"Tùy chọn {m[1]} không nhận giá trị."),
    ("extra_arguments", re.compile(r"^Got unexpected extra arguments? \((.*)\)$"),
     lambda m: f"Thừa đối số: {m[1]}."),
    ("missing_command", re.compile(r"^Missing command\.$"), lambda m: "Thiếu lệnh."),
]
_KEPT = [(re.compile(r"the documents were committed but the index manifest could not be updated"),
          lambda m: "các bài đã được ghi nhưng không cập nhật được tệp mô tả chỉ mục"),
         (re.compile(r"nothing was written"), lambda m: "không ghi gì cả"),
         (re.compile(r"nothing of this run was committed; the index keeps its previous (\S+) document\(s\)"),
          lambda m: f"lần chạy này không ghi được gì; chỉ mục giữ nguyên {m[1]} bài trước đó")]


def _kept(english: str) -> str:
    """What a failed run left of the index, in Vietnamese."""
    for pattern, template in _KEPT:
        if m := pattern.fullmatch(english):
            return template(m)
    return "chỉ mục trước đó không bị hư hại"



def number_text(digits: str) -> str:
    """A number written with English grouping ("20,019") as Vietnamese readers write it."""
    return digits.replace(",", ".")


def range_text(bounds: str) -> str:
    """click's range notation in words.

    >>> range_text("1<=x<=100"), range_text("x>=1"), range_text("0<x<1")
    ('từ 1 đến 100', 'từ 1 trở lên', 'lớn hơn 0 và nhỏ hơn 1')
    """
    m = re.fullmatch(r"(?:(\S+?)(<=?))?x(?:(<=?|>=?)(\S+))?", bounds)
    if not m:
        return bounds
    low, low_op, high_op, high = m.groups()
    if high_op and high_op.startswith(">"):  # "x>=1": only a lower bound
        low, low_op, high_op, high = high, high_op.replace(">", "<"), None, None
    if low and high and low_op == "<=" and high_op == "<=":
        return f"từ {low} đến {high}"
    parts = []
    if low:
        parts.append(f"từ {low} trở lên" if low_op == "<=" and not high else
                     (f"từ {low}" if low_op == "<=" else f"lớn hơn {low}"))
    if high:
        parts.append(f"đến {high}" if high_op == "<=" else f"nhỏ hơn {high}")
    return " và ".join(parts)


QUOTED = r"'([^']*)'"


def _choices(quoted: str) -> str:
    return ", ".join(re.findall(QUOTED, quoted))


# What is wrong with a value given on the command line (click's messages, then ours).
_VALUE_PROBLEMS: list[tuple[re.Pattern, object]] = [
    (re.compile(r"'?(.*?)'? is not a valid integer(?: range)?\.?"), lambda m: f"«{m[1]}» không phải là số nguyên"),
    (re.compile(r"'?(.*?)'? is not a valid float(?: range)?\.?"), lambda m: f"«{m[1]}» không phải là số"),
    (re.compile(r"(.*) is not in the range (\S+?)\.?"), lambda m: f"{m[1]} nằm ngoài khoảng {range_text(m[2])}"),
    (re.compile(r"'(.*)' is not one of (.*?)\.?"), lambda m: f"«{m[1]}» không phải một trong: {_choices(m[2])}"),
    (re.compile(r"(?:File|Directory|Path) '(.*)' does not exist\.?"), lambda m: f"không có «{m[1]}»"),
    (re.compile(r"(?:Directory|Path) '(.*)' is a file\.?"), lambda m: f"«{m[1]}» là một tệp, không phải thư mục"),
    (re.compile(r"(?:File|Path) '(.*)' is a directory\.?"), lambda m: f"«{m[1]}» là một thư mục, không phải tệp"),
    (re.compile(r"(?:File|Directory|Path) '(.*)' is not readable\.?"), lambda m: f"không đọc được «{m[1]}»"),
]


def _value_problem(english: str) -> str:
    for pattern, template in _VALUE_PROBLEMS:
        if m := pattern.fullmatch(english):
            return template(m)
    return "giá trị này không dùng được"


def _suggestions(quoted: str | None, quote: str = "{}") -> str:
    """click's "(Did you mean '--from', '--to'?)" as the end of a Vietnamese sentence."""
    if not quoted:
        return "."
    names = [quote.format(name) for name in re.findall(QUOTED, quoted)]
    return f"; có phải ý bạn là {', '.join(names[:-1]) + ' hoặc ' if names[1:] else ''}{names[-1]}?"


# Why one record of a source was skipped (``BadRecord.reason``), and why a source or an
# indexing run failed: the words of index/sources.py, index/record_checks.py and index/lifecycle.py.
_FIELD = r"'(\w+)'"
_RECORD_PROBLEMS: list[tuple[str, re.Pattern, object]] = [
    ("no_source", re.compile(r"no such file or folder"), lambda m: "không có tệp hay thư mục này"),
    ("broken_link", re.compile(r"a broken link"), lambda m: "liên kết hỏng (trỏ tới chỗ không có gì)"),
    ("unknown_source", re.compile(r"unknown kind of source \(expected a folder, \.txt, \.jsonl or \.jsonl\.gz\)"),
     lambda m: "không rõ loại nguồn (cần một thư mục, tệp .txt, .jsonl hoặc .jsonl.gz)"),
    ("empty_folder", re.compile(r"no \.txt, \.jsonl or \.jsonl\.gz files in this folder"),
     lambda m: "thư mục không có tệp .txt, .jsonl hay .jsonl.gz nào"),
    ("empty_file", re.compile(r"empty file: no records"), lambda m: "tệp rỗng: không có bản ghi nào"),
    ("empty_text", re.compile(r"empty text"), lambda m: "văn bản rỗng"),
    ("nul_bytes", re.compile(r"contains NUL bytes \(a binary file\?\)"),
     lambda m: "chứa byte NUL (tệp nhị phân?)"),
    ("too_long_document", re.compile(r"document too large \(([\d,]+) characters, limit ([\d,]+)\)"),
     lambda m: f"bài quá dài ({number_text(m[1])} ký tự; tối đa {number_text(m[2])})"),
    ("not_utf8", re.compile(r"not valid UTF-8 \(byte (\d+): (.*)\)"),
     lambda m: f"không phải văn bản UTF-8 hợp lệ (byte thứ {m[1]}: {m[2]})"),
    ("bad_file_name", re.compile(r"the file name cannot be an id: (.*)"),
     lambda m: f"tên tệp không dùng làm mã bài được: {record_problem(m[1])}"),
    ("too_large_file", re.compile(r"file too large \(([\d,]+) bytes, limit ([\d,]+)\); not read"),
     lambda m: f"tệp quá lớn ({number_text(m[1])} byte; tối đa {number_text(m[2])}); không đọc"),
    ("too_long_line", re.compile(r"line too long \(([\d,]+) bytes, limit ([\d,]+)\); not read"),
     lambda m: f"dòng quá dài ({number_text(m[1])} byte; tối đa {number_text(m[2])}); không đọc"),
    ("unreadable", re.compile(r"cannot read \((.*)\)"), lambda m: f"không đọc được ({_os_reason(m[1])})"),
    ("unreadable_rest", re.compile(r"cannot read further \((.*)\)"),
     lambda m: f"không đọc tiếp được, phần còn lại của tệp bị bỏ qua ({_os_reason(m[1])})"),
    ("gzip_bomb", re.compile(r"gzip data expands more than (\d+)x \(([\d,]+) bytes from ([\d,]+)\).*"),
     lambda m: f"dữ liệu gzip nở ra hơn {m[1]} lần ({number_text(m[2])} byte từ {number_text(m[3])}): "
               "không phải tệp văn bản xuất ra (bom giải nén?); phần còn lại của tệp không được đọc"),
    ("bad_json", re.compile(r"not valid JSON \((.*) at column (\d+)\)"),
     lambda m: f"không phải JSON hợp lệ (cột {m[2]}: {_JSON_ERRORS.get(m[1], 'sai cú pháp')})"),
    ("json_too_deep", re.compile(r"JSON nested too deeply(?: \(more than (\d+) levels\))?"),
     lambda m: "JSON lồng quá sâu" + (f" (quá {m[1]} tầng)" if m[1] else "")),
    ("not_object", re.compile(r"not a JSON object"), lambda m: "không phải một đối tượng JSON"),
    ("no_id", re.compile(r"no usable 'id'"), lambda m: "không có 'id' dùng được"),
    ("no_text", re.compile(r"no 'text' string"), lambda m: "thiếu trường 'text'"),
    ("text_not_string", re.compile(r"'text' is not a string"), lambda m: "trường 'text' không phải chuỗi"),
    ("bad_unicode", re.compile(_FIELD + r" is not valid Unicode \(lone surrogate (U\+[0-9A-F]+) at character (\d+)\)"),
     lambda m: f"trường '{m[1]}' không phải Unicode hợp lệ (nửa cặp thay thế {m[2]} ở ký tự thứ {m[3]})"),
    ("too_long_field", re.compile(_FIELD + r" too long \(([\d,]+) characters, limit ([\d,]+)\)"),
     lambda m: f"trường '{m[1]}' quá dài ({number_text(m[2])} ký tự; tối đa {number_text(m[3])})"),
    ("control_in_id", re.compile(r"'id' holds a control character \((U\+[0-9A-F]+) at character (\d+)\)"),
     lambda m: f"'id' chứa ký tự điều khiển ({m[1]} ở ký tự thứ {m[2]})"),
    ("nul_in_field", re.compile(_FIELD + r" contains a NUL character"),
     lambda m: f"trường '{m[1]}' chứa ký tự NUL"),
    ("duplicate_id", re.compile(r"id '(.*)' appears twice in this run \(kept the first, at (.*)\)"),
     lambda m: f"mã '{m[1]}' xuất hiện hai lần trong lần chạy này (giữ bản đầu, ở {m[2]})"),
    ("not_analysed", re.compile(r"could not be analysed \((.*)\)"), lambda m: f"không phân tích được ({m[1]})"),
]
_JSON_ERRORS = {"Expecting value": "thiếu giá trị", "Extra data": "thừa dữ liệu sau đối tượng",
                "Expecting ',' delimiter": "thiếu dấu phẩy",
                "Expecting property name enclosed in double quotes": "tên trường phải trong ngoặc kép",
                "Unterminated string starting at": "chuỗi chưa đóng ngoặc kép",
                "Invalid control character at": "ký tự điều khiển không hợp lệ",
                "Expecting ':' delimiter": "thiếu dấu hai chấm"}
# The operating system's reasons (``strerror``), most common first.
_OS_REASONS = {"Permission denied": "không có quyền", "No such file or directory": "không có tệp này",
               "Is a directory": "đây là thư mục", "Input/output error": "lỗi đọc ghi của đĩa",
               "No space left on device": "đĩa đầy"}


def _os_reason(english: str) -> str:
    for reason, vietnamese_reason in _OS_REASONS.items():
        if reason in english:
            return vietnamese_reason
    return english  # an unusual system error is shown as the system words it, not hidden


def record_problem(english: str) -> str:
    """Why a record or a source cannot be read, in Vietnamese (the text after ``origin:``).

    >>> record_problem("not valid JSON (Expecting value at column 1)")
    'không phải JSON hợp lệ (cột 1: thiếu giá trị)'
    >>> record_problem("'url' too long (20,019 characters, limit 10,000)")
    "trường 'url' quá dài (20.019 ký tự; tối đa 10.000)"
    """
    for _code, pattern, template in _RECORD_PROBLEMS:
        if m := pattern.fullmatch(english):
            return template(m)
    return "bản ghi không dùng được"


# When no pattern matches, the kind of error still reads as Vietnamese.
_BY_STATUS = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    404: ("not_found", "Không tìm thấy trang này. Hãy kiểm tra lại đường dẫn."),
    405: ("method_not_allowed", "Trang này không nhận phương thức yêu cầu đó."),
    413: ("too_large", "Yêu cầu quá lớn."),
    503: ("no_index", "Chưa có chỉ mục tìm kiếm; hãy chạy `vnsearch index`."),
    500: ("internal_error", "Lỗi máy chủ; chi tiết ở nhật ký của máy chủ."),
}


def translate(english: str, status: int = 400, fallback: tuple[str, str] | None = None) -> Message:
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
    code, text = fallback or _BY_STATUS.get(status, _BY_STATUS[400 if status < 500 else 500])
    return Message(code, english, text)


def vietnamese(english: str, status: int = 400, fallback: tuple[str, str] | None = None) -> str:
    """Only the Vietnamese text of a message (for pages and the command line)."""
    return translate(english, status, fallback).vietnamese
