"""Versions, duplicates, conflicts, references and package order through the real nightly load.

Each test writes small ODE-1 packages (``odepackages``), runs ``run_nightly`` into a fresh
DuckDB file and reads the published warehouse. Where the outcome must not depend on whether
packages arrive in one night or on separate nights, the test runs both ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import pytest
from conftest import make_config
from odepackages import (
    LOCATION,
    OTHER_LOCATION,
    OTHER_PROVIDER,
    PROVIDER,
    care_note,
    csv_bytes,
    location,
    occupancy,
    person,
    query,
    staff,
    write_package,
)

from data_contracts.ode1 import ENTITY_ORDER
from pipelines.runner import RunSummary, run_nightly

pytestmark = pytest.mark.integration

DELIVERY = pytest.mark.parametrize("separate_runs", [False, True], ids=["one-run", "two-runs"])


def _base(**files: object) -> dict[str, object]:
    """The location, person P1 and staff S1 of PROVIDER, plus ``files``."""
    return {
        "locations.csv": [location()],
        "people.csv": [person()],
        "staff.csv": [staff()],
        **{f"{name}.csv": rows for name, rows in files.items()},
    }


def _package(extract_id: str, day: int, files: Mapping[str, object], **kwargs: object) -> dict:
    """write_package arguments for a package generated on ``day`` July 2025 at 02:00 UTC."""
    return {
        "extract_id": extract_id,
        "generated_at": f"2025-07-{day:02d}T02:00:00Z",
        "files": files,
        **kwargs,
    }


class Warehouse:
    """A warehouse in ``tmp_path`` fed from an inbox there."""

    def __init__(self, root: Path) -> None:
        self.inbox = root / "inbox"
        self.inbox.mkdir()
        self.path = root / "carelens.duckdb"
        self.runs: list[RunSummary] = []

    def deliver(self, packages: Sequence[dict], *, separate_runs: bool = False) -> RunSummary:
        """Write ``packages`` into the inbox and load them (each in its own run if asked)."""
        for arguments in packages:
            write_package(self.inbox, **arguments)
            if separate_runs:
                self.load()
        if not separate_runs:
            self.load()
        return self.runs[-1]

    def load(self) -> RunSummary:
        """One nightly run over the whole inbox; checks accounting before returning."""
        summary = run_nightly(inbox=self.inbox, config=make_config(self.path))
        assert summary.failure is None, summary.failure
        self.runs.append(summary)
        self.check_accounting(summary)
        return summary

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Rows of ``sql`` against the published warehouse."""
        return query(self.path, sql, params)

    def file(self, export_id: str, name: str, run: RunSummary | None = None) -> dict[str, object]:
        """The audit.load_files row of one file in ``run`` (default: the last run)."""
        run_id = (run or self.runs[-1]).run_id
        cursor_rows = self.rows(
            "select rows_read, rows_loaded, duplicates_skipped, rows_quarantined, status, "
            "rejection_reason from audit.load_files where run_id = ? and export_id = ? "
            "and file_name = ?",
            [run_id, export_id, name],
        )
        assert len(cursor_rows) == 1, (export_id, name, cursor_rows)
        keys = ("read", "loaded", "duplicates", "quarantined", "status", "reason")
        return dict(zip(keys, cursor_rows[0], strict=True))

    def quarantine(self, name: str) -> list[tuple[str, int, str, str]]:
        """(export_id, line, rule, reason) of every quarantined row of file ``name``."""
        return self.rows(
            "select export_id, line_number, rule, reason from audit.quarantine "
            "where file_name = ? order by export_id, line_number",
            [name],
        )

    def check_accounting(self, summary: RunSummary) -> None:
        """Rows read = loaded + duplicates + quarantined, in the summary and in the audit."""
        for outcome in summary.files:
            assert outcome.balances, outcome
        audited = self.rows(
            "select export_id, file_name, rows_read, rows_loaded, duplicates_skipped, "
            "rows_quarantined from audit.load_files where run_id = ?",
            [summary.run_id],
        )
        assert len(audited) == len(summary.files)
        for export_id, name, read, loaded, duplicates, quarantined in audited:
            assert read == loaded + duplicates + quarantined, (export_id, name)
            ((listed,),) = self.rows(
                "select count(*) from audit.quarantine where run_id = ? and export_id = ? "
                "and file_name = ?",
                [summary.run_id, export_id, name],
            )
            assert listed == quarantined, (export_id, name)
        for entity in ENTITY_ORDER:
            ((loaded_total,),) = self.rows(
                "select coalesce(sum(rows_loaded), 0) from audit.load_files where entity = ?",
                [entity.name],
            )
            ((in_staging,),) = self.rows(f"select count(*) from staging.{entity.name}")
            assert loaded_total == in_staging, entity.name
        ((logged_exit,),) = self.rows(
            "select exit_code from audit.load_runs where run_id = ?", [summary.run_id]
        )
        assert logged_exit == summary.exit_code


def _export(extract_id: str, provider: str = PROVIDER) -> str:
    return f"{provider}_2025-06-30_{extract_id}"


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    """An empty warehouse and inbox."""
    return Warehouse(tmp_path)


# Versions


@DELIVERY
def test_higher_version_in_a_later_package_becomes_current(
    warehouse: Warehouse, separate_runs: bool
) -> None:
    # Given N1 version 1 in package A and version 2 (another category) in package B
    first = _package("0001", 1, _base(care_notes=[care_note()]))
    second = _package("0002", 2, {"care_notes.csv": [care_note(version="2", category="skin")]})

    # When both are loaded
    summary = warehouse.deliver([first, second], separate_runs=separate_runs)

    # Then core holds version 2 and staging keeps both versions
    assert warehouse.rows("select record_uid, version, category from core.care_notes") == [
        ("N1", 2, "skin")
    ]
    assert warehouse.rows("select version, export_id from staging.care_notes order by version") == [
        (1, _export("0001")),
        (2, _export("0002")),
    ]
    assert warehouse.file(_export("0002"), "care_notes.csv", summary)["loaded"] == 1
    assert summary.exit_code == 0


@DELIVERY
def test_lower_version_arriving_later_is_history_not_current(
    warehouse: Warehouse, separate_runs: bool
) -> None:
    # Given version 2 delivered first and version 1 of the same record afterwards
    first = _package("0001", 1, _base(care_notes=[care_note(version="2", category="skin")]))
    second = _package("0002", 2, {"care_notes.csv": [care_note(version="1")]})

    # When both are loaded
    warehouse.deliver([first, second], separate_runs=separate_runs)

    # Then version 2 stays current and version 1 is kept as history
    assert warehouse.rows("select version, category from core.care_notes") == [(2, "skin")]
    ((versions,),) = warehouse.rows("select count(*) from staging.care_notes")
    assert versions == 2


@DELIVERY
def test_entered_in_error_version_retracts_the_record(
    warehouse: Warehouse, separate_runs: bool
) -> None:
    # Given N1 version 1, then version 2 marked entered_in_error
    first = _package("0001", 1, _base(care_notes=[care_note()]))
    second = _package(
        "0002", 2, {"care_notes.csv": [care_note(version="2", status="entered_in_error")]}
    )

    # When both are loaded
    warehouse.deliver([first, second], separate_runs=separate_runs)

    # Then the current row is the retraction, and history keeps the final version
    assert warehouse.rows("select version, status from core.care_notes") == [
        (2, "entered_in_error")
    ]
    assert warehouse.rows("select version, status from staging.care_notes order by version") == [
        (1, "final"),
        (2, "entered_in_error"),
    ]


@DELIVERY
def test_same_version_with_identical_content_later_is_a_duplicate(
    warehouse: Warehouse, separate_runs: bool
) -> None:
    # Given the same N1 version 1, byte for byte, in two packages
    first = _package("0001", 1, _base(care_notes=[care_note(), care_note(record_uid="N2")]))
    second = _package("0002", 2, {"care_notes.csv": [care_note()]})

    # When both are loaded
    summary = warehouse.deliver([first, second], separate_runs=separate_runs)

    # Then the repeat is counted as a duplicate and stored once
    assert warehouse.file(_export("0002"), "care_notes.csv", summary) == {
        "read": 1,
        "loaded": 0,
        "duplicates": 1,
        "quarantined": 0,
        "status": "loaded",
        "reason": None,
    }
    assert warehouse.rows(
        "select record_uid, count(*) from staging.care_notes group by all order by 1"
    ) == [("N1", 1), ("N2", 1)]
    assert summary.exit_code == 0


@DELIVERY
def test_same_version_with_different_content_later_is_a_quarantined_conflict(
    warehouse: Warehouse, separate_runs: bool
) -> None:
    # Given N1 version 1, then N1 version 1 again with another category
    first = _package("0001", 1, _base(care_notes=[care_note()]))
    second = _package("0002", 2, {"care_notes.csv": [care_note(category="skin")]})

    # When both are loaded
    summary = warehouse.deliver([first, second], separate_runs=separate_runs)

    # Then the newcomer is quarantined as a conflict, and the first version stays
    quarantined = warehouse.quarantine("care_notes.csv")
    assert [(export, line, rule) for export, line, rule, _ in quarantined] == [
        (_export("0002"), 2, "conflict")
    ]
    assert "N1" in quarantined[0][3]
    assert warehouse.rows("select category, export_id from core.care_notes") == [
        ("hydration", _export("0001"))
    ]
    ((stored,),) = warehouse.rows("select count(*) from staging.care_notes")
    assert stored == 1
    assert warehouse.file(_export("0002"), "care_notes.csv", summary)["status"] == "partial"
    assert summary.exit_code == 1


def test_duplicate_and_conflict_inside_one_file(warehouse: Warehouse) -> None:
    # Given one file holding N1 three times (line 3 identical to line 2, line 4 different)
    notes = [care_note(), care_note(), care_note(category="skin"), care_note(record_uid="N2")]

    # When it is loaded
    summary = warehouse.deliver([_package("0001", 1, _base(care_notes=notes))])

    # Then the first N1 loads, the identical one is a duplicate, the different one a conflict
    assert warehouse.file(_export("0001"), "care_notes.csv") == {
        "read": 4,
        "loaded": 2,
        "duplicates": 1,
        "quarantined": 1,
        "status": "partial",
        "reason": None,
    }
    assert [(line, rule) for _, line, rule, _ in warehouse.quarantine("care_notes.csv")] == [
        (4, "conflict")
    ]
    assert warehouse.rows("select record_uid, category from core.care_notes order by 1") == [
        ("N1", "hydration"),
        ("N2", "hydration"),
    ]
    assert summary.exit_code == 1


def test_same_key_twice_in_one_file_of_a_non_versioned_entity(warehouse: Warehouse) -> None:
    # Given people.csv holding P1 twice identically and P2 twice with different start dates
    people = [
        person(),
        person(),
        person(person_id="P2", nhs_number=None),
        person(person_id="P2", nhs_number=None, start_date="2025-02-01"),
    ]

    # When it is loaded
    warehouse.deliver([_package("0001", 1, {**_base(), "people.csv": people})])

    # Then the repeat is a duplicate and the contradiction is quarantined at its line
    result = warehouse.file(_export("0001"), "people.csv")
    assert (result["loaded"], result["duplicates"], result["quarantined"]) == (2, 1, 1)
    assert [(line, rule) for _, line, rule, _ in warehouse.quarantine("people.csv")] == [
        (5, "conflict")
    ]
    assert warehouse.rows("select person_id, start_date from core.people order by 1") == [
        ("P1", date(2025, 1, 1)),
        ("P2", date(2025, 1, 1)),
    ]


# References


@DELIVERY
def test_reference_to_a_person_from_an_earlier_package_resolves(
    warehouse: Warehouse, separate_runs: bool
) -> None:
    # Given P2 delivered in package A, and a note about P2 in package B only
    first = _package("0001", 1, _base(people=[person(), person(person_id="P2")]))
    second = _package("0002", 2, {"care_notes.csv": [care_note(person_id="P2")]})

    # When both are loaded
    summary = warehouse.deliver([first, second], separate_runs=separate_runs)

    # Then the note loads
    assert warehouse.rows("select person_id from core.care_notes") == [("P2",)]
    assert warehouse.quarantine("care_notes.csv") == []
    assert summary.exit_code == 0


@DELIVERY
def test_reference_to_a_person_only_in_a_later_package_is_quarantined(
    warehouse: Warehouse, separate_runs: bool
) -> None:
    # Given a note about P2 in package A, while P2 arrives only in the later package B
    first = _package(
        "0001", 1, _base(care_notes=[care_note(person_id="P2"), care_note(record_uid="N2")])
    )
    second = _package("0002", 2, {"people.csv": [person(person_id="P2")]})

    # When both are loaded
    summary = warehouse.deliver([first, second], separate_runs=separate_runs)

    # Then the note is quarantined as an unresolved reference, naming the column and value
    quarantined = warehouse.quarantine("care_notes.csv")
    assert [(export, line, rule) for export, line, rule, _ in quarantined] == [
        (_export("0001"), 2, "unresolved_reference")
    ]
    assert "person_id" in quarantined[0][3]
    assert "P2" in quarantined[0][3]
    assert warehouse.rows("select record_uid from core.care_notes") == [("N2",)]
    assert warehouse.runs[0].exit_code == 1
    assert summary.total("rows_quarantined") == (0 if separate_runs else 1)


def test_references_resolve_only_within_the_same_provider(warehouse: Warehouse) -> None:
    # Given P1 and S1 delivered by PROVIDER, and another provider's note about P1 and S1
    mine = _package("0001", 1, _base())
    theirs = _package(
        "0001",
        2,
        {
            "locations.csv": [location(location_id=OTHER_LOCATION)],
            "people.csv": [person(person_id="P7", location_id=OTHER_LOCATION)],
            "care_notes.csv": [
                care_note(location_id=OTHER_LOCATION),
                care_note(
                    record_uid="N2", person_id="P7", staff_id=None, location_id=OTHER_LOCATION
                ),
            ],
        },
        provider_id=OTHER_PROVIDER,
    )

    # When both are loaded
    summary = warehouse.deliver([mine, theirs])

    # Then the other provider's note about P1/S1 is quarantined; its note about P7 loads
    quarantined = warehouse.quarantine("care_notes.csv")
    assert [(export, line, rule) for export, line, rule, _ in quarantined] == [
        (_export("0001", OTHER_PROVIDER), 2, "unresolved_reference")
    ]
    assert "person_id" in quarantined[0][3]
    assert "staff_id" in quarantined[0][3]
    assert warehouse.rows("select provider_id, record_uid, person_id from core.care_notes") == [
        (OTHER_PROVIDER, "N2", "P7")
    ]
    assert summary.exit_code == 1


# Non-versioned entities


@DELIVERY
def test_person_redelivered_unchanged_is_a_duplicate_and_changed_is_loaded(
    warehouse: Warehouse, separate_runs: bool
) -> None:
    # Given P1 in package A, again unchanged in B, then with an end date in C
    ended = person(end_date="2025-06-20", end_reason="discharged")
    packages = [
        _package("0001", 1, _base()),
        _package("0002", 2, {"people.csv": [person()]}),
        _package("0003", 3, {"people.csv": [ended]}),
    ]

    # When they are loaded
    summary = warehouse.deliver(packages, separate_runs=separate_runs)

    # Then B's row is a duplicate, C's row is loaded, and core shows the end of the stay
    runs = warehouse.runs if separate_runs else [summary] * 3
    assert warehouse.file(_export("0002"), "people.csv", runs[1])["duplicates"] == 1
    assert warehouse.file(_export("0003"), "people.csv", runs[2])["loaded"] == 1
    assert warehouse.rows("select person_id, end_date, end_reason from core.people") == [
        ("P1", date(2025, 6, 20), "discharged")
    ]
    assert warehouse.rows("select export_id from staging.people order by export_sequence") == [
        (_export("0001"),),
        (_export("0003"),),
    ]


def test_person_changed_back_to_an_earlier_state_is_loaded(warehouse: Warehouse) -> None:
    # Given P1 ongoing, then ended, then ongoing again (the end was a mistake)
    packages = [
        _package("0001", 1, _base()),
        _package("0002", 2, {"people.csv": [person(end_date="2025-06-20")]}),
        _package("0003", 3, {"people.csv": [person()]}),
    ]

    # When they are loaded
    warehouse.deliver(packages)

    # Then the latest delivery is current, even though it repeats the first one
    assert warehouse.rows("select end_date, export_id from core.people") == [
        (None, _export("0003"))
    ]


def test_occupied_beds_above_registered_beds_are_quarantined(warehouse: Warehouse) -> None:
    # Given a 30-bed home reporting 30 and 31 occupied beds
    rows = [occupancy(occupied_beds="30"), occupancy(date="2025-06-11", occupied_beds="31")]

    # When the package is loaded
    summary = warehouse.deliver([_package("0001", 1, _base(occupancy=rows))])

    # Then 30 loads and 31 is quarantined on its line with the bed count in the reason
    quarantined = warehouse.quarantine("occupancy.csv")
    assert [(line, rule) for _, line, rule, _ in quarantined] == [(3, "range")]
    assert "31" in quarantined[0][3]
    assert "30" in quarantined[0][3]
    assert warehouse.rows("select date, occupied_beds from core.occupancy") == [
        (date(2025, 6, 10), 30)
    ]
    assert summary.exit_code == 1


# Package order and re-delivery


def test_packages_apply_in_generated_at_order_not_extract_id_order(warehouse: Warehouse) -> None:
    # Given package 0009 generated on 1 July and package 0002 generated on 2 July,
    # each with its own state of P1 and its own content for N1 version 1
    earlier = _package("0009", 1, _base(care_notes=[care_note()], people=[person()]))
    later = _package(
        "0002",
        2,
        {
            "people.csv": [person(end_date="2025-06-20")],
            "care_notes.csv": [care_note(category="skin")],
        },
    )

    # When both are loaded in one run
    warehouse.deliver([later, earlier])

    # Then 0009 was applied first: 0002's person is current and its N1 is the conflict
    assert warehouse.rows("select export_id from audit.packages order by sequence") == [
        (_export("0009"),),
        (_export("0002"),),
    ]
    assert warehouse.rows("select end_date from core.people") == [(date(2025, 6, 20),)]
    assert [(export, rule) for export, _, rule, _ in warehouse.quarantine("care_notes.csv")] == [
        (_export("0002"), "conflict")
    ]
    assert warehouse.rows("select category from core.care_notes") == [("hydration",)]


def test_package_already_loaded_is_skipped_in_a_later_run(warehouse: Warehouse) -> None:
    # Given a package loaded in a first run
    warehouse.deliver([_package("0001", 1, _base(care_notes=[care_note()]))])
    before = warehouse.rows("select count(*) from staging.care_notes")

    # When the same export (same provider_id and extract_id) arrives again under another
    # folder name, with changed content, and a second run goes
    write_package(
        warehouse.inbox / "resent",
        extract_id="0001",
        files=_base(care_notes=[care_note(category="skin")]),
        generated_at="2025-07-05T02:00:00Z",
    )
    summary = warehouse.load()

    # Then both copies are skipped as already loaded, and nothing changes
    assert summary.packages_skipped == 2
    assert summary.packages_loaded == 0
    statuses = warehouse.rows(
        "select distinct status from audit.load_files where run_id = ?", [summary.run_id]
    )
    assert statuses == [("skipped_already_loaded",)]
    assert warehouse.rows("select count(*) from staging.care_notes") == before
    assert warehouse.rows("select category from core.care_notes") == [("hydration",)]
    assert summary.exit_code == 0


# File-level rules and exit codes


def test_file_missing_a_required_column_is_rejected_and_the_rest_of_the_package_loads(
    warehouse: Warehouse,
) -> None:
    # Given a care_notes.csv without the required category column
    notes = [{k: v for k, v in care_note().items() if k != "category"}]

    # When the package is loaded
    summary = warehouse.deliver([_package("0001", 1, _base(care_notes=notes))])

    # Then that file is rejected naming the column, and the other files load
    result = warehouse.file(_export("0001"), "care_notes.csv")
    assert result["status"] == "rejected"
    assert "category" in str(result["reason"])
    assert "missing_column" in str(result["reason"])
    assert result["loaded"] == 0
    for name in ("locations.csv", "people.csv", "staff.csv"):
        assert warehouse.file(_export("0001"), name)["status"] == "loaded"
    assert warehouse.rows("select count(*) from core.people") == [(1,)]
    assert warehouse.rows("select count(*) from staging.care_notes") == [(0,)]
    assert summary.exit_code == 2


def test_unknown_extra_column_is_ignored_with_a_warning(warehouse: Warehouse) -> None:
    # Given a care_notes.csv with a column the spec does not name
    notes = [{**care_note(), "Mood Score": "7"}]

    # When it is loaded
    summary = warehouse.deliver([_package("0001", 1, _base(care_notes=notes))])

    # Then the row loads and a file-level warning names the column
    assert warehouse.file(_export("0001"), "care_notes.csv")["loaded"] == 1
    warnings = warehouse.rows(
        "select rule, message, line_number from audit.warnings where file_name = 'care_notes.csv'"
    )
    assert len(warnings) == 1
    rule, message, line = warnings[0]
    assert rule == "unknown_column"
    assert "mood score" in message
    assert line is None
    assert summary.exit_code == 0


def test_clean_load_exits_0(warehouse: Warehouse) -> None:
    summary = warehouse.deliver([_package("0001", 1, _base(care_notes=[care_note()]))])

    assert summary.exit_code == 0
    assert summary.status == "clean"
    assert summary.total("rows_loaded") == 4


def test_load_with_quarantined_rows_exits_1(warehouse: Warehouse) -> None:
    notes = [care_note(), care_note(record_uid="N2", category="dancing")]

    summary = warehouse.deliver([_package("0001", 1, _base(care_notes=notes))])

    assert summary.exit_code == 1
    assert [(line, rule) for _, line, rule, _ in warehouse.quarantine("care_notes.csv")] == [
        (3, "unknown_code")
    ]


def test_rejected_package_exits_2_and_loads_nothing_from_it(warehouse: Warehouse) -> None:
    # Given a good package and one whose care_notes.csv changed after its manifest was written
    good = _package("0001", 1, _base())
    bad = _package("0002", 2, {"care_notes.csv": [care_note()]})
    warehouse.deliver([good, bad][:1])
    broken = write_package(warehouse.inbox, **bad)
    (broken / "care_notes.csv").write_bytes(csv_bytes([care_note(category="skin")]))

    # When the inbox is loaded again
    summary = warehouse.load()

    # Then the package is rejected whole with the reason, and nothing of it loads
    assert summary.exit_code == 2
    assert summary.packages_rejected == 1
    result = warehouse.file(_export("0002"), "care_notes.csv")
    assert result["status"] == "rejected"
    assert "sha256" in str(result["reason"])
    assert warehouse.rows("select count(*) from staging.care_notes") == [(0,)]


def test_rejected_file_in_an_otherwise_good_load_exits_2(warehouse: Warehouse) -> None:
    # Given a package with one file in UTF-16 (rejected for its encoding)
    files = _base(care_notes=[care_note()])
    files["staff.csv"] = b"\xff\xfe" + "staff_id\r\nS1\r\n".encode("utf-16-le")

    # When it is loaded
    summary = warehouse.deliver([_package("0001", 1, files, row_counts={"staff.csv": 1})])

    # Then the file is rejected for its encoding, and the note that needs S1 is quarantined
    result = warehouse.file(_export("0001"), "staff.csv")
    assert result["status"] == "rejected"
    assert "encoding" in str(result["reason"])
    assert [rule for _, _, rule, _ in warehouse.quarantine("care_notes.csv")] == [
        "unresolved_reference"
    ]
    assert summary.exit_code == 2


def test_location_reference_in_people_must_resolve(warehouse: Warehouse) -> None:
    # Given a person at a location the provider never delivered
    people = [person(), person(person_id="P2", location_id="1-999999999")]

    # When it is loaded
    warehouse.deliver([_package("0001", 1, _base(people=people))])

    # Then that person is quarantined with the location named
    quarantined = warehouse.quarantine("people.csv")
    assert [(line, rule) for _, line, rule, _ in quarantined] == [(3, "unresolved_reference")]
    assert "location_id" in quarantined[0][3]
    assert LOCATION not in quarantined[0][3]
