"""Installing vnsearch prints no packaging warning (issue 12 item 10)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# `make setup` keeps pip's output here.
INSTALL_LOG = Path(sys.prefix) / "install.log"
# Warnings of the build backend (setuptools), not pip's notes about the machine's own configuration.
BACKEND_WARNING = re.compile(r"BuildBackendWarning|SetuptoolsDeprecationWarning|SetuptoolsWarning|"
                             r"absent from the `packages` configuration")


def test_every_data_folder_is_declared_with_its_files():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {p.parent.relative_to(ROOT).as_posix().replace("/", ".")
               for top in config["packages"] if "." not in top
               for p in (ROOT / top).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert folders <= set(config["packages"]), folders - set(config["packages"])
    data = config["package-data"]
    for folder in folders:
        files = [p for p in (ROOT / folder.replace(".", "/")).iterdir() if p.is_file() and p.suffix != ".py"]
        if files:
            assert any(p.match(pattern) for pattern in data.get(folder, []) for p in files), folder
            assert all(any(p.match(pattern) for pattern in data[folder]) for p in files), folder


def test_the_install_log_holds_no_packaging_warning():
    if not INSTALL_LOG.exists():
        pytest.skip(f"{INSTALL_LOG} is missing: the environment was not made by `make setup`")
    log = INSTALL_LOG.read_text(encoding="utf-8", errors="replace")
    assert "Successfully installed" in log or "vnsearch" in log
    assert not BACKEND_WARNING.search(log), BACKEND_WARNING.search(log).group(0)
