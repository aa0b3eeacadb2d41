"""Helpers for the web tests: a generated Vietnamese corpus (real sentences) with XSS payloads.

The corpus is built from sentences of the bundled sample articles, one province per article,
so a search spans two pages and the province facet is long enough to be collapsed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from index.sources import sample_folder

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
PROVINCES = ["Long An", "Cần Thơ", "An Giang", "Đồng Tháp", "Lâm Đồng", "Bến Tre", "Tiền Giang",
             "Vĩnh Long", "Hậu Giang", "Kiên Giang", "Sóc Trăng", "Bạc Liêu"]
SOURCES = ["baolongan.vn", "baocantho.com.vn", "baoangiang.com.vn"]
GENERATED = 24  # two articles per province: more than one page of 10
_BUILT: dict[Path, Path] = {}


def real_sentences() -> list[str]:
    """Sentences of the sample articles that name no province (so facets stay predictable).

    >>> len(real_sentences()) > 20
    True
    """
    out = []
    for path in sorted(sample_folder().glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n", 1)[1]
        for s in re.split(r"(?<=[.;])\s+", body):
            s = s.strip()
            if 60 <= len(s) <= 400 and not re.search(r"tỉnh|Tỉnh|thành phố|TP|Long An|Cần Thơ|Đồng|Giang|Lâm", s):
                out.append(s)
    return out


def generated_records() -> list[dict]:
    """``GENERATED`` articles about Nghị quyết Trung ương 4, plus two carrying XSS payloads."""
    sentences = real_sentences()
    records = []
    for i in range(GENERATED):
        province = PROVINCES[i % len(PROVINCES)]
        body = [f"Ngày {i % 27 + 1}/{i % 12 + 1}, Tỉnh ủy {province} tổ chức hội nghị sơ kết thực hiện "
                f"Nghị quyết Trung ương 4 khóa XII về xây dựng, chỉnh đốn Đảng."]
        body += [sentences[(i * 3 + k) % len(sentences)] for k in range(4)]
        records.append({
            "id": f"gen-{i:02d}",
            "title": f"Tỉnh ủy {province} sơ kết Nghị quyết Trung ương 4 khóa XII (bài {i + 1})",
            "text": "\n\n".join(body),
            "date": f"{2017 + i % 6}-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
            "source": SOURCES[i % len(SOURCES)],
            "url": f"https://{SOURCES[i % len(SOURCES)]}/bai-{i}.html",
        })
    records.append({
        "id": "xss-script",
        "title": f"{XSS_SCRIPT} Tỉnh ủy Long An học tập Nghị quyết Trung ương 4",
        "text": f"Tỉnh ủy Long An triển khai Nghị quyết Trung ương 4 khóa XII. {XSS_SCRIPT}\n\n"
                f"Ảnh minh họa {XSS_IMG} tại hội nghị.\n\n" + sentences[0],
        "date": "2020-03-05",
        "source": "baolongan.vn",
        "url": "javascript:alert(1)",
    })
    records.append({
        "id": "xss-img",
        "title": f"{XSS_IMG} Thành ủy Cần Thơ quán triệt Chỉ thị 05-CT/TW",
        "text": f"Thành ủy Cần Thơ quán triệt Chỉ thị 05-CT/TW {XSS_IMG} và Nghị quyết Trung ương 4 khóa XII.\n\n"
                + sentences[1],
        "date": "2021-07-09",
        "source": "baocantho.com.vn",
    })
    return records


def build_web_index(root: Path) -> Path:
    """Index the generated corpus under ``root`` once per test session (reused by both modules)."""
    from index.writer import index_documents

    if root not in _BUILT:
        jsonl = root / "web-corpus.jsonl"
        with jsonl.open("w", encoding="utf-8") as fh:
            for rec in generated_records():
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        index_dir = root / "index"
        report = index_documents([jsonl], index_dir, workers=1)
        assert report.added == GENERATED + 2 and not report.skipped, report
        _BUILT[root] = index_dir
    return _BUILT[root]
