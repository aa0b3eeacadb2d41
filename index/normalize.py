"""Vietnamese text normalisation: Unicode form, one tone-mark style, diacritic folding.

Everything here is Vietnamese-specific; no library covers it (pyvi leaves tone-mark style
alone and its ``remove_accents`` returns bytes), so it is written by hand.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# Zero-width characters, BOM and soft hyphen: invisible in a browser, fatal to matching.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng

# Old style puts the tone on the second vowel of an open syllable ending in oa/oe/uy
# ("hoà", "khoá", "uỷ", "thuỷ"); we keep the first ("hòa", "khóa", "ủy", "thủy"), the
# style of DESIGN.md's facet values.  Only whole syllables that *end* in the pair are
# touched, so "hoạt", "toán", "hoàng", "khuya" stay; "quý" stays because its "u" belongs
# to the consonant "qu".
_OPEN_PAIR_RE = re.compile(
    r"^([bcdđghklmnprstvx]*)([ou])([aey])$", re.IGNORECASE
)
# Only syllables ending in o/u + a toned a, e or y can be old style: find just those.
_CANDIDATE_RE = re.compile(r"\b\w{0,4}[oOuU][áàảãạéèẻẽẹýỳỷỹỵÁÀẢÃẠÉÈẺẼẸÝỲỶỸỴ]\b")


def _move_tone_to_first_vowel(syllable: str) -> str:
    """Return the syllable with a tone on the second vowel of oa/oe/uy moved to the first.

    >>> _move_tone_to_first_vowel("khoá"), _move_tone_to_first_vowel("Uỷ")
    ('khóa', 'Ủy')
    >>> _move_tone_to_first_vowel("quý"), _move_tone_to_first_vowel("hoạt")
    ('quý', 'hoạt')
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) != 1:
        return syllable
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    m = _OPEN_PAIR_RE.match(bare)
    if not m or m.group(1).lower().endswith("q"):
        return syllable
    # The tone must sit on the second vowel for this to be old style.
    second = unicodedata.normalize("NFD", syllable[-1])
    if tones[0] not in second:
        return syllable
    head, first, last = m.groups()
    return unicodedata.normalize("NFC", head + first + tones[0] + last)


def normalize_tone_marks(text: str) -> str:
    """Rewrite old-style tone placement in NFC text; the length of the text never changes.

    >>> normalize_tone_marks("Nghị quyết khoá XII, các cấp uỷ, hoà hợp, sinh hoạt, quý")
    'Nghị quyết khóa XII, các cấp ủy, hòa hợp, sinh hoạt, quý'
    """
    return _CANDIDATE_RE.sub(lambda m: _move_tone_to_first_vowel(m.group()), text)


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, one tone-mark style: the form all analysis sees.

    >>> normalize_text("kho\\u0061\\u0301 XII\\u200b")
    'khóa XII'
    """
    return normalize_tone_marks(unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", text)))


def normalize_with_offsets(text: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """Normalise ``text`` and map each character of the result back to the original.

    Returns ``(normalised, (starts, ends))`` where ``text[starts[i]:ends[i]]`` is what became
    ``normalised[i]``, or ``None`` in place of the map when the two are aligned one to one
    (the common case: NFC input, nothing invisible).

    >>> normalize_with_offsets("a\\u200bb")
    ('ab', ([0, 2], [1, 3]))
    >>> normalize_with_offsets("kho\\u0061\\u0301")
    ('khóa', ([0, 1, 2, 3], [1, 2, 3, 5]))
    """
    if unicodedata.is_normalized("NFC", text) and not _INVISIBLE_RE.search(text):
        return normalize_tone_marks(text), None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # A base character with the combining marks after it composes on its own under NFC.
    for m in re.finditer(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]*|[\u0300-\u036f]+", text, re.S):
        if m.group() in INVISIBLE:
            continue
        composed = unicodedata.normalize("NFC", m.group())
        pieces.append(composed)
        starts.extend([m.start()] * len(composed))
        ends.extend([m.end()] * len(composed))
    return normalize_tone_marks("".join(pieces)), (starts, ends)


_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


@functools.lru_cache(maxsize=200_000)
def fold_diacritics(text: str) -> str:
    """Remove every Vietnamese diacritic, ``đ`` to ``d`` included.

    >>> fold_diacritics("Đảng ủy Nghị quyết")
    'Dang uy Nghi quyet'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
