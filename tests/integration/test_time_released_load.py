"""Time released on a generated ICB: the nightly load builds the marts, and figures recompute."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from argon2 import PasswordHasher
from conftest import LoadedInbox

from dashboards.accounts import AccountStore
from pipelines.assumptions import publish_provider_assumptions
from pipelines.marts.time_released import build_time_released_marts

pytestmark = pytest.mark.integration


def test_the_load_builds_a_row_per_live_location_month_without_figures_by_default(
    loaded: LoadedInbox,
) -> None:
    # Given the generated ICB loaded with no accounts file (nobody entered a baseline)
    # When the time mart is read
    counts = loaded.query(
        "select count(*), count(hours_released), count(distinct baseline_basis),"
        " any_value(baseline_basis), any_value(hourly_cost_gbp)"
        " from marts.time_released_monthly"
    )
    expected = loaded.query(
        "select count(*) from marts.documentation_monthly as d join core.locations as l"
        " using (provider_id, location_id)"
        " where l.dscr_go_live_date is not null and d.month >= l.dscr_go_live_date"
    )
    streams = loaded.query("select count(*) from marts.benefit_streams")

    # Then every live location-month has a row, none claims hours, the cost is the default
    # £12.00 × 1.2775 = £15.33, and there are no benefit streams
    assert counts == [(expected[0][0], 0, 1, "not_entered", Decimal("15.3300"))]
    assert expected[0][0] > 0
    assert streams == [(0,)]


def test_entered_baselines_give_hours_that_recompute_from_the_measured_mart(
    loaded: LoadedInbox, tmp_path: Path
) -> None:
    # Given a copy of the loaded warehouse and an accounts file where every provider entered
    # 40 minutes a shift, 5 a visit and care-plan reviews of 240 then 30 minutes
    warehouse = tmp_path / "copy.duckdb"
    shutil.copy(loaded.warehouse, warehouse)
    accounts = tmp_path / "accounts.sqlite3"
    store = AccountStore(accounts, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    providers = [row[0] for row in loaded.query("select distinct provider_id from core.locations")]
    now = datetime(2026, 3, 2, tzinfo=UTC)
    for provider in providers:
        for name, value in [
            ("baseline_documentation_minutes_per_shift", 40),
            ("baseline_documentation_minutes_per_visit", 5),
            ("care_plan_review_minutes_before", 240),
            ("care_plan_review_minutes_after", 30),
        ]:
            store.set_assumption(provider, name=name, value=value, note=None, set_by="t", now=now)

    # When the assumptions are published and the marts rebuilt, as the load does
    with duckdb.connect(str(warehouse)) as con:
        con.execute("set TimeZone = 'UTC'")
        publish_provider_assumptions(con, accounts_path=accounts, run_id="run-t")
        build_time_released_marts(con)
        mismatches = con.execute(
            "select count(*) from marts.time_released_monthly as t"
            " join marts.documentation_monthly as d using (provider_id, location_id, month)"
            " where t.shifts > 0 and abs(t.hours_released - round("
            "   (case when d.shift_basis = 'visits' then 5 else 40 end * d.care_shifts"
            "    - d.care_entry_minutes) / 60, 2)) > 0.005"
        ).fetchone()
        care_shifts = con.execute(
            "select count(*) filter (where t.shifts = d.care_shifts),"
            " count(*) filter (where d.shift_basis = 'shifts' and d.care_shifts < d.shifts),"
            " count(*) filter (where d.shift_basis = 'visits' and d.care_shifts <> d.shifts),"
            " count(*)"
            " from marts.time_released_monthly as t"
            " join marts.documentation_monthly as d using (provider_id, location_id, month)"
        ).fetchone()
        ranges = con.execute(
            "select count(*), count(*) filter (where hours_released_low <= hours_released"
            " and hours_released <= hours_released_high) from marts.time_released_monthly"
            " where hours_released is not null"
        ).fetchone()
        totals = con.execute(
            "select (select sum(hours_released) from marts.time_released_monthly),"
            " (select sum(quantity) from marts.benefit_streams"
            "  where stream = 'care_worker_documentation_time'),"
            " (select sum(quantity) from marts.benefit_streams"
            "  where stream = 'managerial_care_plan_reviews'),"
            " (select sum(r.reviews_completed_in_month) * 210 / 60.0"
            "  from marts.care_plan_reviews_monthly as r join core.locations as l"
            "  using (provider_id, location_id)"
            "  where l.dscr_go_live_date is not null and r.month >= l.dscr_go_live_date)"
        ).fetchone()

    # Then every month's hours are (baseline × care-worker shifts − carers' measured minutes)
    # / 60, each range holds its central figure, the documentation stream adds up to the mart,
    # and the review stream is 3.5 hours per review completed; the time mart's shifts are the
    # care-worker shifts, fewer than all shifts in care homes (managers work weekdays there)
    # and the completed visits in home care
    assert mismatches == (0,)
    assert care_shifts is not None
    assert care_shifts[0] == care_shifts[3]
    assert care_shifts[1] > 0
    assert care_shifts[2] == 0
    assert ranges is not None
    assert ranges[0] > 0
    assert ranges[0] == ranges[1]
    assert totals is not None
    assert totals[0] == totals[1]
    assert float(totals[2]) == totals[3]  # 3.5 h a review is exact in hundredths
