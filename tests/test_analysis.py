"""The Vietnamese analysis pipeline: normalisation, segmentation, folding (issue: core engine)."""
from __future__ import annotations

import re
import unicodedata

import pytest

from index.analysis import folded_analyzer, segment, syllable_analyzer, word_analyzer
from index.normalize import fold_diacritics, normalize_text


@pytest.mark.parametrize("old, new", [
    ("khoá", "khóa"), ("Khoá", "Khóa"), ("uỷ", "ủy"), ("Uỷ ban", "Ủy ban"), ("hoà", "hòa"), ("thuỷ", "thủy"),
    ("hoè", "hòe"), ("tuỳ", "tùy"), ("HOÀ BÌNH", "HÒA BÌNH"), ("cụ thể hoá", "cụ thể hóa"),
])
def test_old_tone_style_becomes_one_style(old, new):
    assert normalize_text(old) == new


@pytest.mark.parametrize("word", ["hoạt", "sinh hoạt", "toán", "hoàng", "quý", "quỳ", "khuya", "hoài", "ngoại", "khỏe"])
def test_syllables_that_are_the_same_in_both_styles_are_left_alone(word):
    assert normalize_text(word) == word


def test_nfd_bom_and_zero_width_characters_are_normalised():
    text = "\ufeff" + unicodedata.normalize("NFD", "Nghị quyết") + "\u200b Trung\u00adương"
    assert normalize_text(text) == "Nghị quyết Trungương"


def test_folding_removes_every_diacritic_including_d():
    assert fold_diacritics("Đảng ủy Đồng Tháp, Thạnh Hóa, Thanh Hóa") == "Dang uy Dong Thap, Thanh Hoa, Thanh Hoa"


def test_the_three_fields_of_one_text():
    text = "Các cấp ủy thực hiện Nghị quyết Trung ương 4 khoá XII"
    words = [t.text for t in word_analyzer()(text)]
    assert "nghị_quyết" in words and "trung_ương" in words and "khóa" in words
    sylls = [(t.text, t.pos) for t in syllable_analyzer()(text, positions=True)]
    assert [s for s, _ in sylls][-4:] == ["ương", "4", "khóa", "xii"]
    assert [p for _, p in sylls] == list(range(len(sylls)))
    assert [t.text for t in folded_analyzer()(text)][:4] == ["cac", "cap", "uy", "thuc"]


def test_character_offsets_point_into_the_original_text():
    text = "Tỉnh uỷ Long An: Chỉ thị 05-CT/TW (ngày 04/06/2021)."

    def canonical(s: str) -> str:  # numbers without leading zeros, dates with "/"
        return re.sub(r"(?<!\d)0+(?=\d)", "", fold_diacritics(s.lower())).replace(".", "/")

    for t in syllable_analyzer()(text, chars=True):
        assert canonical(text[t.startchar:t.endchar]) == canonical(t.text)


@pytest.mark.parametrize("text", ["", "   ", "...", "\n\n", "😀 🇻🇳", "<script>alert(1)</script>", "a" * 10000,
                                  "\x00\x01", "05-CT/TW", "1/1/2020"])
def test_odd_text_never_breaks_segmentation(text):
    words = segment(text)
    assert all(text[w.start:w.end] for w in words)


def test_our_crf_features_are_exactly_pyvis(sample_dir):
    from pyvi.ViTokenizer import ViTokenizer

    from index.analysis import _features, _sentences

    def attributes(features: dict) -> list[str]:  # what CRFsuite makes of pyvi's dict
        return [f"{k}:{v}" if isinstance(v, str) else k for k, v in features.items() if v is not False]

    text = normalize_text((sample_dir / "002_0e83560fbb577f55.txt").read_text(encoding="utf-8"))
    for sentence in list(_sentences(text))[:60]:
        tokens = [t[1] for t in sentence]
        ours = _features(tokens, ViTokenizer.bi_grams, ViTokenizer.tri_grams)
        assert ours == [attributes(f) for f in ViTokenizer.sent2features(tokens, False)]


def test_our_crf_labels_are_pyvis_on_every_sentence_of_the_sample(sample_dir):
    """The attribute lists are tagged exactly as pyvi tags its own feature dicts."""
    from pyvi.ViTokenizer import ViTokenizer

    from index.analysis import _labels, _sentences

    sentences = [s for path in sorted(sample_dir.glob("*.txt"))
                 for s in _sentences(normalize_text(path.read_text(encoding="utf-8")))]
    assert len(sentences) > 200
    theirs = ViTokenizer.model.predict([ViTokenizer.sent2features([t[1] for t in s], False) for s in sentences])
    ours = _labels(sentences)
    assert [list(x) for x in ours] == [list(x) for x in theirs]
    assert sum(x.count("I_W") for x in ours) > 1000  # words of several syllables were formed


def _syllable_texts(text: str) -> list[str]:
    return [s.text for w in segment(text) for s in w.syllables]


@pytest.mark.parametrize("text, units", [
    ("Sáng 27/4", ["Sáng", "27/4"]),
    ("tháng 04/2017", ["tháng", "4/2017", "2017"]),
    ("ngày 04.06.2021", ["ngày", "4/6", "6/2021", "2021"]),
    ("ngày 30-4", ["ngày", "30/4"]),
    ("chiều 22-4", ["chiều", "22/4"]),
    ("từ 14-18/9", ["từ", "14/9", "18/9"]),
    ("kỳ hạn 4-5 tháng", ["kỳ", "hạn", "4", "5", "tháng"]),  # a range of numbers, not a date
    ("lãi suất 3,6-3,7%", ["lãi", "suất", "3,6", "3,7"]),
])
def test_dates_are_units_that_hold_no_bare_day_or_month(text, units):
    assert _syllable_texts(text) == units


@pytest.mark.parametrize("text, units", [
    ("NQ TW4", ["NQ", "TW", "4"]),
    ("NQTW4", ["NQ", "TW", "4"]),
    ("nqtw4", ["nq", "tw", "4"]),
    ("BCHTW", ["BCH", "TW"]),
    ("HĐND UBND Đảng ĐẢNG", ["HĐND", "UBND", "Đảng", "ĐẢNG"]),  # one abbreviation or a word: left whole
    ("F0 H5N1", ["F", "0", "H", "5", "N", "1"]),
])
def test_glued_forms_are_split_into_their_parts(text, units):
    assert _syllable_texts(text) == units


def test_the_writers_term_counts_are_what_each_analyzer_yields(sample_dir):
    """The writer counts terms straight from the segmented forms: for every field kind the
    counts equal those of the analyzer's own tokens, over the sample, a long text cut into
    pieces (run breaks between them), commas, codes, glued forms and non-Latin letters."""
    from collections import Counter

    from whoosh.formats import tokens

    from index.analysis import (
        SegmentedText,
        folded_analyzer,
        folded_bigram_analyzer,
        syllable_analyzer,
        term_counts,
        word_analyzer,
    )
    from index.large_text import segmented

    texts = [path.read_text(encoding="utf-8") for path in sorted(sample_dir.glob("*.txt"))]
    texts.append("NQTW4, Chỉ thị 05-CT/TW ngày 27/4/2017; ΟΔΟΣ Σ ΣΑΣ – Đà Nẵng, TP.HCM\n\nỦy ban")
    checked = 0
    for text in texts:
        for value in (SegmentedText.of(text), segmented(text, piece=500)):
            for analyzer in (word_analyzer(), syllable_analyzer(), folded_analyzer(), folded_bigram_analyzer()):
                want = Counter(t.text for t in tokens(value, analyzer, {"mode": "index", "boosts": True}))
                assert term_counts(analyzer, value) == want
                checked += sum(want.values())
    assert checked > 20000
    assert term_counts(word_analyzer(), "chuỗi thường") is None  # not segmented: the analyzer runs
