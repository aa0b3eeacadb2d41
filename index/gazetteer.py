"""Provinces an article is about: the 63 pre-2025 provinces, their districts, the 2025 merger.

The names come from ``index/data/divisions.json``, generated from the PyPI package
``vietnam-provinces`` by ``bench/build_divisions.py`` (no release of the package holds both
the old provinces and the merger, see that script).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from index.normalize import fold_diacritics
from index.trace import Why, note

_DATA = Path(__file__).with_name("data") / "divisions.json"


@lru_cache(maxsize=1)
def _divisions() -> list[dict]:
    return json.loads(_DATA.read_text(encoding="utf-8"))["provinces"]


def province_names() -> list[str]:
    """The 63 canonical pre-2025 province names.

    >>> len(province_names()), "Thừa Thiên Huế" in province_names()
    (63, True)
    """
    return [p["name"] for p in _divisions()]


def new_province(name: str) -> str:
    """The post-2025 province a pre-2025 province was merged into.

    >>> new_province("Long An"), new_province("Cần Thơ"), new_province("Thừa Thiên Huế")
    ('Tây Ninh', 'Cần Thơ', 'Huế')
    """
    return {p["name"]: p["new_name"] for p in _divisions()}[name]


def initials(name: str) -> str:
    """Upper-case initials of a name, diacritics folded, as abbreviations spell them.

    >>> initials("An Giang"), initials("Hồ Chí Minh"), initials("Bà Rịa - Vũng Tàu")
    ('AG', 'HCM', 'BRVT')
    """
    return "".join(w[0] for w in fold_diacritics(name).split() if w[0].isalpha()).upper()


def _name_variants(name: str) -> set[str]:
    """Spellings of one province name found in the press."""
    out = {name}
    if " - " in name:
        out |= {name.replace(" - ", "-"), name.replace(" - ", " ")}
    if "Đắk" in name:
        out |= {name.replace("Đắk", "Đăk"), name.replace("Đắk", "Đắc").replace("Lắk", "Lắc")}
    if name == "Thừa Thiên Huế":
        out |= {"Thừa Thiên - Huế", "Thừa Thiên-Huế"}
    return out


_DISTRICT_PREFIX = re.compile(r"^(Huyện|Quận|Thị [xX]ã|Thành phố)\s+")


@lru_cache(maxsize=1)
def _tables() -> dict:
    """Compile the province and district patterns once."""
    names = province_names()
    variant_to_prov: dict[str, str] = {}
    for n in names:
        for v in _name_variants(n):
            variant_to_prov[v] = n
    # Districts (and provincial cities) whose name belongs to exactly one province.
    district_owners: dict[str, set[str]] = defaultdict(set)
    for p in _divisions():
        for d in p["districts"]:
            bare = _DISTRICT_PREFIX.sub("", d)
            if bare != d:
                district_owners[bare].add(p["name"])
    districts = {d: next(iter(o)) for d, o in district_owners.items() if len(o) == 1}
    # Party-committee and city abbreviations built from initials ("TUAG", "TPCT", "TP.HCM"),
    # kept only when unambiguous among the 63 provinces.
    by_initials: dict[str, set[str]] = defaultdict(set)
    for n in names:
        by_initials[initials(n)].add(n)
    abbrevs: dict[str, str] = {}
    for ini, provs in by_initials.items():
        if len(provs) != 1 or len(ini) < 2:
            continue
        prov = next(iter(provs))
        abbrevs["TU" + ini] = prov
        full = next(p["full_name"] for p in _divisions() if p["name"] == prov)
        if full.startswith("Thành phố"):
            for form in ("TP" + ini, "TP." + ini, "TP. " + ini, "TP " + ini):
                abbrevs[form] = prov
    abbrevs["HCM"] = "Hồ Chí Minh"
    # "Hồ Chí Minh" alone is mostly the person; it names the city only after TP/thành phố.
    bare_names = sorted((v for v in variant_to_prov if variant_to_prov[v] != "Hồ Chí Minh"),
                        key=len, reverse=True)
    name_re = "|".join(re.escape(v) for v in bare_names)
    city_re = r"(?:TP\.?\s*|[Tt]hành phố\s+|Thành ủy\s+(?:TP\.?\s*)?)Hồ Chí Minh"
    abbr_re = "|".join(re.escape(a) for a in sorted(abbrevs, key=len, reverse=True))
    firsts = {"T", "t"} | {v[0] for v in bare_names} | {a[0] for a in abbrevs}  # city_re begins with T or t
    dist_re = "|".join(re.escape(d) for d in sorted(districts, key=len, reverse=True))
    return {
        "variant": variant_to_prov,
        "districts": districts,
        "abbrevs": abbrevs,
        # The lookahead holds the letters a mention can begin with: elsewhere the scan fails
        # at once instead of trying every name (2.3x faster over the articles, the same matches).
        "name_re": re.compile(rf"(?=[{re.escape(''.join(sorted(firsts)))}])"
                              rf"(?<!\w)(?:(?P<city>{city_re})|(?P<name>{name_re})|(?P<abbr>{abbr_re}))(?![\w])"),
        "district_re": re.compile(
            # Only the prefix ignores case: "huyện Duyên Hải" is a place, "duyên hải" a word.
            rf"(?<!\w)(?i:huyện|quận|thị xã|TX\.?|thành phố|TP\.?)\s*(?P<d>{dist_re})(?!\w)"
        ),
    }


# Words before a province name that make it an organisation of that province (strong).
_ORG_BEFORE = re.compile(
    r"(?:Tỉnh ủy|Thành ủy|UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân|Công an|Đảng bộ|"
    r"Bí thư|Chủ tịch|Mặt trận|MTTQ|Báo|Đài|Sở [\w ]{2,30}|BCH|Ban [\w ]{2,25}|"
    r"Bộ Chỉ huy [\w ]{2,25}|Văn phòng|Cục [\w ]{2,25}|tỉnh|thành phố|TP\.?|Tp\.?)\s*(?:tỉnh\s+|TP\.?\s*|thành phố\s+)?$"
)
# Words before a name that make it a road, river, company, venue or person, not the place.
_NOT_PLACE_BEFORE = re.compile(
    # "phố" is a street, but not the end of "thành phố".  "(Đoàn X)" after a deputy's name is
    # the delegation he sits in, "Đoàn luật sư X" the bar he belongs to: affiliations.
    r"(?<!\w)(?:xa lộ|đại lộ|quốc lộ|đường|(?<![Tt]hành )phố|sông|cầu|chợ|bến xe|ga|sân bay|khách sạn|"
    r"Công ty|công ty|Tổng công ty|Tập đoàn|Ngân hàng|Đại học|Trường|trường|Bệnh viện|Học viện|"
    r"Quốc gia|Hội nghị|tư tưởng|Chủ tịch|Bác|Thoát nước|Cấp nước|Điện lực|Thể thao|"
    r"\(\s*Đoàn(?:\s+ĐBQH)?(?:\s+(?:tỉnh|TP\.?|thành phố))?|Đoàn luật sư(?:\s+(?:tỉnh|TP\.?|thành phố))?)\s*$"
)
# Where the reported thing happens: "Tại Khánh Hòa, ..." opening a sentence (round-ups give
# one paragraph per place) and an address "huyện Lắc, tỉnh Đắk Lắk".
_EVENT_PLACE_WEIGHT = 4
_EVENT_PLACE_BEFORE = re.compile(r"(?:^|[.!?\n]\s*)Tại\s+(?:tỉnh\s+|TP\.?\s*|thành phố\s+)?$")
# A deputy's constituency ("Đại biểu Quốc hội tỉnh Sóc Trăng", "Hoàng Thanh Tùng (Sóc Trăng)")
# and a national meeting's venue ("tại Hà Nội, Bộ Công an tổ chức hội nghị toàn quốc"): the
# capital as a bare venue is the national stage, its own news names its city bodies.
_PASSING_BEFORE = re.compile(r"(?:[Đđ]ại biểu|ĐBQH)(?:\s+Quốc hội)?(?:\s+(?:tỉnh|TP\.?|thành phố))?\s*$")
_CONSTITUENCY_BEFORE = re.compile(
    r"(?:đơn vị bầu cử(?:\s+số\s+\d+)?|cử tri)\s*,?\s*(?:(?:các\s+)?(?:quận|huyện)[\w ,]{2,40}?,?\s*)?"
    r"(?:tỉnh\s+|TP\.?\s*|thành phố\s+)?$"
)
_VENUE_BEFORE = re.compile(r"(?<!\w)[Tt]ại(?:\s+Thủ đô)?\s*$")
_TAGGED_AFTER = re.compile(r"\s*\)")
# "huyện Quỳ Hợp (Nghệ An)": the bracket after a place names its province.
_UNIT_BEFORE = re.compile(r"(?<!\w)(?:xã|huyện|quận|thị xã|thị trấn|phường|TP\.?|thành phố)\s+[\w ]{2,25}\(\s*$", re.IGNORECASE)
# Three or more provinces in a row ("các tỉnh Quảng Nam, Quảng Trị, Thừa Thiên Huế") are
# examples or a distribution, not the places the article is about.
_LIST_SEP_RE = re.compile(r"\s*(?:,|và|hoặc|,\s*và)\s*(?:tỉnh\s+|TP\.?\s*|thành phố\s+)?")
_CAPITALISED_WORD_BEFORE = re.compile(r"(?<![\w.])([A-ZĐÀ-Ỹ][a-zà-ỹđ]+)\s+$")
_ADMIN_WORDS = {
    "Tỉnh", "Thành", "Tp", "Báo", "Đài", "Công", "Sở", "Bí", "Chủ", "Đảng", "Bộ", "Ban",
    "Văn", "Cục", "Tại", "Ở", "Từ", "Về", "Và", "Với", "Cho", "Của", "Phố", "Huyện", "Quận",
}
_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_FORMER_RE = re.compile(r"(?<!\w)(?:nguyên|quê|sinh|trước đây|nay thuộc)(?!\w)", re.IGNORECASE)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("? ", 0, pos))
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i != -1]
    return left + 1, (min(ends) if ends else len(text))


def _is_historical(sentence: str) -> bool:
    """A sentence whose years are all long past is a historical setting, not the news."""
    years = [int(y) for y in _YEAR_RE.findall(sentence)]
    return bool(years) and max(years) < 1990


def _listed(text: str, matches: list[re.Match]) -> set[int]:
    """Indexes of the matches that stand in a run of three or more names ("A, B và C")."""
    out: set[int] = set()
    run = [0] if matches else []
    for k in range(1, len(matches) + 1):
        if k < len(matches) and _LIST_SEP_RE.fullmatch(text, matches[k - 1].end(), matches[k].start()):
            run.append(k)
            continue
        if len(run) >= 3:
            out.update(run)
        run = [k]
    return out


def province_mentions(text: str) -> list[tuple[int, str, int]]:
    """(position, province, weight) of each place mention in normalised text.

    >>> [(p, w) for _, p, w in province_mentions("Tỉnh ủy Long An và huyện Thạnh Hóa")]
    [('Long An', 3), ('Long An', 1)]
    >>> province_mentions("Phó Thủ tướng Trương Hòa Bình, xa lộ Hà Nội, tư tưởng Hồ Chí Minh")
    []
    """
    t = _tables()
    out: list[tuple[int, str, int]] = []
    matches = list(t["name_re"].finditer(text))
    listed = _listed(text, matches)
    for k, m in enumerate(matches):
        before = text[max(0, m.start() - 40):m.start()]
        if k in listed or _NOT_PLACE_BEFORE.search(before):
            continue
        if m.group("city"):
            prov, weight = "Hồ Chí Minh", 2
        elif m.group("abbr"):
            prov, weight = t["abbrevs"][m.group("abbr")], 3
        else:
            prov = t["variant"][m.group("name")]
            cap = _CAPITALISED_WORD_BEFORE.search(before)
            if cap and cap.group(1) not in _ADMIN_WORDS and not _ORG_BEFORE.search(before):
                continue  # part of a longer proper noun: a person, a venue
            weight = 2 if _ORG_BEFORE.search(before) else 1
            if re.search(r"(?:Tỉnh ủy|Thành ủy|UBND|HĐND|Bí thư)\s*(?:tỉnh\s+|TP\.?\s*|thành phố\s+)?$", before):
                weight = 3
            if _CONSTITUENCY_BEFORE.search(before):
                weight = _EVENT_PLACE_WEIGHT  # meeting a constituency's voters happens there
            if _PASSING_BEFORE.search(before) or (prov == "Hà Nội" and _VENUE_BEFORE.search(before)):
                continue
            if before.endswith("(") and _TAGGED_AFTER.match(text, m.end()) and not _UNIT_BEFORE.search(before):
                continue  # "Hoàng Thanh Tùng (Sóc Trăng)": a person's constituency or home
        if _EVENT_PLACE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            weight = _EVENT_PLACE_WEIGHT
        start, end = _sentence_bounds(text, m.start())
        sentence = text[start:end]
        if _is_historical(sentence):
            continue
        if _FORMER_RE.search(text[max(start, m.start() - 60):m.start()]):
            weight = min(weight, 1)
        out.append((m.start(), prov, weight))
    for m in t["district_re"].finditer(text):
        start, end = _sentence_bounds(text, m.start())
        if _is_historical(text[start:end]):
            continue
        out.append((m.start(), t["districts"][m.group("d")], 1))
    return sorted(out)


def _province_of_site(source: str | None) -> str | None:
    """The province a local news site is named after ("baolamdong.vn" -> "Lâm Đồng").

    >>> _province_of_site("baolamdong.vn"), _province_of_site("baomoi.com")
    ('Lâm Đồng', None)
    """
    if not source:
        return None
    host = source.lower()
    hits = [n for n in province_names() if fold_diacritics(n).lower().replace(" ", "").replace("-", "") in host]
    return max(hits, key=len) if hits else None


def find_provinces(title: str, lead: str, body: str, source: str | None = None,
                   why: Why = None) -> list[str]:
    """The provinces an article is about, judged from where and how strongly each is named.

    >>> find_provinces("TPCT sơ kết", "", "Thành ủy Cần Thơ tổ chức hội nghị; so với Hà Nội")
    ['Cần Thơ']
    """
    scores: dict[str, float] = defaultdict(float)
    anchored: set[str] = set()
    for part, boost in ((title, 3.0), (lead, 1.5), (body, 1.0)):
        for pos, prov, weight in province_mentions(part):
            scores[prov] += weight * boost
            if weight >= _EVENT_PLACE_WEIGHT:
                anchored.add(prov)
            note(why, "province-mention", prov, f"weight {weight}×{boost:g}", part, pos, pos + 25)
    site = _province_of_site(source)
    if site:
        scores[site] += 3  # a provincial paper reports on its own province
    if not scores:
        return []
    top = max(scores.values())
    # A province named once in passing is not the subject; the subject is named strongly
    # (title, party committee, "tỉnh X") or repeatedly.  Runners-up must come close.
    # A round-up opens one paragraph per place ("Tại Khánh Hòa, ..."): each such place is a
    # subject in its own right, however much more another paragraph says.
    keep = [p for p, s in scores.items() if s >= 4 and (s >= 0.5 * top or p in anchored)]
    if not keep and len(scores) == 1 and top >= 3:
        keep = list(scores)  # the only place named, and named as an organisation
    if why is not None:
        for p, s in scores.items():
            mentions = why.pop(("province-mention", p), [])
            note(why, "provinces", p, f"score {s:g} (top {top:g}); " + " | ".join(mentions))
    return sorted(keep, key=lambda p: -scores[p])
