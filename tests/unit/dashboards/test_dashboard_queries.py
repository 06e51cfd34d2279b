from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from audit_sample import (
    ADMIN,
    EXPORT_A2,
    EXPORT_B2,
    ICB_LEAD_A,
    ICB_LEAD_B,
    INSPECTOR_A,
    LOCATION_A1,
    OWNER_A,
    OWNER_B,
    PROVIDER_A,
    PROVIDER_B,
    PROVIDER_C,
    QUALITY_LEAD_A1,
    QUARANTINED_A1,
    RUN_1,
    RUN_2,
    RUN_3,
    identity_for,
    write_audit_warehouse,
)

from dashboards import queries
from dashboards.access import AccessDeniedError
from dashboards.errors import WarehouseNotReadyError, WarehouseUnavailableError
from dashboards.queries import QueryAudit, WarehouseReader
from dashboards.roles import Audience, Identity, Role, Scope


class TestWarehouseReader:
    def test_missing_file_is_not_ready(self, tmp_path: Path) -> None:
        # Given a path where no load has written a warehouse
        reader = WarehouseReader(tmp_path / "absent.duckdb")

        # When / Then
        with pytest.raises(WarehouseNotReadyError, match="carelens load INBOX"):
            queries.operations_load_runs(reader=reader, identity=ADMIN)
        assert not (tmp_path / "absent.duckdb").exists()

    def test_warehouse_without_audit_tables_is_not_ready(self, tmp_path: Path) -> None:
        # Given a DuckDB file with no audit schema
        path = tmp_path / "empty.duckdb"
        duckdb.connect(str(path)).close()

        # When / Then
        with pytest.raises(WarehouseNotReadyError):
            queries.operations_load_runs(reader=WarehouseReader(path), identity=ADMIN)

    def test_file_that_is_not_duckdb_is_unavailable(self, tmp_path: Path) -> None:
        # Given a file that is not a DuckDB database
        path = tmp_path / "carelens.duckdb"
        path.write_text("not a database")

        # When / Then
        with pytest.raises(WarehouseUnavailableError, match="could not be opened"):
            queries.operations_load_runs(reader=WarehouseReader(path), identity=ADMIN)

    def test_rejects_query_names_that_are_paths(self, reader: WarehouseReader) -> None:
        with pytest.raises(ValueError, match="not a query name"):
            reader.query("../operations_load_runs", identity=ADMIN)

    def test_connection_is_read_only(self, reader: WarehouseReader, tmp_path: Path) -> None:
        # Given a query file that tries to write
        sql_dir = tmp_path / "sql"
        sql_dir.mkdir()
        (sql_dir / "vandal.sql").write_text("-- audience: operations\ndelete from audit.load_runs")
        vandal = WarehouseReader(reader.warehouse_path, sql_dir=sql_dir)

        # When / Then
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            vandal.query("vandal", identity=ADMIN)
        assert queries.operations_load_runs(reader=reader, identity=ADMIN).height == 3

    def test_sees_a_warehouse_published_by_rename(self, tmp_path: Path) -> None:
        # Given the reader has read the current warehouse
        reader = WarehouseReader(write_audit_warehouse(tmp_path / "carelens.duckdb"))
        assert queries.operations_load_runs(reader=reader, identity=ADMIN).height == 3

        # When a new warehouse with one more run is renamed over it
        new = write_audit_warehouse(tmp_path / "next.duckdb")
        with duckdb.connect(str(new)) as connection:
            connection.execute(
                "insert into audit.load_runs (run_id, started_at, inbox, status, exit_code)"
                " values ('20261124T020000Z-dddd', '2026-11-24 02:00:00+00', 'inbox', 'clean', 0)"
            )
        os.replace(new, reader.warehouse_path)

        # Then the next query sees the new run
        assert queries.operations_load_runs(reader=reader, identity=ADMIN).height == 4

    def test_reports_every_query_with_its_identity_audience_and_rows(
        self, warehouse_path: Path
    ) -> None:
        # Given a reader that reports its queries
        reported: list[QueryAudit] = []
        reader = WarehouseReader(warehouse_path, on_query=reported.append)

        # When an owner and an ICB lead read
        queries.quarantine_rows(reader=reader, identity=OWNER_A, run_id=RUN_2)
        queries.icb_provider_loads(reader=reader, identity=ICB_LEAD_A)

        # Then each query is reported once, with its row count
        assert reported == [
            QueryAudit(OWNER_A, "provider_quarantine_rows", Audience.PERSON, 13),
            QueryAudit(ICB_LEAD_A, "icb_provider_loads", Audience.ICB, 2),
        ]

    def test_a_refused_query_is_not_run_or_reported(self, warehouse_path: Path) -> None:
        reported: list[QueryAudit] = []
        reader = WarehouseReader(warehouse_path, on_query=reported.append)

        with pytest.raises(AccessDeniedError):
            queries.quarantine_rows(reader=reader, identity=ICB_LEAD_A, run_id=RUN_2)

        assert reported == []


class TestAudiences:
    @pytest.mark.parametrize(
        ("identity", "allowed"),
        [
            (OWNER_A, {"provider", "person"}),
            (QUALITY_LEAD_A1, {"provider", "person"}),
            (INSPECTOR_A, {"provider", "person"}),
            (ICB_LEAD_A, {"icb"}),
            (ADMIN, {"operations"}),
        ],
    )
    def test_each_role_reads_only_its_audiences(
        self, reader: WarehouseReader, identity: Identity, allowed: set[str]
    ) -> None:
        # Given one query of each data audience
        attempts = {
            "provider": lambda: queries.provider_load_runs(reader=reader, identity=identity),
            "person": lambda: queries.load_warnings(reader=reader, identity=identity, run_id=RUN_2),
            "icb": lambda: queries.icb_provider_loads(reader=reader, identity=identity),
            "operations": lambda: queries.operations_load_runs(reader=reader, identity=identity),
        }

        # When the identity tries each
        outcomes = {}
        for audience, attempt in attempts.items():
            try:
                attempt()
                outcomes[audience] = True
            except AccessDeniedError:
                outcomes[audience] = False

        # Then exactly its audiences answer
        assert {audience for audience, ran in outcomes.items() if ran} == allowed

    def test_an_admin_with_a_data_role_reads_both(self, reader: WarehouseReader) -> None:
        both = Identity(
            "owner-admin", frozenset({Role.OWNER, Role.ADMIN}), Scope(provider_id=PROVIDER_B)
        )

        runs = queries.provider_load_runs(reader=reader, identity=both)
        everything = queries.operations_load_runs(reader=reader, identity=both)

        assert runs["run_id"].to_list() == [RUN_3, RUN_2, RUN_1]
        assert everything.height == 3

    def test_a_provider_role_without_a_provider_is_refused(self, reader: WarehouseReader) -> None:
        scopeless = Identity("odd", frozenset({Role.OWNER}), Scope())

        with pytest.raises(AccessDeniedError):
            queries.provider_load_runs(reader=reader, identity=scopeless)


class TestOperationsView:
    def test_load_runs_are_install_wide_newest_first(self, reader: WarehouseReader) -> None:
        runs = queries.operations_load_runs(reader=reader, identity=ADMIN)

        assert runs["run_id"].to_list() == [RUN_3, RUN_2, RUN_1]
        assert runs["rows_quarantined"].to_list() == [0, 18, 0]

    def test_files_of_a_run_name_their_providers(self, reader: WarehouseReader) -> None:
        files = queries.operations_load_files(reader=reader, identity=ADMIN, run_id=RUN_2)

        assert files.select("provider_id", "file_name", "rows_quarantined").rows() == [
            (PROVIDER_A, "care_notes.csv", 13),
            (PROVIDER_A, "incidents.csv", 0),
            (PROVIDER_B, "care_notes.csv", 4),
            (PROVIDER_C, "care_notes.csv", 1),
            (PROVIDER_C, "locations.csv", 0),
            (None, "cqc_directory_2026-11.csv", 0),
        ]

    def test_table_checks_failures_first(self, reader: WarehouseReader) -> None:
        checks = queries.table_checks(reader=reader, identity=ADMIN, run_id=RUN_2)

        assert checks["success"].to_list() == [False, True]


class TestProviderView:
    def test_runs_are_those_that_touched_the_provider_with_its_figures_only(
        self, reader: WarehouseReader
    ) -> None:
        # When owner A reads the load history
        runs = queries.provider_load_runs(reader=reader, identity=OWNER_A)

        # Then RUN_3 (B's only) is absent and the counts are A's own: RUN_2 read 22 + 4 rows
        assert runs.select(
            "run_id", "status", "packages_loaded", "rows_read", "rows_loaded", "rows_quarantined"
        ).rows() == [
            (RUN_2, "quarantined", 1, 26, 11, 13),
            (RUN_1, "clean", 1, 1002, 1002, 0),
        ]
        assert "message" not in runs.columns
        assert "checks_passed" not in runs.columns

    def test_a_rejected_file_makes_the_run_rejected_for_its_provider(
        self, reader: WarehouseReader
    ) -> None:
        runs = queries.provider_load_runs(reader=reader, identity=OWNER_B)

        assert runs.select("run_id", "status", "packages_rejected").rows()[0] == (
            RUN_3,
            "rejected",
            1,
        )

    def test_files_of_another_providers_run_are_empty(self, reader: WarehouseReader) -> None:
        assert queries.provider_load_files(reader=reader, identity=OWNER_A, run_id=RUN_3).is_empty()

    def test_files_are_the_providers_only(self, reader: WarehouseReader) -> None:
        files = queries.provider_load_files(reader=reader, identity=OWNER_A, run_id=RUN_2)

        assert files.select("export_id", "file_name", "rows_quarantined").rows() == [
            (EXPORT_A2, "care_notes.csv", 13),
            (EXPORT_A2, "incidents.csv", 0),
        ]

    def test_quarantine_counts_are_the_providers_only(self, reader: WarehouseReader) -> None:
        reasons = queries.quarantine_reasons(reader=reader, identity=OWNER_B, run_id=RUN_2)

        assert reasons.select("rule", "export_id", "rows_count").rows() == [
            ("date_format", EXPORT_B2, 4)
        ]
        assert queries.quarantine_count(reader=reader, identity=OWNER_B, run_id=RUN_2) == 4

    def test_quarantined_rows_in_file_order_within_the_limit(self, reader: WarehouseReader) -> None:
        rows = queries.quarantine_rows(reader=reader, identity=OWNER_A, run_id=RUN_2, row_limit=3)

        assert rows.select("line_number", "location_id").rows() == [
            (2, LOCATION_A1),
            (3, LOCATION_A1),
            (4, LOCATION_A1),
        ]
        assert queries.quarantine_count(reader=reader, identity=OWNER_A, run_id=RUN_2) == 13

    def test_a_run_id_is_bound_not_interpolated(self, reader: WarehouseReader) -> None:
        rows = queries.quarantine_rows(reader=reader, identity=OWNER_A, run_id="x' or '1'='1")

        assert rows.is_empty()

    def test_warnings_are_those_of_the_providers_exports(self, reader: WarehouseReader) -> None:
        warnings = queries.load_warnings(reader=reader, identity=OWNER_A, run_id=RUN_2)

        assert warnings.select("export_id", "line_number", "rule").rows() == [
            (EXPORT_A2, None, "extra_columns"),
            (EXPORT_A2, 20, "ambiguous_local_time"),
            (EXPORT_A2, 21, "ambiguous_local_time"),
        ]

    def test_scope_cannot_be_passed_by_the_caller(self, reader: WarehouseReader) -> None:
        with pytest.raises(ValueError, match="scope parameters come from the identity"):
            reader.query(
                "provider_load_files",
                identity=OWNER_A,
                run_id=RUN_2,
                scope_provider_id=PROVIDER_B,
            )


class TestQualityLeadLimitedToLocations:
    def test_sees_quarantined_rows_of_its_locations_only(self, reader: WarehouseReader) -> None:
        # When the quality lead of A's first location reads the quarantined rows
        rows = queries.quarantine_rows(reader=reader, identity=QUALITY_LEAD_A1, run_id=RUN_2)

        # Then only the 8 rows at that location come back (not the 4 at A2 nor the 1 without)
        assert rows["location_id"].unique().to_list() == [LOCATION_A1]
        assert [reason.rsplit(" ", 1)[1] for reason in rows["reason"]] == QUARANTINED_A1
        assert queries.quarantine_count(reader=reader, identity=QUALITY_LEAD_A1, run_id=RUN_2) == 8
        reasons = queries.quarantine_reasons(reader=reader, identity=QUALITY_LEAD_A1, run_id=RUN_2)
        assert reasons["rows_count"].to_list() == [8]

    def test_sees_warnings_on_rows_of_its_locations_only(self, reader: WarehouseReader) -> None:
        warnings = queries.load_warnings(reader=reader, identity=QUALITY_LEAD_A1, run_id=RUN_2)

        assert warnings.select("export_id", "line_number").rows() == [(EXPORT_A2, 20)]

    def test_two_locations_see_both(self, reader: WarehouseReader) -> None:
        lead = identity_for(Role.QUALITY_LEAD, location_ids=frozenset({LOCATION_A1, "1-201000002"}))

        rows = queries.quarantine_rows(reader=reader, identity=lead, run_id=RUN_2)
        warnings = queries.load_warnings(reader=reader, identity=lead, run_id=RUN_2)

        assert rows.height == 12
        assert warnings["line_number"].to_list() == [20, 21]


class TestIcbView:
    def test_providers_in_the_icb_are_disclosure_controlled(self, reader: WarehouseReader) -> None:
        # When the lead of ICB A (providers A and C) reads the provider table
        providers = queries.icb_provider_loads(reader=reader, identity=ICB_LEAD_A)

        # Then (hand-worked) A read 2 + 1000 + 22 + 4 = 1028 -> 1030, loaded 1013 -> 1015,
        # quarantined 13 -> 15, 2 packages -> suppressed; share 13 / 1028 from unrounded counts.
        # C read 1 + 6 = 7, loaded 6, quarantined 1: all suppressed, and so is its share
        assert providers.select(
            "provider_id", "packages_loaded", "rows_read", "rows_loaded", "rows_quarantined"
        ).rows() == [
            (PROVIDER_A, None, 1030, 1015, 15),
            (PROVIDER_C, None, None, None, None),
        ]
        assert providers["share_quarantined"][0] == pytest.approx(13 / 1028)
        assert providers["share_quarantined"][1] is None

    def test_another_icb_sees_only_its_provider(self, reader: WarehouseReader) -> None:
        # B read 1 + 2000 + 218 + 50 = 2269 -> 2270, loaded 2211 -> 2210, quarantined 4 -> [c]
        providers = queries.icb_provider_loads(reader=reader, identity=ICB_LEAD_B)

        assert providers.select(
            "provider_id", "rows_read", "rows_loaded", "rows_quarantined"
        ).rows() == [(PROVIDER_B, 2270, 2210, None)]
        assert providers["share_quarantined"].to_list() == [None]

    def test_an_icb_with_no_providers_is_empty(self, reader: WarehouseReader) -> None:
        nobody = identity_for(Role.ICB_LEAD, code="QZZ")

        assert queries.icb_provider_loads(reader=reader, identity=nobody).is_empty()
