"""The reader's declarations: every query names its audience, and ICB results fail closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_sample import ADMIN, ICB_LEAD_A, OWNER_A, QUALITY_LEAD_A1

from dashboards.queries import DisclosureError, QueryDeclarationError, WarehouseReader
from dashboards.queries.reader import SQL_DIR, parse_header
from dashboards.roles import Audience


def _reader(warehouse_path: Path, tmp_path: Path, **queries: str) -> WarehouseReader:
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir(exist_ok=True)
    for name, sql in queries.items():
        (sql_dir / f"{name}.sql").write_text(sql)
    return WarehouseReader(warehouse_path, sql_dir=sql_dir)


ICB_PROVIDERS = (
    "with providers as (select distinct provider_id from core.locations"
    " where icb_code = $scope_icb_code)\n"
)


class TestHeaders:
    def test_every_packaged_query_declares_a_known_audience(self) -> None:
        names = sorted(path.stem for path in SQL_DIR.glob("*.sql"))

        audiences = {
            name: WarehouseReader(Path("unused"), sql_dir=SQL_DIR).header(name).audience
            for name in names
        }

        assert len(names) >= 10
        assert set(audiences.values()) <= set(Audience)

    def test_a_query_without_an_audience_is_refused(
        self, warehouse_path: Path, tmp_path: Path
    ) -> None:
        reader = _reader(warehouse_path, tmp_path, bare="select 1 as one")

        with pytest.raises(QueryDeclarationError, match="declares no audience"):
            reader.query("bare", identity=ADMIN)

    def test_an_unknown_audience_is_refused(self, warehouse_path: Path, tmp_path: Path) -> None:
        reader = _reader(warehouse_path, tmp_path, odd="-- audience: everyone\nselect 1 as one")

        with pytest.raises(QueryDeclarationError, match="unknown audience 'everyone'"):
            reader.query("odd", identity=ADMIN)

    def test_the_header_must_come_first(self) -> None:
        with pytest.raises(QueryDeclarationError, match="declares no audience"):
            parse_header("select 1\n-- audience: operations", name="late")

    def test_a_rate_must_be_over_declared_counts(self) -> None:
        with pytest.raises(QueryDeclarationError, match="rate"):
            parse_header(
                "-- audience: icb\n-- counts: a\n-- rates: share = a / b\nselect 1", name="r"
            )

    def test_only_icb_queries_declare_counts(self) -> None:
        with pytest.raises(QueryDeclarationError, match="only icb queries"):
            parse_header("-- audience: provider\n-- counts: a\nselect 1", name="c")

    def test_parses_counts_rates_and_not_counts(self) -> None:
        header = parse_header(
            "-- audience: icb\n-- counts: a, b\n-- rates: share = a / b\n-- not-counts: year\n"
            "select 1",
            name="ok",
        )

        assert (header.audience, header.counts, dict(header.rates), header.not_counts) == (
            Audience.ICB,
            ("a", "b"),
            {"share": ("a", "b")},
            ("year",),
        )


class TestScopeFilters:
    def test_a_provider_query_that_ignores_the_provider_is_refused(
        self, warehouse_path: Path, tmp_path: Path
    ) -> None:
        reader = _reader(
            warehouse_path,
            tmp_path,
            leaky="-- audience: provider\nselect export_id from audit.load_files",
        )

        with pytest.raises(QueryDeclarationError, match="ignores"):
            reader.query("leaky", identity=OWNER_A)

    def test_a_person_query_must_honour_location_limits(
        self, warehouse_path: Path, tmp_path: Path
    ) -> None:
        reader = _reader(
            warehouse_path,
            tmp_path,
            rows="-- audience: person\n"
            "select reason from audit.quarantine where provider_id = $scope_provider_id",
        )

        with pytest.raises(QueryDeclarationError, match="scope_location_ids"):
            reader.query("rows", identity=QUALITY_LEAD_A1)

    def test_a_scope_named_only_in_a_comment_does_not_count(
        self, warehouse_path: Path, tmp_path: Path
    ) -> None:
        reader = _reader(
            warehouse_path,
            tmp_path,
            sly="-- audience: provider\n-- filters by $scope_provider_id\n"
            "select export_id from audit.load_files",
        )

        with pytest.raises(QueryDeclarationError, match="ignores"):
            reader.query("sly", identity=OWNER_A)


class TestIcbFailsClosed:
    def test_an_undeclared_integer_column_is_refused(
        self, warehouse_path: Path, tmp_path: Path
    ) -> None:
        reader = _reader(
            warehouse_path,
            tmp_path,
            sneaky="-- audience: icb\n-- counts: rows_read\n-- labels: provider_id\n"
            + ICB_PROVIDERS
            + "select provider_id, sum(rows_read)::bigint as rows_read,"
            " sum(rows_quarantined)::bigint as quarantined"
            " from audit.load_files where provider_id in (select provider_id from providers)"
            " group by provider_id",
        )

        with pytest.raises(DisclosureError, match="'quarantined' is not declared"):
            reader.query("sneaky", identity=ICB_LEAD_A)

    def test_an_undeclared_fraction_is_refused(self, warehouse_path: Path, tmp_path: Path) -> None:
        reader = _reader(
            warehouse_path,
            tmp_path,
            mean="-- audience: icb\n-- labels: provider_id\n"
            + ICB_PROVIDERS
            + "select provider_id, avg(rows_read) as mean_rows from audit.load_files"
            " where provider_id in (select provider_id from providers) group by provider_id",
        )

        with pytest.raises(DisclosureError, match="'mean_rows'"):
            reader.query("mean", identity=ICB_LEAD_A)

    @pytest.mark.parametrize("column", ["person_id", "reason", "record_json", "message"])
    def test_a_person_level_column_is_refused(
        self, warehouse_path: Path, tmp_path: Path, column: str
    ) -> None:
        reader = _reader(
            warehouse_path,
            tmp_path,
            personal="-- audience: icb\n-- labels: provider_id\n"
            + ICB_PROVIDERS
            + f"select provider_id, 'x' as {column} from providers",
        )

        with pytest.raises(DisclosureError, match="person-level"):
            reader.query("personal", identity=ICB_LEAD_A)

    def test_an_undeclared_text_column_is_refused(
        self, warehouse_path: Path, tmp_path: Path
    ) -> None:
        # Given an ICB query that returns a count cast to text, under a name nobody declared
        reader = _reader(
            warehouse_path,
            tmp_path,
            cast="-- audience: icb\n-- labels: provider_id\n"
            + ICB_PROVIDERS
            + "select provider_id, sum(rows_quarantined)::varchar as quarantined_text"
            " from audit.load_files where provider_id in (select provider_id from providers)"
            " group by provider_id",
        )

        # When the ICB lead runs it, Then the reader refuses rather than pass the text on
        with pytest.raises(DisclosureError, match="'quarantined_text' is not declared as a label"):
            reader.query("cast", identity=ICB_LEAD_A)

    def test_declared_counts_are_controlled(self, warehouse_path: Path, tmp_path: Path) -> None:
        # Given a query whose counts are 3 and 1028 and a not-count year
        reader = _reader(
            warehouse_path,
            tmp_path,
            fine="-- audience: icb\n-- counts: small, large\n-- not-counts: year\n"
            + ICB_PROVIDERS
            + "select 3 as small, 1028 as large, 2026 as year"
            " where $scope_icb_code is not null",
        )

        # When the ICB lead runs it
        frame = reader.query("fine", identity=ICB_LEAD_A)

        # Then the counts are controlled and the year is left alone
        assert frame.row(0) == (None, 1030, 2026)
