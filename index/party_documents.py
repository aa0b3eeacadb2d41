"""Party Central Committee terms and Party documents cited in an article.

Works on ``normalize_text()`` output, so "khoá"/"khóa" and "uỷ"/"ủy" are one spelling.
Canonical forms follow DESIGN.md: terms are Roman numerals ("XII"); plenum resolutions are
``Nghị quyết Trung ương N khóa R``; numbered documents ``<Type> <number>-<ABBR>/<ISSUER>``.
"""
from __future__ import annotations

import re

from index.trace import Why, note

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
# The Party has had 14 Central Committees (2026); larger numbers are course intakes etc.
MAX_TERM = 14


def to_roman(n: int) -> str:
    """Write 1..39 as a Roman numeral.

    >>> to_roman(12), to_roman(4), to_roman(9)
    ('XII', 'IV', 'IX')
    """
    out = "X" * (n // 10)
    n %= 10
    ones = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    return out + ones[n]


def from_roman(s: str) -> int | None:
    """Read a Roman numeral made of I, V, X; None when it is not well formed.

    >>> from_roman("XIII"), from_roman("IIII"), from_roman("VX")
    (13, None, None)
    """
    total = 0
    prev = 0
    for ch in reversed(s.upper()):
        v = _ROMAN_VALUES.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    # Round-tripping rejects malformed numerals such as "IIII" or "VX".
    return total if total and to_roman(total) == s.upper() else None


def term_numeral(token: str) -> str | None:
    """Turn "XII" or "12" into the canonical term "XII" when it is a plausible CC term.

    >>> term_numeral("12"), term_numeral("xi"), term_numeral("45")
    ('XII', 'XI', None)
    """
    n = int(token) if token.isdigit() else from_roman(token)
    if n is None or not 1 <= n <= MAX_TERM:
        return None
    return to_roman(n)


_ORDINALS = {
    "nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12,
    "mười ba": 13, "mười bốn": 14, "mười lăm": 15,
}
_ORDINAL_RE = "|".join(sorted((re.escape(k) for k in _ORDINALS), key=len, reverse=True))

_NUM = r"(?-i:[IVX]{1,5}|\d{1,2})(?![\w/-])"
_TERM_LIST = rf"({_NUM}(?:\s*(?:,|và)\s*(?:khóa\s+)?{_NUM})*)"
_TERM_RE = re.compile(rf"(?<!\w)khóa\s*\(?\s*{_TERM_LIST}", re.IGNORECASE)
_CONGRESS_RE = re.compile(
    r"Đại hội\s+(?:đại biểu\s+)?(?:Đảng\s+(?:Cộng sản Việt Nam\s+)?)?(?P<national>(?i:toàn quốc)\s+)?"
    r"(?:(?P<nth>lần\s+thứ\s+)(?P<arabic>\d{1,2})(?!\d)|(?:lần\s+thứ\s+)?([IVX]{1,5})(?![\w-]))"
)
# Whose congress it is, when the text says: "... của Đảng" (ours) or "... của Đảng Nhân dân
# Cách mạng Lào", "... của Hội Nông dân" (another body, not a CPV term).
_CONGRESS_OWNER_RE = re.compile(
    r"\s*[(,]?\s*của\s+(?:(?P<party>Đảng)(?:\s+(?P<name>(?-i:[A-ZĐ])\w*(?:\s+\w+){0,4}))?"
    r"|(?P<other>Hội|Đoàn|Công đoàn|Mặt trận|MTTQ|Liên đoàn|Liên hiệp|Đảng bộ|Hiệp hội)(?!\w))"
)
_OUR_PARTY_RE = re.compile(r"Cộng sản Việt Nam|CSVN")


def congress_term(text: str, m: re.Match) -> str | None:
    """The CPV term of one "Đại hội ..." match, or None when it is another body's congress.

    >>> congress_term(t := "Đại hội lần thứ X của Đảng Nhân dân Cách mạng Lào", _CONGRESS_RE.search(t))
    >>> congress_term(t := "Đại hội toàn quốc lần thứ 10 của Đảng", _CONGRESS_RE.search(t))
    'X'
    >>> congress_term(t := "Đại hội lần thứ 5 của Hội Nông dân", _CONGRESS_RE.search(t))
    """
    owner = _CONGRESS_OWNER_RE.match(text, m.end())
    ours = owner is not None and owner.group("party") is not None and (
        not owner.group("name") or _OUR_PARTY_RE.match(owner.group("name")) is not None)
    if owner is not None and not ours:
        return None  # a foreign party's or a mass organisation's congress
    if m.group("arabic"):
        # "Đại hội lần thứ 10" is the Party's only when the text says so.
        if not (ours or m.group("national") or "Đảng" in m.group(0)):
            return None
        return term_numeral(m.group("arabic"))
    return term_numeral(m.group(4))
# Words that make "khóa N" the term of another body (National Assembly, People's Council,
# a provincial Party committee) or a training intake, rather than the Party CC.
_OTHER_BODY = (
    r"Quốc hội|quốc hội|QH|ĐBQH|UBTVQH|HĐND|Hội đồng nhân dân|đại biểu|Tỉnh ủy|Thành ủy|Huyện ủy|Quận ủy|"
    r"Thị ủy|Đảng ủy|Đảng bộ|MTTQ|Mặt trận|Công đoàn|Đoàn|Hội|lớp|học viên|sinh viên|"
    r"trường|đào tạo|bồi dưỡng|ngoại|UBND|tỉnh|huyện|thành phố|TP"
)
_CC_BODY = r"Trung ương|TW|TƯ|Bộ Chính trị|Ban Bí thư|Nghị quyết|NQ|Đại hội Đảng|Đảng khóa"
_PARTY_CUE_RE = re.compile(
    r"(?<!\w)(?:Đảng|Trung ương|TW|TƯ|T\.Ư|Bộ Chính trị|Ban Bí thư|Nghị quyết|NQ|Tổng Bí thư)(?!\w)"
)
_INTAKE_AFTER_RE = re.compile(r"\s*(?:Học viện|học viện|Trường|trường|lớp|Lớp|học viên|sinh viên)")
_CONTEXT_RE = re.compile(rf"(?<!\w)(?:(?P<cc>{_CC_BODY})|(?P<other>{_OTHER_BODY}))(?!\w)")


def _split_terms(group: str) -> list[str]:
    """Expand a term list such as "X, XI và XII" into canonical numerals.

    >>> _split_terms("X, XI và khóa XII")
    ['X', 'XI', 'XII']
    """
    out = []
    for tok in re.findall(r"(?<!\w)(?:[IVX]{1,5}|\d{1,2})(?!\w)", group):
        t = term_numeral(tok)
        if t:
            out.append(t)
    return out


def _is_party_cc_term(text: str, start: int, need_party_cue: bool = True) -> bool:
    """Decide from the words just before "khóa" whether it is the Party CC's term."""
    window = text[max(0, start - 60):start]
    window = re.split(r"[.;:!?](?=\s|$)|\n", window)[-1]
    last = None
    for m in _CONTEXT_RE.finditer(window):
        last = m
    # The nearest body named before "khóa" owns the term.  None named = the Party CC, as
    # "(khóa XII)" after a resolution's name means, but only where the sentence speaks of the
    # Party at all: "khóa 1 là 150 người", "Nhiệm kỳ khóa XIV, Quốc hội ..." are not terms.
    if last is None:
        return not need_party_cue or _PARTY_CUE_RE.search(_sentence_around(text, start, start + 1)) is not None
    return last.group("cc") is not None


def find_terms(text: str, why: Why = None, article: bool = False) -> list[str]:
    """Party Central Committee terms named in normalised text, in order of appearance.

    In an ``article`` a bare "khóa N" needs a sentence about the Party; a query such as
    "khóa 12" has no sentence to judge from and, in this domain, means the Party's term.

    >>> find_terms("Nghị quyết Trung ương 4 (khóa XII) và Quốc hội khóa XIV, ĐBQH khóa 14")
    ['XII']
    >>> find_terms("các khóa X, XI và XII; Đại hội lần thứ VII; hoạt động ngoại khóa")
    ['X', 'XI', 'XII', 'VII']
    >>> find_terms("khóa 12"), find_terms("Trong đó khóa 1 là 150 học sinh", article=True)
    (['XII'], [])
    """
    found: list[tuple[int, str]] = []
    for m in _TERM_RE.finditer(text):
        if _INTAKE_AFTER_RE.match(text, m.end()):
            continue  # "khóa I Học viện HAGL": a school intake
        if _is_party_cc_term(text, m.start(), need_party_cue=article):
            for t in _split_terms(m.group(1)):
                found.append((m.start(), t))
                note(why, "terms", t, "khóa N with Party context", text, m.start(), m.end())
    for m in _CONGRESS_RE.finditer(text):
        t = congress_term(text, m)
        if t:
            found.append((m.start(), t))
            note(why, "terms", t, "Đại hội N", text, m.start(), m.end())
    seen: dict[str, None] = {}
    for _, t in sorted(found):
        seen.setdefault(t, None)
    return list(seen)


# --- plenum resolutions -------------------------------------------------------------------
_PLENUM_N = rf"(\d{{1,2}}|{_ORDINAL_RE})"
_CC = r"(?:Trung ương|TƯ|T\.Ư|TW)"
_BCH = rf"(?:Ban Chấp hành|BCH)\s+{_CC}"
# The lookahead names the letters a citation can begin with ("Nghị quyết", "NQ", "Hội nghị",
# "Trung ương", "TƯ", "TW", "lần"): every other position of the text fails at once instead of
# trying each optional group (2.2x faster over the articles, the same matches).
_PLENUM_RE = re.compile(
    rf"(?=[nhtl])(?P<nq>(?:Nghị quyết|NQ)\s*(?:\(NQ\)\s*)?(?:của\s+)?(?:các\s+)?)?"
    rf"(?P<hn>Hội nghị\s+)?"
    rf"(?:{_CC}\s*(?:Đảng\s+)?(?:lần\s+(?:thứ\s+)?)?{_PLENUM_N}"
    rf"|lần\s+thứ\s+{_PLENUM_N}\s+(?:của\s+)?{_BCH}(?:\s+Đảng)?)"
    rf"(?!\w|/)",
    re.IGNORECASE,
)
# "Nghị quyết Trung ương 4 và Trung ương 5 khóa XII": one citation of several plenums,
# the term after the last one belonging to all.  Each further item names the CC again, so
# "Trung ương 4, 5 năm qua" stays one plenum.
_MORE_PLENUMS_RE = re.compile(
    rf"\s*(?:,|và|,\s*và)\s*(?:Hội nghị\s+)?{_CC}\s*(?:lần\s+(?:thứ\s+)?)?{_PLENUM_N}(?!\w|/)",
    re.IGNORECASE,
)
_AFTER_RE = re.compile(
    rf"\s*(?:\(\s*lần\s+(?P<pass1>\d)\s*\)|,?\s*lần\s+(?P<pass2>\d)(?!\w))?"
    rf"[\s,(]*(?:của\s+{_BCH}\s+(?:Đảng\s+)?)?"
    rf"(?:khóa\s+(?P<terms>{_TERM_LIST}))?",
    re.IGNORECASE,
)
_NAMED_AT_RE = re.compile(r"(?<!\w)(?:Nghị quyết|NQ)", re.IGNORECASE)  # "NQTW5" too
# A plenum resolution's official title after its number: "Nghị quyết số 10-NQ/TW ngày
# 3/6/2017 (của) Hội nghị lần thứ năm Ban Chấp hành Trung ương khóa XII".
_NUMBER_BEFORE_PLENUM_RE = re.compile(
    r"\s+(?:số\s+)?\d{1,4}\s*-\s*NQ/TW(?:\s*,?\s*ngày\s+\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4})?"
    r"\s*,?\s*(?:của\s+)?(?=Hội nghị)",
    re.IGNORECASE,
)


def _named_plenums(text: str):
    """The plenum pattern's matches where a resolution is named: "Nghị quyết (Hội nghị)
    Trung ương 5", "NQ TW5", and the official title after its number.  Tried only where
    "Nghị quyết"/"NQ" stands: ~5x faster than scanning every position of a long article."""
    for at in _NAMED_AT_RE.finditer(text):
        m = _PLENUM_RE.match(text, at.start())
        if m and m.group("nq"):
            yield m
        elif (num := _NUMBER_BEFORE_PLENUM_RE.match(text, at.end())) and (
                m := _PLENUM_RE.match(text, num.end())) and m.group("hn"):
            yield m


# A "Hội nghị Trung ương N" counts only when its resolution is meant, not the meeting.
_RESOLUTION_CUE_RE = re.compile(
    r"nghị quyết|\bNQ\b|quán triệt|học tập|thực hiện|triển khai|đề ra|ban hành|tinh thần",
    re.IGNORECASE,
)


def _ordinal(token: str) -> int:
    return int(token) if token.isdigit() else _ORDINALS[token.lower()]


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1:right]


def find_plenum_resolutions(text: str, why: Why = None, by_name: bool = False) -> list[tuple[int, str, str | None]]:
    """Plenum resolutions as (plenum number with pass, e.g. "4" or "6 (lần 2)", term or None).
    With ``by_name``, only those the text writes as a resolution ("Nghị quyết (Hội nghị)
    Trung ương 5", "NQ TW5"), not a plenum whose sentence is about its resolutions.

    >>> find_plenum_resolutions("thực hiện NQ TW4 (Khóa XI) và Nghị quyết Trung ương 4")
    [(4, '4', 'XI'), (4, '4', None)]
    >>> find_plenum_resolutions("tại Hội nghị Trung ương lần 8, ông được bầu")
    []
    >>> find_plenum_resolutions("Hội nghị Trung ương 5 bế mạc, thông qua các nghị quyết", by_name=True)
    []
    >>> find_plenum_resolutions("Quán triệt NQTW5 khóa XII", by_name=True)
    [(5, '5', 'XII')]
    >>> find_plenum_resolutions("Nghị quyết số 10-NQ/TW ngày 3/6/2017 Hội nghị lần thứ năm "
    ...                         "Ban Chấp hành Trung ương Đảng khóa XII", by_name=True)
    [(5, '5', 'XII')]
    """
    out: list[tuple[int, str, str | None]] = []
    for m in _named_plenums(text) if by_name else _PLENUM_RE.finditer(text):
        if not by_name and not m.group("nq") and not m.group("hn"):
            continue  # a bare "Trung ương 4" is too vague
        numbers = [_ordinal(m.group(3) or m.group(4))]
        end = m.end()
        while more := _MORE_PLENUMS_RE.match(text, end):
            numbers.append(_ordinal(more.group(1)))
            end = more.end()
        after = _AFTER_RE.match(text, end)
        if not m.group("nq"):
            sentence = _sentence_around(text, m.start(), after.end())
            if not _RESOLUTION_CUE_RE.search(sentence):
                continue
        passno = after.group("pass1") or after.group("pass2")
        terms = _split_terms(after.group("terms")) if after.group("terms") else []
        for k, n in enumerate(numbers):
            # A pass ("lần 2") written after a list belongs to its last plenum only.
            label = f"{n} (lần {passno})" if passno and k == len(numbers) - 1 else str(n)
            note(why, "plenum", label, "plenum pattern" + (" + resolution cue" if not m.group("nq") else ""),
                 text, m.start(), after.end())
            if terms:
                out.extend((n, label, t) for t in terms)
            else:
                out.append((n, label, None))
    return out


# --- numbered Party documents -------------------------------------------------------------
_TYPES = {
    "nghị quyết": ("Nghị quyết", "NQ"), "chỉ thị": ("Chỉ thị", "CT"),
    "kết luận": ("Kết luận", "KL"), "quy định": ("Quy định", "QĐ"),
    "quyết định": ("Quyết định", "QĐ"), "hướng dẫn": ("Hướng dẫn", "HD"),
    "thông tri": ("Thông tri", "TT"), "đề án": ("Đề án", "ĐA"),
    "chương trình": ("Chương trình", "CTr"), "kế hoạch": ("Kế hoạch", "KH"),
    "thông báo": ("Thông báo", "TB"),
}
_ABBR_TYPE = {abbr.upper(): name for name, abbr in reversed(list(_TYPES.values()))}
_TYPE_RE = "|".join(re.escape(t) for t in _TYPES)
# Issuers of government documents: their numbers are not Party documents.
_GOVERNMENT_ISSUERS = {"CP", "TTG", "UBND", "QH", "BTC", "BNV", "VPCP", "HĐND", "BCA", "BQP"}
# The code is searched first and the noun before it looked up afterwards: a leading
# optional group would make the regex try every position of every article.
_TYPE_BEFORE_RE = re.compile(rf"(?P<type>{_TYPE_RE})\s+(?:hành động\s+)?(?:số\s+)?$", re.IGNORECASE)
_ABBRS = r"NQ|CTr|CT|KL|QĐ|HD|TT|ĐA|KH|TB"
# Codes are written with any dash ("439 – QĐNS/TW"); a suffix after the type's letters is a
# department's mark ("QĐNS" = personnel decision) and stays part of the code.  Codes begin
# with a digit: (?=\d) spares every other position the lookbehind (2x faster).
_CODE_RE = re.compile(
    rf"(?=\d)(?<![\d/.])(?P<num>\d{{1,4}})\s*[-–—]\s*(?P<abbr>(?:{_ABBRS})(?-i:[A-ZĐ]{{0,3}}))\s*/\s*"
    r"(?P<issuer>[A-ZĐƯ]{2,9})(?![\w-])",
    re.IGNORECASE,
)
# The same code with its separators swapped ("05/NQ-TW"), trusted only for Party issuers:
# government numbers are written that way ("35/NQ-CP") and are not Party documents.
_SWAPPED_CODE_RE = re.compile(
    rf"(?=\d)(?<![\d/.])(?P<num>\d{{1,4}})\s*/\s*(?P<abbr>{_ABBRS})\s*[-–—]\s*"
    r"(?P<issuer>TW|TU|HU|ĐU|BTGTW|BTCTW|UBKTTW)(?![\w-])",
)
# Spoken issuers, most specific first.
_ISSUERS = [
    (r"Ban Tuyên giáo\s+(?:Trung ương|TW|TƯ)", "BTGTW"),
    (r"Ban Tổ chức\s+(?:Trung ương|TW|TƯ)", "BTCTW"),
    (r"Ủy ban Kiểm tra\s+(?:Trung ương|TW|TƯ)", "UBKTTW"),
    (r"Ban Tuyên giáo\s+(?:Tỉnh ủy|Thành ủy)", "BTGTU"),
    (r"Ban Tổ chức\s+(?:Tỉnh ủy|Thành ủy)", "BTCTU"),
    (r"Bộ Chính trị|Ban Bí thư|BCT|BBT|(?:Ban Chấp hành|BCH)\s+(?:Trung ương|TW|TƯ)|Trung ương|TW|TƯ",
     "TW"),
    (r"(?:Ban Thường vụ\s+|BTV\s+)?(?:Tỉnh ủy|Thành ủy)", "TU"),
    (r"(?:Ban Thường vụ\s+|BTV\s+)?(?:Huyện ủy|Quận ủy|Thị ủy)", "HU"),
    (r"(?:Ban Thường vụ\s+|BTV\s+)?Đảng ủy", "ĐU"),
]
_ISSUER_RE = "|".join(f"(?P<i{k}>{pat})" for k, (pat, _) in enumerate(_ISSUERS))
_TYPE_FIRST = "".join(sorted({t[0] for t in _TYPES}))  # a lookahead on these spares other positions
_SPOKEN_RE = re.compile(
    rf"(?=[{_TYPE_FIRST}])(?P<type>{_TYPE_RE})\s+(?:hành động\s+)?(?:số\s+)?(?P<num>\d{{1,4}})(?![\d/.,-]\d|\w|-)"
    rf"\s*(?:\([^)]{{0,40}}\)\s*)?,?\s*(?:ngày\s+\d{{1,2}}\s*[/.-]\s*\d{{1,2}}\s*[/.-]\s*\d{{4}}\s*,?\s*)?"
    rf"(?:của|do)\s+(?:{_ISSUER_RE})(?!\w)",
    re.IGNORECASE,
)
_BARE_RE = re.compile(rf"(?P<type>{_TYPE_RE})\s+(?:hành động\s+)?(?:số\s+)?(?P<num>\d{{1,4}})(?![\w/-])",
                      re.IGNORECASE)


def _canonical_number(num: str) -> str:
    """Party documents are numbered with at least two digits ("05-CT/TW").

    >>> _canonical_number("5"), _canonical_number("047"), _canonical_number("21")
    ('05', '47', '21')
    """
    return f"{int(num):02d}"


def find_numbered_documents(text: str, why: Why = None) -> list[tuple[int, str]]:
    """Numbered Party documents as (position, canonical name), government documents left out.

    >>> [d for _, d in find_numbered_documents("Chỉ thị 05 của Bộ Chính trị, Nghị định 35/2016/NĐ-CP")]
    ['Chỉ thị 05-CT/TW']
    >>> [d for _, d in find_numbered_documents("Chương trình hành động số 31 của Tỉnh ủy; 07 - NQ/HU")]
    ['Chương trình 31-CTr/TU', 'Nghị quyết 07-NQ/HU']
    """
    out: list[tuple[int, str]] = []
    codes = [*_CODE_RE.finditer(text), *_SWAPPED_CODE_RE.finditer(text)]
    for m in codes:
        issuer = m.group("issuer").upper()
        if issuer in _GOVERNMENT_ISSUERS:
            continue
        abbr = m.group("abbr")
        abbr = "CTr" if abbr.upper() == "CTR" else abbr.upper()
        kind = next(a for a in _ABBRS.split("|") if abbr.upper().startswith(a.upper()))
        noun = _TYPE_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
        tname = _ABBR_TYPE[kind.upper()]  # the code is authoritative over the noun...
        if noun and _TYPES[noun.group("type").lower()][1].upper() == kind.upper():
            tname = _TYPES[noun.group("type").lower()][0]  # ...which tells Quy định/Quyết định
        start = noun.start() if noun else m.start()
        name = f"{tname} {_canonical_number(m.group('num'))}-{abbr}/{issuer}"
        out.append((start, name))
        note(why, "resolutions", name, "written code", text, start, m.end())
    # A number cited without its code ("Quyết định số 439 ... của Ban Bí thư") is the
    # document whose full code the article writes elsewhere ("439-QĐNS/TW").
    written = {(n.rsplit(" ", 1)[0], n.rsplit(" ", 1)[1].split("-")[0], n.rsplit("/", 1)[1]): n
               for _, n in out}
    for m in _SPOKEN_RE.finditer(text):
        tname, abbr = _TYPES[m.group("type").lower()]
        issuer = next(code for k, (_, code) in enumerate(_ISSUERS) if m.group(f"i{k}"))
        name = f"{tname} {_canonical_number(m.group('num'))}-{abbr}/{issuer}"
        name = written.get((tname, _canonical_number(m.group("num")), issuer), name)
        out.append((m.start(), name))
        note(why, "resolutions", name, "number + spoken issuer", text, m.start(), m.end())
    # "Chỉ thị 05" alone is resolved only through the same document named fully elsewhere.
    return sorted(out)


_NATIONAL_CONGRESS_RES_RE = re.compile(r"Nghị quyết\s+(?:của\s+)?(?=Đại hội)")


_PLENUM_VALUE = "Nghị quyết Trung ương "
_PLENUM_VALUE_RE = re.compile(rf"^{_PLENUM_VALUE}(\d{{1,2}})\b(?:.* khóa ([IVX]+)$)?")


def plenum_value(label: str, term: str | None) -> str:
    """The facet value of a plenum resolution: "Nghị quyết Trung ương 4 khóa XII"."""
    return _PLENUM_VALUE + label + (f" khóa {term}" if term else "")


def plenum_of(value: str) -> tuple[int, str | None] | None:
    """The plenum number and term of a plenum resolution's facet value (see
    :func:`plenum_value`); None for other documents.

    >>> plenum_of(plenum_value("6 (lần 2)", "XI")), plenum_of("Nghị quyết Trung ương 4")
    ((6, 'XI'), (4, None))
    >>> plenum_of("Nghị quyết 04-NQ/TW") is None
    True
    """
    m = _PLENUM_VALUE_RE.match(value)
    return (int(m.group(1)), m.group(2)) if m else None


def _explicit_terms(plenums) -> dict[str, set[str]]:
    """The terms written with each plenum label in an article."""
    explicit: dict[str, set[str]] = {}
    for _, label, term in plenums:
        if term:
            explicit.setdefault(label, set()).add(term)
    return explicit


def _plenum_values(plenums, explicit: dict[str, set[str]], terms: list[str], why: Why = None) -> list[tuple[int, str]]:
    """(position, value) of each plenum resolution, its term as written, else the one term
    written with the same plenum elsewhere, else the article's only CC term."""
    found: list[tuple[int, str]] = []
    for pos_index, (_, label, term) in enumerate(plenums):
        if term is None:
            known = explicit.get(label, set())
            if len(known) == 1:
                term = next(iter(known))
            elif known:
                continue  # one of the explicit ones; cannot tell which
            elif len(terms) == 1:
                term = terms[0]  # the article's only CC term
        name = plenum_value(label, term)
        found.append((pos_index, name))
        if why is not None:
            how = ("term written after it" if term in explicit.get(label, set()) and term
                   else "term inferred from the article's only term" if term else "no term")
            note(why, "resolutions", name, f"{how}; {'; '.join(why.get(('plenum', label), []))}")
    return found


def plenums_cited_by_name(text: str, terms: list[str], plenums=None) -> list[str]:
    """The plenum resolutions an article writes by name ("Nghị quyết (Hội nghị) Trung ương
    5", "NQ TW5"), not only as a plenum in a sentence about its resolutions ("Hội nghị Trung
    ương 5 bế mạc, thông qua các nghị quyết"): the values ``find_resolutions`` gives them,
    terms inferred alike.  ``plenums``: ``find_plenum_resolutions(text)`` when the caller has
    it already (the extraction does), else found here.

    >>> plenums_cited_by_name("Quán triệt NQ TW5. Hội nghị Trung ương 6 khóa XII bế mạc, ra nghị quyết", ["XII"])
    ['Nghị quyết Trung ương 5 khóa XII']
    """
    explicit = _explicit_terms(find_plenum_resolutions(text) if plenums is None else plenums)
    return list(dict.fromkeys(v for _, v in _plenum_values(find_plenum_resolutions(text, by_name=True), explicit, terms)))


def find_resolutions(text: str, terms: list[str], why: Why = None, plenums=None) -> list[str]:
    """All Party documents of an article, canonical; ``terms`` are its CC terms (for inference);
    ``plenums``: ``find_plenum_resolutions(text, why)`` when the caller has it already.

    >>> find_resolutions("NQ Trung ương 4 (khóa XII) ... Nghị quyết Trung ương 4 và Chỉ thị 05-CT/TW", ["XII"])
    ['Nghị quyết Trung ương 4 khóa XII', 'Chỉ thị 05-CT/TW']
    """
    if plenums is None:
        plenums = find_plenum_resolutions(text, why)
    found = _plenum_values(plenums, _explicit_terms(plenums), terms, why)
    base = len(found)
    for pos, name in find_numbered_documents(text, why):
        found.append((base + pos, name))
    for m in _NATIONAL_CONGRESS_RES_RE.finditer(text):
        c = _CONGRESS_RE.match(text, m.end())
        t = congress_term(text, c) if c else None
        if t:
            found.append((base + m.start(), f"Nghị quyết Đại hội {t}"))
            note(why, "resolutions", f"Nghị quyết Đại hội {t}", "Nghị quyết Đại hội N", text,
                 m.start(), m.end())
    seen: dict[str, None] = {}
    for _, name in sorted(found, key=lambda x: x[0]):
        seen.setdefault(name, None)
    return list(seen)


def implied_terms(resolutions: list[str]) -> list[str]:
    """Terms implied by plenum and congress resolutions.

    >>> implied_terms(["Nghị quyết Trung ương 4 khóa XII", "Nghị quyết Đại hội XI", "Chỉ thị 05-CT/TW"])
    ['XII', 'XI']
    """
    out = []
    for r in resolutions:
        m = re.search(r"(?:khóa|Đại hội) ([IVX]+)$", r)
        if m:
            out.append(m.group(1))
    return out


# The year each Central Committee was elected (its congress).  An article cannot name a
# term elected after it was written, bar the run-up to the next congress.
CONGRESS_YEARS = {
    "I": 1935, "II": 1951, "III": 1960, "IV": 1976, "V": 1982, "VI": 1986, "VII": 1991,
    "VIII": 1996, "IX": 2001, "X": 2006, "XI": 2011, "XII": 2016, "XIII": 2021, "XIV": 2026,
}
_RUN_UP_YEARS = 2


def plausible_for_year(terms: list[str], resolutions: list[str], year: int) -> tuple[list[str], list[str]]:
    """Terms and resolutions without those of a Central Committee elected after ``year``.

    >>> plausible_for_year(["XII", "XIV"], ["Nghị quyết Trung ương 4 khóa XIV", "Chỉ thị 05-CT/TW"], 2017)
    (['XII'], ['Chỉ thị 05-CT/TW'])
    >>> plausible_for_year(["XIII"], [], 2019)  # "tiến tới Đại hội XIII": the run-up
    (['XIII'], [])
    """
    late = {t for t, y in CONGRESS_YEARS.items() if y > year + _RUN_UP_YEARS}
    keep_terms = [t for t in terms if t not in late]
    keep_res = [r for r in resolutions if not any(r.endswith((f"khóa {t}", f"Đại hội {t}")) for t in late)]
    return keep_terms, keep_res


# Plenum resolutions and the numbered resolution each is cited by (domain knowledge, checked
# against the resolutions' own headers).  Plenums that issued several resolutions (TW5, TW6,
# TW7 khóa XII; TW6, TW7, TW8 khóa XI; ...) are left out on purpose: no single twin.  Two
# entries are kept although their plenum issued a second resolution, because the press means
# this one by the plenum's name: TW4 khóa XI (12-NQ/TW on Party building; 13-NQ/TW on
# infrastructure) and TW7 khóa X (26-NQ/TW on agriculture; 25 and 27 on youth and
# intellectuals).  Numbers restart with each term (04-NQ/TW is TW3 khóa X in 2006 and TW4
# khóa XII in 2016), so a code finds its plenum only through the article's term when known.
_TWINS = [
    ("Nghị quyết Trung ương 3 khóa VIII", "Nghị quyết 03-NQ/HNTW"),  # 18/6/1997, cadre strategy
    ("Nghị quyết Trung ương 5 khóa VIII", "Nghị quyết 03-NQ/TW"),    # 16/7/1998, culture
    ("Nghị quyết Trung ương 3 khóa X", "Nghị quyết 04-NQ/TW"),       # 21/8/2006, anti-corruption
    ("Nghị quyết Trung ương 7 khóa X", "Nghị quyết 26-NQ/TW"),       # 5/8/2008, agriculture
    ("Nghị quyết Trung ương 4 khóa XI", "Nghị quyết 12-NQ/TW"),      # 16/1/2012, Party building
    ("Nghị quyết Trung ương 9 khóa XI", "Nghị quyết 33-NQ/TW"),      # 9/6/2014, culture and people
    ("Nghị quyết Trung ương 4 khóa XII", "Nghị quyết 04-NQ/TW"),     # 30/10/2016, Party building
    ("Nghị quyết Trung ương 8 khóa XII", "Nghị quyết 36-NQ/TW"),     # 22/10/2018, sea economy
]


def equivalent_resolutions(value: str, terms: list[str] | None = None) -> set[str]:
    """The resolution value and its known twin names; ``terms`` (the article's CC terms) pick
    the plenum a code belongs to, since codes are reused from one term to the next.

    >>> sorted(equivalent_resolutions("Nghị quyết Trung ương 4 khóa XII"))
    ['Nghị quyết 04-NQ/TW', 'Nghị quyết Trung ương 4 khóa XII']
    >>> sorted(equivalent_resolutions("Nghị quyết 04-NQ/TW", ["XII"]))
    ['Nghị quyết 04-NQ/TW', 'Nghị quyết Trung ương 4 khóa XII']
    >>> len(equivalent_resolutions("Nghị quyết 04-NQ/TW"))  # no term known: either plenum
    3
    >>> equivalent_resolutions("Chỉ thị 05-CT/TW")
    {'Chỉ thị 05-CT/TW'}
    """
    out = {value}
    for plenum, code in _TWINS:
        if value == plenum:
            out.add(code)
        elif value == code and (terms is None or plenum.rsplit(" ", 1)[1] in terms):
            out.add(plenum)
    return out
