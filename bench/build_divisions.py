"""Generate ``index/data/divisions.json`` (63 provinces, their districts, 63→34 merger map).

No single release of the PyPI package ``vietnam-provinces`` carries both the pre-2025
provinces and the 2025 merger: releases <= 0.6.0 hold the 63 provinces with districts and
wards, releases >= 2025.8 hold only the 34 merged provinces with their wards.  Ward codes
survive the merger (a merged ward keeps the code of one of its parts), so the province an
old province went into is the new province holding most of its old ward codes.

Districts are the union over an early (0.2, before the 2019–2021 district mergers), a
middle (0.4.3) and the last pre-merger release (0.6.0), because news articles from any of
those years name districts that later disappeared.  Province names come from 0.4.3, the
last release that still calls Huế "Thừa Thiên Huế" (the canonical facet name).

Run:  .venv/bin/python bench/build_divisions.py      (needs network access to PyPI)
"""
from __future__ import annotations

import collections
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.normalize import normalize_text  # noqa: E402

OUT = ROOT / "index" / "data" / "divisions.json"
NAMES_RELEASE = "0.4.3"
DISTRICT_RELEASES = ("0.2", "0.4.3", "0.6.0")
MERGED_RELEASE = "2025.10.1"
_PREFIXES = ("Thành phố ", "Tỉnh ")


def _load_release(version: str, tmp: Path) -> list[dict]:
    """Download one release of vietnam-provinces with pip and return its nested divisions."""
    dest = tmp / version
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps",
         f"vietnam-provinces=={version}", "-d", str(dest)],
        check=True,
    )
    wheel = next(dest.glob("*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        return json.loads(zf.read("vietnam_provinces/data/nested-divisions.json"))


def short_name(full: str) -> str:
    """Drop the administrative prefix and normalise the tone style.

    >>> short_name("Tỉnh Hoà Bình"), short_name("Thành phố Hồ Chí Minh")
    ('Hòa Bình', 'Hồ Chí Minh')
    """
    for prefix in _PREFIXES:
        if full.startswith(prefix):
            full = full[len(prefix):]
            break
    return normalize_text(full)


def build() -> dict:
    """Assemble the divisions document from the package releases."""
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        names = _load_release(NAMES_RELEASE, tmp)
        olds = [_load_release(v, tmp) for v in DISTRICT_RELEASES]
        merged = _load_release(MERGED_RELEASE, tmp)
    ward_to_new = {w["code"]: p["name"] for p in merged for w in p["wards"]}
    provinces = []
    for prov in names:
        code = prov["code"]
        districts: dict[str, None] = {}
        votes: collections.Counter[str] = collections.Counter()
        for release in olds:
            for p in release:
                if p["code"] != code:
                    continue
                for d in p["districts"]:
                    districts[normalize_text(d["name"])] = None
                    for w in d.get("wards", []):
                        if w["code"] in ward_to_new:
                            votes[ward_to_new[w["code"]]] += 1
        new_full = votes.most_common(1)[0][0]
        provinces.append({
            "code": code,
            "name": short_name(prov["name"]),
            "full_name": normalize_text(prov["name"]),
            "new_name": short_name(new_full),
            "districts": sorted(districts),
        })
    return {
        "generated_by": "bench/build_divisions.py",
        "source": f"PyPI vietnam-provinces {', '.join(DISTRICT_RELEASES)} and {MERGED_RELEASE}",
        "provinces": provinces,
    }


def main() -> None:
    """Write the data file and print a short summary."""
    doc = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    news = {p["new_name"] for p in doc["provinces"]}
    print(f"{OUT}: {len(doc['provinces'])} provinces -> {len(news)} merged, "
          f"{sum(len(p['districts']) for p in doc['provinces'])} districts")


if __name__ == "__main__":
    main()
