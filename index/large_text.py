"""Segmenting a long body in pieces, so a 50 MB document costs memory like a 16 KB one.

:func:`index.analysis.segment` keeps every word and syllable of its text as Python objects
with offsets, plus pyvi's feature dicts for every sentence at once: about 150 bytes per
character, 7 GB for a 50 MB body.  The writer only needs the space-separated forms, so a
long body is cut at paragraph ends (where a sentence and a run end anyway), each piece is
segmented alone, and the forms are joined with a run break between pieces.  A body short
enough for one piece is segmented exactly as before.
"""
from __future__ import annotations

from index.analysis import RUN_BREAK, SegmentedText

PIECE_CHARS = 16 * 1024  # pyvi works sentence by sentence: the piece size only bounds memory


def segmented(text: str, piece: int = PIECE_CHARS) -> SegmentedText:
    """``SegmentedText.of(text)``, made piece by piece when ``text`` is long.

    >>> whole = "Tỉnh ủy Long An họp.\\n\\nThành ủy Cần Thơ học tập Nghị quyết."
    >>> cut = segmented(whole, piece=40)
    >>> str(cut) == whole, cut.words == SegmentedText.of(whole).words
    (True, True)
    >>> cut.syllables == SegmentedText.of(whole).syllables
    True
    """
    if len(text) <= piece:
        return SegmentedText.of(text)
    parts = [SegmentedText.of(text[a:b]) for a, b in pieces(text, piece)]
    return SegmentedText(
        text,
        " ".join(p.words for p in parts if p.words),
        f" {RUN_BREAK} ".join(p.syllables for p in parts if p.syllables),
    )


def pieces(text: str, size: int):
    """``(start, end)`` of consecutive pieces of at most ``size`` characters covering ``text``.

    Each piece ends after a line break if there is one in its second half, else after a
    sentence's full stop, else at a space; only a space-free run is cut blindly.

    >>> list(pieces("một hai.\\nba bốn năm", 12))
    [(0, 9), (9, 19)]
    """
    start, n = 0, len(text)
    while start < n:
        end = min(start + size, n)
        if end < n:
            half = start + size // 2
            for mark in ("\n", ". ", " "):
                cut = text.rfind(mark, half, end)
                if cut >= 0:
                    end = cut + len(mark)
                    break
        yield start, end
        start = end
