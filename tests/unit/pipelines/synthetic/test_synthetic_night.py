"""Tests of generate_night: volume, no faults, references resolve inside each package."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from synthetic_readers import containers, read_package, rows_by_line

from pipelines.synthetic import generate_night

PROVIDERS = 20
# figures.md "Scale": about 0.6 million event rows a night for 610 providers.
PER_PROVIDER = 600_000 / 610


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("night") / "inbox"
    generate_night(out_dir=out, seed=3, providers=PROVIDERS, day=date(2026, 3, 10))
    return out


def test_night_volume_scales_to_the_icb_estimate(night: Path) -> None:
    # Given the truth of a 20-provider night
    truth = json.loads((night / "truth.json").read_text(encoding="utf-8"))

    # Then the event rows are in range of the ICB estimate scaled to 20 providers
    assert 0.4 * PER_PROVIDER * PROVIDERS <= truth["event_rows"] <= 2.0 * PER_PROVIDER * PROVIDERS
    assert truth["faults"] == []
    assert truth["quirks"] == []


def test_one_daily_package_per_provider(night: Path) -> None:
    manifests = [json.loads(read_package(night, c)["manifest.json"]) for c in containers(night)]
    assert len(manifests) == PROVIDERS
    assert {m["extract_from"] for m in manifests} == {"2026-03-10"}
    assert {m["extract_to"] for m in manifests} == {"2026-03-10"}


def test_every_reference_resolves_inside_the_package(night: Path) -> None:
    for container in containers(night):
        # Given one package's reference rows
        files = read_package(night, container)
        people = {row[0] for row in rows_by_line(files["people.csv"])[1].values()}
        staff = {row[0] for row in rows_by_line(files["staff.csv"])[1].values()}
        locations = {row[0] for row in rows_by_line(files["locations.csv"])[1].values()}

        for name, data in files.items():
            if not name.endswith(".csv") or name in ("locations.csv",):
                continue
            header, rows = rows_by_line(data)
            # Then every person, member of staff and location named is in the package
            for row in rows.values():
                record = dict(zip(header, row, strict=True))
                assert record["location_id"] in locations
                if record.get("person_id"):
                    assert record["person_id"] in people
                if record.get("staff_id"):
                    assert record["staff_id"] in staff
