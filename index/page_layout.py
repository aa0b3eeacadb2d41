"""Title, dateline, publishing site and body of a scraped news page (site chrome removed)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# Whole lines that are site chrome wherever they appear.
_CHROME_LINE_RE = re.compile(
    r"^(?:Tiếng Việt\s*\|\s*English|English\s*\|\s*Tiếng Việt|Truy cập hiện tại|"
    r"Đang có \d+ khách.*|Đang truy cập.*|Trang chủ|In trang|In bài|Bản in|Chia sẻ|"
    r"Lượt xem:?\s*[\d.,]*|Số lượt (?:xem|truy cập).*|Lượt truy cập.*|Tổng (?:số )?lượt truy cập.*|"
    r"Đã xem:?\s*[\d.,]*|Hôm nay:?\s*[\d.,]*|Tháng này:?\s*[\d.,]*|Trực tuyến:?\s*[\d.,]*|"
    r"Cỡ chữ.*|Font.*|Gửi bài viết.*|Gửi cho bạn bè|Bản để in|Quay lại|Về đầu trang|Xem thêm|"
    r"[\d.,\s]+)$",
    re.IGNORECASE,
)
# Lines after which the rest of the page is comments, related links or counters.
_TAIL_MARKER_RE = re.compile(
    r"^(?:Phản hồi|Các tin khác|Tin khác|Tin liên quan|Bài liên quan|Các bài (?:viết )?khác|"
    r"Bạn cũng có thể thích|Có thể bạn quan tâm|Để lại một trả lời|Để lại bình luận|Bình luận|"
    r"Ý kiến bạn đọc|Gửi ý kiến|Chia sẻ bài viết|Số lần xem.*|Lượt xem.*|Tin mới hơn|Tin cũ hơn|"
    r"Captcha.*|Địa chỉ email của bạn.*)\s*:?$",
    re.IGNORECASE,
)
_TRAILING_BUTTON_RE = re.compile(r"\s+(?:In trang|In bài|Bản in|Gửi bài|Chia sẻ)\s*$", re.IGNORECASE)
_DOMAIN_RE = re.compile(r"(?<![\w@/.-])((?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov\.vn|info))(?![\w.-])",
                        re.IGNORECASE)
_SOURCE_LINE_RE = re.compile(
    rf"^(?:(?:Nguồn|Theo)\s*:?\s*)?{_DOMAIN_RE.pattern}\s*$", re.IGNORECASE
)
# Datelines: numeric ("04/06/2021 05:07 CH", "10/05/2019 - 14:18") or spelled out.
_NUMERIC_DATE = r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d\d)(?!\d)"
_SPELLED_DATE = r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)"
_NUMERIC_DATE_RE = re.compile(_NUMERIC_DATE)
_SPELLED_DATE_RE = re.compile(_SPELLED_DATE, re.IGNORECASE)
_DATELINE_RE = re.compile(
    rf"^(?:(?:Thứ\s+\w+|Chủ nhật|Cập nhật|Ngày đăng|Đăng ngày|Ngày)\s*[:,]?\s*)?"
    rf"(?:{_NUMERIC_DATE}|{_SPELLED_DATE})"
    rf"(?:\s*[-|,]?\s*\d{{1,2}}[:hg]\d{{2}}(?:[:]\d{{2}})?\s*(?:SA|CH|AM|PM|GMT\+?7?)?)?"
    rf"(?:\s*\(GMT\+7\))?\s*$",
    re.IGNORECASE,
)


def iso_date(day: str, month: str, year: str) -> str | None:
    """An ISO date from day, month and year strings; None when impossible.

    >>> iso_date("4", "6", "2021"), iso_date("31", "2", "2021")
    ('2021-06-04', None)
    """
    import datetime

    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def dateline(line: str) -> str | None:
    """The ISO date of a line that is only a date (and time), else None.

    >>> dateline("04/06/2021 05:07 CH"), dateline("10/05/2019 - 14:18")
    ('2021-06-04', '2019-05-10')
    >>> dateline("Ngày 10/5, Tỉnh ủy Long An tổ chức")
    """
    m = _DATELINE_RE.match(line.strip())
    if not m:
        return None
    g = [x for x in m.groups() if x is not None]
    return iso_date(g[0], g[1], g[2])


def _words(line: str) -> int:
    return len(line.split())


def _is_chrome(line: str) -> bool:
    # Pages use no-break spaces between words ("154\xa0khách"); compare on single spaces.
    return bool(_CHROME_LINE_RE.match(" ".join(line.split())))


def source_from_url(url: str | None) -> str | None:
    """The site of a URL, without "www.".

    >>> source_from_url("http://www.baomoi.com/a/c/22321779.epi")
    'baomoi.com'
    """
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.removeprefix("www.") or None


def split_page(text: str) -> dict:
    """Split raw page text into title, dateline date, footer source and body lines.

    >>> p = split_page("Tiếng Việt | English\\n\\n10/05/2019 - 14:18\\n\\nTiêu đề bài báo rất hay\\n\\nNội dung.\\n\\nChia sẻ bài viết")
    >>> p["title"], p["date"], p["body"]
    ('Tiêu đề bài báo rất hay', '2019-05-10', 'Nội dung.')
    """
    lines = text.splitlines()
    # Cut the tail (comments, related links, counters) at the first marker after the text
    # has begun, then the run of short navigation lines just before it.
    cut = len(lines)
    seen_text = False
    for i, line in enumerate(lines):
        s = line.strip()
        if seen_text and _TAIL_MARKER_RE.match(s):
            cut = i
            break
        if _words(s) >= 5 and not _is_chrome(s):
            seen_text = True
    kept = lines[:cut]
    source = None
    date = None
    out: list[str] = []
    for line in kept:
        s = line.strip()
        if not s:
            out.append("")
            continue
        if _SOURCE_LINE_RE.match(s):
            source = source or _SOURCE_LINE_RE.match(s).group(1).lower()
            continue
        d = dateline(s)
        if d:
            date = date or d
            continue
        if _is_chrome(s) or _TAIL_MARKER_RE.match(s):
            continue  # a marker above the text is a menu item
        out.append(line.rstrip())
    # A trailing run of two or more short lines without sentence punctuation is sidebar
    # navigation ("Tiến tới đại hội đảng", "Giải phóng miền Nam"); a single one is a byline.
    tail = len(out)
    while tail and not out[tail - 1].strip():
        tail -= 1
    run = tail
    while run and out[run - 1].strip() and _words(out[run - 1]) <= 7 and not out[run - 1].rstrip().endswith((".", "!", "?", "”", '"')):
        run -= 1
    if tail - run >= 2:
        out = out[:run]
    # Title: the first line that reads like a headline (not a section name, not a paragraph).
    title = ""
    title_idx = None
    nonblank = [(i, s.strip()) for i, s in enumerate(out) if s.strip()]
    for i, s in nonblank[:8]:
        s2 = _TRAILING_BUTTON_RE.sub("", s)
        if 5 <= _words(s2) <= 40:
            title, title_idx = s2, i
            break
    if title_idx is None and nonblank:
        i, s = nonblank[0]
        if _words(s) <= 40:
            title, title_idx = _TRAILING_BUTTON_RE.sub("", s), i
        else:
            # A page without a title line: use its first sentence, keep the paragraph.
            m = re.match(r"(.{20,200}?[.!?])(?:\s|$)", s)
            title = m.group(1) if m else " ".join(s.split()[:20])
    if title_idx is not None:
        # Section names and similar stubs above the headline are chrome as well.
        out = out[title_idx + 1:]
    body = "\n".join(out).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    return {"title": title.strip(), "date": date, "source": source, "body": body}


_GIVEN_DATE_RE = re.compile(r"\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}))(?:[ T].*)?\s*$")


def given_date(value: str | None) -> str | None:
    """A record's own date as ISO ("2020-10-01", "2020-10-01T16:35", "01/10/2020"), else None.

    >>> given_date("2020-10-01 16:35"), given_date("4/6/2021"), given_date("hôm qua")
    ('2020-10-01', '2021-06-04', None)
    """
    m = _GIVEN_DATE_RE.match(value or "")
    if not m:
        return None
    y, mo, d, d2, mo2, y2 = m.groups()
    return iso_date(d or d2, mo or mo2, y or y2)
