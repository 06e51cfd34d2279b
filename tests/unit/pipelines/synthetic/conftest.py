"""Shared small synthetic runs and readers for the generator tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synthetic_readers import SMALL

from pipelines.synthetic import generate_icb


@pytest.fixture(scope="session")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "inbox"
    generate_icb(out_dir=out, **SMALL)
    return out


@pytest.fixture(scope="session")
def truth(small_run: Path) -> dict:
    return json.loads((small_run / "truth.json").read_text(encoding="utf-8"))
