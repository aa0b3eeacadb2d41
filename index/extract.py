"""Article understanding: title, date, source, clean body and facets of one news article.

The indexer calls :func:`extract_article` on every document, so everything here is
regular expressions compiled once (about a millisecond per article, no tokenizer).
"""
from __future__ import annotations

import re

from index.gazetteer import find_provinces, new_province
from index.normalize import normalize_text
from index.trace import Why, note
from index.page_layout import (
    _NUMERIC_DATE_RE,
    _SPELLED_DATE_RE,
    given_date,
    iso_date,
    source_from_url,
    split_page,
)
from index.party_documents import (
    equivalent_resolutions,
    find_resolutions,
    find_plenum_resolutions,
    find_terms,
    implied_terms,
    plausible_for_year,
    plenums_cited_by_name,
)

__all__ = ["extract_article", "equivalent_resolutions"]

# The event of a news story is told in its lead: "Sáng 17/5, ...", "Ngày 12-6-2017, ...".
_LEAD_DAY_RE = re.compile(
    r"(?<!\w)(?:[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm|[Nn]gày)(?:\s+nay)?(?:\s+ngày)?\s+"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*((?:19|20)\d\d))?(?![\d/.-]\d)"
)
# The year of a lead's "Sáng 10/6" may stand in the same sentence, but only as the year of
# the event itself: closing the sentence ("hội nghị lần thứ hai, năm 2017.") or in the name
# of the ceremony or meeting ("Lễ tuyên dương ... toàn quốc năm 2017").  Any other year there
# is the topic's ("lương tối thiểu vùng năm 2018", "6 tháng cuối năm 2017", "năm 2005 VN đã
# có ...").
_SENTENCE_YEAR_RE = re.compile(
    r",\s*năm\s+((?:19|20)\d\d)\s*(?:[.;,]|$)"
    r"|(?<!\w)(?:[Ll]ễ|[Hh]ội nghị|[Hh]ội thảo|[Hh]ội thi|[Ll]iên hoan|[Dd]iễn đàn|[Cc]uộc thi|[Kk]ỳ thi|"
    r"[Tt]uyên dương)(?!\w)(?:[\s,]+[\w-]+){0,10}?[\s,]+(?<!cuối )(?<!đầu )(?<!giữa )(?<!tháng )"
    r"năm\s+((?:19|20)\d\d)(?!\d)"
)
# Court and police stories recount the offence: "Theo cáo trạng, tối 22/10/2016, ...".
_RECOUNT_BEFORE_RE = re.compile(
    r"[Tt]heo (?:cáo trạng|bản án|hồ sơ|kết luận điều tra|nội dung vụ án|tài liệu điều tra)[^.]{0,40}$"
    r"|[Tt]ại tòa,?\s*$"
)
# "Kết luận số 01-KL/TW ngày 4/4/2016", "Chỉ thị 02/2006/CT-UBND ngày 16-1-2006": the date
# a document was issued, not the news.
_DOCUMENT_BEFORE_RE = re.compile(r"(?:\d+\s*[-–/]\s*[\w/-]*[A-ZĐ][\w/-]*|số\s+\d+\w*)\s*,?\s*$")
_URL_DATE_RE = re.compile(r"-((?:19|20)\d\d)(\d\d)(\d\d)\d{6,}\.html?")
# A lower-case "ngày 1/7/2018" inside a sentence is a deadline, a law's or a document's
# date ("bảo đảm sau ngày 1/7/2018", "Luật ... ngày 19/6/2015"); the news day is "vào ngày".
_REFERENCE_DAY_RE = re.compile(r"ngày")
_NEWS_DAY_BEFORE_RE = re.compile(r"(?:(?<!\w)(?:vào|hôm|trong)\s*|(?:^|[.!?:\n–-])\s*)$")
# "Tối 20/10 năm trước": a day of an earlier year, whatever year the text gives it.
_PAST_YEAR_AFTER_RE = re.compile(r"\s*(?:năm|hồi)\s+(?:trước|ngoái|đó|ấy|kia)(?!\w)")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:\n–-])\s*$")
_LEAD_CHARS = 400
_FIRST_NEWS_YEAR = 1995


def _lead_sentence(text: str, pos: int) -> str:
    end = text.find(". ", pos)
    return text[pos:end if end != -1 else len(text)]


def date_from_text(lead: str, text: str, why: Why = None) -> str | None:
    """Publication date from the story's lead, only when day, month and year are all known.

    >>> date_from_text("Sáng 17/5, tại Hà Nội, hội nghị lần thứ hai, năm 2017. ", "")
    '2017-05-17'
    >>> date_from_text("Chiều 19/5, họp báo.", "Kỷ niệm (1890 - 2017)")
    >>> date_from_text("", "Ngày 12-6-2017, Quốc hội họp phiên toàn thể.")
    '2017-06-12'
    """
    for part in (lead, text):
        # News dates are recent: an opener such as "Ngày 20/5/1947, Bác Hồ..." is history.
        m = next((x for x in _LEAD_DAY_RE.finditer(part[:_LEAD_CHARS])
                  if (not x.group(3) or int(x.group(3)) >= _FIRST_NEWS_YEAR)
                  and not _DOCUMENT_BEFORE_RE.search(part, max(0, x.start() - 40), x.start())
                  and not _RECOUNT_BEFORE_RE.search(part, max(0, x.start() - 60), x.start())
                  and not _FORWARD_BEFORE_RE.search(part, max(0, x.start() - 20), x.start())
                  and not (_REFERENCE_DAY_RE.match(part, x.start())
                           and not _NEWS_DAY_BEFORE_RE.search(part, max(0, x.start() - 12), x.start()))
                  # A day written with its year inside a sentence ("mất tích vào ngày 7.6.2011",
                  # "ký trong ngày 20/7/2015") is background; the news opens its sentence.
                  and not (x.group(3) and not _SENTENCE_START_RE.search(part, max(0, x.start() - 12), x.start()))
                  and not _PAST_YEAR_AFTER_RE.match(part, x.end())),
                 None)
        if not m:
            continue
        day, month, year = m.groups()
        if year:
            note(why, "date", iso_date(day, month, year) or "", "lead date with year", part, m.start(), m.end())
            return iso_date(day, month, year)
        # The year may be stated beside it, or by the same day written in full elsewhere
        # ("tối 19/5" ... "19/5/2017"), or by a dated URL quoted in the text.
        y = _SENTENCE_YEAR_RE.search(_lead_sentence(part, m.start()))
        year = y and (y.group(1) or y.group(2))
        if year and int(year) >= _FIRST_NEWS_YEAR:
            note(why, "date", iso_date(day, month, year) or "", "lead day + the event's year in its sentence",
                 part, m.start(), m.end())
            return iso_date(day, month, year)
        full_years = [
            fm.group(3) for src in (lead, text) for fm in _NUMERIC_DATE_RE.finditer(src)
            if int(fm.group(1)) == int(day) and int(fm.group(2)) == int(month)
        ]
        full_years += [
            um.group(1) for src in (lead, text) for um in _URL_DATE_RE.finditer(src)
            if int(um.group(3)) == int(day) and int(um.group(2)) == int(month)
        ]
        if full_years:
            note(why, "date", iso_date(day, month, max(full_years)) or "",
                 f"lead day, year from the same day written in full ({sorted(full_years)})",
                 part, m.start(), m.end())
            return iso_date(day, month, max(full_years))
        return None
    both = (lead + "\n" + text)[:_LEAD_CHARS]
    m = next((x for x in _SPELLED_DATE_RE.finditer(both)
              if not _FORWARD_BEFORE_RE.search(both, max(0, x.start() - 20), x.start())), None)
    if m:
        note(why, "date", iso_date(*m.groups()) or "", "spelled date near the top", both, m.start(), m.end())
    return iso_date(*m.groups()) if m else None


_FORWARD_BEFORE_RE = re.compile(
    r"(?<!\w)(?:đến|tới|trước|sau|từ|hạn|hết|dự kiến|kể từ|hoàn thành vào)(?:\s+ngày)?\s*$", re.IGNORECASE)


# A day ahead of the news, told by its kind: when a law or rule takes effect ("có hiệu lực thi
# hành ngày 1/7/2018", "áp dụng từ ngày"), a deadline ("chậm nhất ngày") or a plan ("dự kiến
# khởi công vào ngày", "sẽ tổ chức ngày").  These words may stand a few words before the day.
_FORWARD_KIND_BEFORE_RE = re.compile(
    r"(?<!\w)(?:hiệu lực|thi hành|áp dụng|dự kiến|kế hoạch|sẽ|chậm nhất|muộn nhất|thời hạn|hạn chót)"
    r"(?:\s+\w+){0,4}?\s*$",
    re.IGNORECASE,
)


def _forward_looking(text: str, start: int) -> bool:
    """Whether the full day at ``start`` is a start, deadline, effective date or plan."""
    return bool(_FORWARD_BEFORE_RE.search(text, max(0, start - 20), start)
                or _FORWARD_KIND_BEFORE_RE.search(text, max(0, start - 50), start))


def _latest_concrete_year(text: str) -> int:
    """The latest year of a full day written in the text that is not ahead of the news (a
    start, a deadline, an effective date or a plan: "đến ngày 30/4/2018", "có hiệu lực thi
    hành ngày 1/7/2018"): the article is at least that recent.  A story told on 27/12/2017
    routinely names the day its law takes effect in 2018; that day must not discard it."""
    years = [int(m.group(3)) for m in _NUMERIC_DATE_RE.finditer(text) if not _forward_looking(text, m.start())]
    return max(years, default=0)


def _plausible_news_date(date: str | None, url: str | None, why: Why = None) -> str | None:
    """A date read from the page, unless it cannot be the news date: before the web era or
    after the page was published (by its URL).

    >>> _plausible_news_date("1947-05-20", None), _plausible_news_date("2017-05-20", None)
    (None, '2017-05-20')
    """
    if not date:
        return None
    published = _published_by_url(url)
    if int(date[:4]) < _FIRST_NEWS_YEAR or (published and date > published):
        note(why, "date", date, f"dropped: before {_FIRST_NEWS_YEAR} or after publication {published}")
        return None
    return date


def _published_by_url(url: str | None) -> str | None:
    """The publication date some sites write into their URLs ("...-20210430052106251.htm").

    >>> _published_by_url("https://dantri.com.vn/xa-hoi/bo-cong-an-20210430052106251.htm")
    '2021-04-30'
    """
    m = _URL_DATE_RE.search(url or "")
    return iso_date(m.group(3), m.group(2), m.group(1)) if m else None


def extract_article(text: str, given: dict | None = None, why: Why = None) -> dict:
    """Title, date, source, body and facets of one article; ``given`` fields win when non-empty.

    >>> info = extract_article("Tỉnh ủy Long An học tập Nghị quyết TW 4 khóa 12\\n\\nNgày 10/5, Tỉnh ủy Long An tổ chức hội nghị quán triệt Chỉ thị 05 của Bộ Chính trị.")
    >>> info["title"], info["provinces"], info["provinces_new"], info["terms"]
    ('Tỉnh ủy Long An học tập Nghị quyết TW 4 khóa 12', ['Long An'], ['Tây Ninh'], ['XII'])
    >>> info["resolutions"]
    ['Nghị quyết Trung ương 4 khóa XII', 'Chỉ thị 05-CT/TW']
    """
    has_title = isinstance((given or {}).get("title"), str)
    given = {k: v for k, v in (given or {}).items() if v}
    page = split_page(text or "")
    # A record that gives a title (even an empty one) gives its text as the article body:
    # no headline line to find, and a guessed first line would be ranked as a title.
    if has_title:
        title, body = given.get("title") or "", (text or "").strip()
    else:
        title, body = page["title"], page["body"]
    sapo = given.get("sapo", "")
    source = given.get("source") or page["source"] or source_from_url(given.get("url"))
    n_title, n_sapo, n_body = normalize_text(title), normalize_text(sapo), normalize_text(body)
    date = given_date(given.get("date"))
    if date:
        note(why, "date", date, "the record's given date")
    else:
        date = page["date"]
        note(why, "date", date or "", "dateline line")
        date = _plausible_news_date(date or date_from_text(n_sapo, n_body, why), given.get("url"), why)
        latest = _latest_concrete_year(n_sapo + "\n" + n_body)
        if date and not page["date"] and int(date[:4]) < latest:
            # "Ngày 11/7/1995, lãnh đạo Việt Nam ..." in a story that reports a later day:
            # the lead recalls history, the news is later.
            note(why, "date", date, f"dropped: the text reports a later day (year {latest})")
            date = None
    everything = "\n".join(x for x in (n_title, n_sapo, n_body) if x)
    terms = find_terms(everything, why, article=True)
    plenums = find_plenum_resolutions(everything, why)  # one scan for the tags and the citations
    resolutions = find_resolutions(everything, terms, why, plenums)
    for t in implied_terms(resolutions):
        if t not in terms:
            terms.append(t)
            note(why, "terms", t, "implied by a resolution's term")
    if date:
        terms, resolutions = plausible_for_year(terms, resolutions, int(date[:4]))
    provinces = find_provinces(n_title, n_sapo, n_body, source, why)
    provinces_new = list(dict.fromkeys(new_province(p) for p in provinces))
    return {
        "title": title, "date": date, "source": source, "body": body,
        "provinces": provinces, "provinces_new": provinces_new,
        "terms": terms, "resolutions": resolutions,
        # Of those, the plenum resolutions the text writes by name (searches rank them first).
        "cited": [v for v in plenums_cited_by_name(everything, terms, plenums) if v in resolutions],
    }

