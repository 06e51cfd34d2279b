"""Tests of generate_icb: determinism, manifests, faults, NHS numbers, names and rates."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from synthetic_readers import SMALL, containers, decode, read_package, rows_by_line

from data_contracts.ode1.entities import ENTITIES
from pipelines.synthetic import SyntheticDataError, generate_icb
from pipelines.synthetic.clock import last_sunday
from pipelines.synthetic.identifiers import is_valid_nhs_number

REAL = Path("/work/shared/reference/real")
ALL_FAULTS = {
    "invalid_encoding",
    "spring_forward_gap",
    "non_iso_date",
    "unknown_enum",
    "unresolved_reference",
    "conflict",
    "bad_nhs_number",
    "manifest_mismatch",
}
ALL_QUIRKS = {
    "windows_1252",
    "utf8_bom",
    "crlf",
    "enum_case_space",
    "ambiguous_fall_back",
    "extra_column",
    "quoted_description",
}


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(small_run: Path, tmp_path: Path) -> None:
    # Given a second run with the same arguments
    again = tmp_path / "again"

    # When it is generated
    generate_icb(out_dir=again, **SMALL)

    # Then every file is byte-identical
    assert _files(again) == _files(small_run)


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    # Given a folder with something in it
    (tmp_path / "keep.txt").write_text("mine")

    # When / Then
    with pytest.raises(SyntheticDataError):
        generate_icb(out_dir=tmp_path, providers=2, months=2)


def test_manifests_match_their_files_except_listed_mismatches(small_run: Path, truth: dict) -> None:
    # Given the packages the truth says have a broken manifest
    broken = {f["package"] for f in truth["faults"] if f["kind"] == "manifest_mismatch"}
    checked = 0

    for container in containers(small_run):
        # When each manifest is compared with its files
        files = read_package(small_run, container)
        manifest = json.loads(files["manifest.json"])
        name = Path(container).name.removesuffix(".zip")
        agrees = all(
            entry["name"] in files
            and hashlib.sha256(files[entry["name"]]).hexdigest() == entry["sha256"]
            and _data_rows(files[entry["name"]]) == entry["rows"]
            for entry in manifest["files"]
            if not _is_utf16(files[entry["name"]])
        )

        # Then it agrees unless the truth lists it, and the name follows the spec
        assert agrees != (name in broken), name
        assert (
            name == f"{manifest['provider_id']}_{manifest['extract_to']}_{manifest['extract_id']}"
        )
        assert manifest["spec_version"] == "1.0"
        assert re.fullmatch(r"\d{4}", manifest["extract_id"])
        assert manifest["generated_at"].endswith("Z")
        checked += 1
    assert checked == len(truth["packages"])


def _is_utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def _data_rows(data: bytes) -> int:
    return len(rows_by_line(data)[1])


def test_every_fault_kind_is_listed_and_present_at_its_line(small_run: Path, truth: dict) -> None:
    # Given the faults listed in truth.json
    faults = truth["faults"]

    # Then every kind is there
    assert {f["kind"] for f in faults} == ALL_FAULTS

    # And each row fault is in its file at the listed line
    cache: dict[tuple[str, str], tuple[list[str], dict[int, list[str]]]] = {}
    for fault in faults:
        files = read_package(small_run, fault["container"])
        if fault["kind"] == "invalid_encoding":
            assert _is_utf16(files[fault["file"]])
            continue
        if fault["kind"] == "manifest_mismatch":
            continue  # checked by the manifest test
        key = (fault["container"], fault["file"])
        if key not in cache:
            cache[key] = rows_by_line(files[fault["file"]])
        header, rows = cache[key]
        row = dict(zip(header, rows[fault["line"]], strict=False))
        value = row[fault["column"]]
        _assert_fault(kind=fault["kind"], value=value, entity=fault["file"][:-4], row=row)


def _assert_fault(*, kind: str, value: str, entity: str, row: dict[str, str]) -> None:
    if kind == "spring_forward_gap":
        day = date.fromisoformat(value[:10])
        assert value.endswith("T01:30:00")
        assert day == last_sunday(day.year, 3)
    elif kind == "non_iso_date":
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", value)
    elif kind == "unknown_enum":
        column = next(c for c in ENTITIES[entity].columns if c.values and row.get(c.name) == value)
        assert value.strip().lower() not in column.values
    elif kind == "unresolved_reference":
        assert value.startswith("UNKNOWN-")
    elif kind == "bad_nhs_number":
        assert not is_valid_nhs_number(value)
    elif kind == "conflict":
        assert row["record_uid"]
        assert row["version"]
    else:
        pytest.fail(f"unexpected fault kind {kind}")


def test_conflicts_repeat_an_earlier_uid_and_version_with_other_content(
    small_run: Path, truth: dict
) -> None:
    # Given every delivered row of the entities that carry conflicts
    conflicts = [f for f in truth["faults"] if f["kind"] == "conflict"]
    seen: dict[tuple[str, str, str], set[tuple[str, ...]]] = {}
    for container in containers(small_run):
        files = read_package(small_run, container)
        for name in {f["file"] for f in conflicts}:
            if name in files and not _is_utf16(files[name]):
                _, rows = rows_by_line(files[name])
                for row in rows.values():
                    seen.setdefault((name, row[0], row[1]), set()).add(tuple(row))

    # Then each listed conflict has two different contents for one uid and version
    for fault in conflicts:
        versions = [k for k in seen if k[0] == fault["file"] and k[1] == fault["record"]]
        assert any(len(seen[k]) == 2 for k in versions), fault


def test_every_quirk_kind_is_listed_and_present(small_run: Path, truth: dict) -> None:
    quirks = truth["quirks"]
    assert {q["kind"] for q in quirks} == ALL_QUIRKS
    for quirk in quirks:
        data = read_package(small_run, quirk["container"])[quirk["file"]]
        kind = quirk["kind"]
        if kind == "utf8_bom":
            assert data.startswith(b"\xef\xbb\xbf")
        elif kind == "crlf":
            assert b"\r\n" in data
        elif kind == "windows_1252" and quirk["line"] is None:
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            assert "café" in data.decode("cp1252")
        elif kind == "extra_column":
            assert "device_ref" in decode(data).splitlines()[0]
        elif quirk["line"] is not None:
            header, rows = rows_by_line(data)
            value = dict(zip(header, rows[quirk["line"]], strict=False))[quirk["column"]]
            if kind == "enum_case_space":
                assert value.startswith(" ")
                assert value != value.lower()
            elif kind == "ambiguous_fall_back":
                assert value.endswith("T01:30:00")
            elif kind == "quoted_description":
                assert "," in value
                assert '"' in value
                assert "\n" in value


def test_nhs_numbers_pass_modulus_11_except_listed_faults(small_run: Path, truth: dict) -> None:
    # Given the people rows with a deliberately bad NHS number
    bad = {(f["container"], f["line"]) for f in truth["faults"] if f["kind"] == "bad_nhs_number"}
    numbers = 0
    for container in containers(small_run):
        _, rows = rows_by_line(read_package(small_run, container)["people.csv"])
        for line, row in rows.items():
            # Then every other number present is valid (spaces allowed)
            if row[2] and (container, line) not in bad:
                assert is_valid_nhs_number(row[2]), row
                assert row[2].startswith("999")
                numbers += 1
    assert numbers > 0


def _real_names_and_ids() -> tuple[set[str], set[str]]:
    names: set[str] = set()
    ids: set[str] = set()
    for path in REAL.glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                names.update(row[c].strip().lower() for c in ("name", "provider") if c in row)
                if row.get("cqc_id"):
                    ids.add(row["cqc_id"].strip())
    return names, ids


@pytest.mark.skipif(not REAL.exists(), reason="real reference extracts not available")
def test_no_real_care_home_name_or_cqc_id_appears(small_run: Path) -> None:
    # Given the real names and CQC IDs
    real_names, real_ids = _real_names_and_ids()

    # When the synthetic directory and locations are read
    directory = (small_run / "cqc_directory.csv").read_text(encoding="utf-8").splitlines()[4:]
    rows = list(csv.DictReader(directory))

    # Then none matches
    assert rows
    for row in rows:
        assert row["Location Name"].strip().lower() not in real_names
        assert row["Provider Name"].strip().lower() not in real_names
        assert row["Location ID"] not in real_ids
        assert row["Provider ID"] not in real_ids
        assert re.fullmatch(r"1-\d{9,11}", row["Location ID"])


def test_falls_rate_is_roughly_as_declared(small_run: Path, truth: dict) -> None:
    # Given the care homes' declared falls rates and the exports' stays and incidents
    homes = [p for p in truth["providers_detail"] if p["kind"] == "care_home" and p["exports"]]
    declared = sum(p["falls_per_1000_bed_days"] for p in homes) / len(homes)
    start = date.fromisoformat(truth["period"]["start"])
    end = date.fromisoformat(truth["period"]["end"])
    people, falls = _stays_and_falls(small_run, {p["provider_id"] for p in homes})

    # When falls per 1,000 occupied bed days are computed over the period
    bed_days = 0
    for start_date, end_date in people.values():
        first = max(start_date, start)
        last = min(end_date - timedelta(days=1) if end_date else end, end)
        bed_days += max((last - first).days + 1, 0)
    rate = len(falls) / bed_days * 1000

    # Then the rate is in a band around the declared mean (small sample)
    assert 0.4 * declared <= rate <= 2.0 * declared


def _stays_and_falls(
    root: Path, providers: set[str]
) -> tuple[dict[str, tuple[date, date | None]], set[str]]:
    people: dict[str, tuple[date, date | None]] = {}
    falls: set[str] = set()
    for container in containers(root):
        files = read_package(root, container)
        if json.loads(files["manifest.json"])["provider_id"] not in providers:
            continue
        for row in csv.DictReader(decode(files["people.csv"]).splitlines()):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["start_date"]):
                ended = date.fromisoformat(row["end_date"]) if row["end_date"] else None
                people[row["person_id"]] = (date.fromisoformat(row["start_date"]), ended)
        frame = pl.read_csv(decode(files["incidents.csv"]).encode(), infer_schema=False)
        kept = frame.filter(
            (pl.col("incident_type").str.strip_chars().str.to_lowercase() == "fall")
            & pl.col("person_id").is_not_null()
        )
        falls.update(kept["record_uid"].to_list())
    return people, falls


def test_icb_inputs_have_their_real_shapes(small_run: Path) -> None:
    lines = (small_run / "cqc_directory.csv").read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[4]]))
    for column in (
        "Location ID",
        "Dormant (Y/N)",
        "Care homes beds",
        "Location ONSPD CCG Code",
        "Location Inspection Directorate",
        "Provider ID",
        "Provider Name",
    ):
        assert column in header
    lookup = pl.read_csv(small_run / "sub_icb_lookup.csv", infer_schema=False)
    assert "QZZ" in lookup["icb_ods_code"].to_list()
    assert "2026-04-01" in lookup["valid_from"].to_list()
    returns = pl.read_csv(small_run / "adoption_returns.csv", infer_schema=False)
    assert set(returns["Use a Digital Social Care Record system?"].unique()) <= {"Yes", "No"}
    costs = list((small_run / "costs").glob("costs_*.csv"))
    assert costs
    first = pl.read_csv(costs[0], infer_schema=False)
    assert {"handsets", "subscription", "digitisation of paper records"} <= set(first["item"])
