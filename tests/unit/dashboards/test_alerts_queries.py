"""The alerts page's queries on the hand-made warehouse (``alerts_sample``): every figure is
worked out by hand from the alerts listed there, per role and scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from alerts_sample import (
    ALDER,
    ASH,
    BIRCH,
    DATA_AS_OF,
    PROVIDER_A,
    PROVIDER_B,
    write_alerts_warehouse,
)
from audit_sample import identity_for

from dashboards.queries import alerts as q
from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Role

OWNER_A = identity_for(Role.OWNER, code=PROVIDER_A)
LEAD_ASH = identity_for(Role.QUALITY_LEAD, code=PROVIDER_A, location_ids=frozenset({ASH}))
ICB_LEAD = identity_for(Role.ICB_LEAD, code="QAA")
THIRTEEN_WEEKS: dict[str, Any] = {"day_from": date(2025, 12, 1), "day_to": date(2026, 3, 1)}
"""91 days ending on A's latest alert day, Sunday 1 March 2026."""


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> WarehouseReader:
    """A reader over the alerts sample warehouse."""
    path = write_alerts_warehouse(tmp_path_factory.mktemp("alerts-q") / "carelens.duckdb")
    return WarehouseReader(path)


def test_bounds_span_the_callers_alerts(reader: WarehouseReader) -> None:
    # When A's owner and Ash's quality lead ask for the span of their alerts
    owner = q.alert_bounds(reader=reader, identity=OWNER_A)
    lead = q.alert_bounds(reader=reader, identity=LEAD_ASH)

    # Then A's ten alerts run from 10 Nov 2025 (Ash) to 1 Mar 2026 (Alder); Ash's two end
    # on 20 Feb 2026; both describe the export of 2 Mar 2026 02:00 UTC
    assert (owner.first_day, owner.last_day, owner.alerts) == (
        date(2025, 11, 10),
        date(2026, 3, 1),
        10,
    )
    assert owner.data_as_of == DATA_AS_OF
    assert (lead.first_day, lead.last_day, lead.alerts) == (
        date(2025, 11, 10),
        date(2026, 2, 20),
        2,
    )


def test_summary_medians_percentiles_and_open_alerts(reader: WarehouseReader) -> None:
    # When A's owner reads the response times of the 13 weeks to 1 March
    frame = q.alert_summary(reader=reader, identity=OWNER_A, **THIRTEEN_WEEKS)

    # Then all of A (the last row): nine alerts raised (AS-2 of November is outside), seven
    # closed, three false alarms (AL-1, AL-2, AL-7), one duplicate (AS-1). Minutes to
    # acknowledge 5, 10, 15, 20, 25, 30, 40, 50: median (20 + 25) / 2 = 22.5; 90th percentile
    # at rank 0.9 x 7 = 6.3: 40 + 0.3 x 10 = 43. Minutes to resolve 30, 35, 60, 120, 240, 600,
    # 1500: median 120; rank 5.4: 600 + 0.4 x 900 = 960. Within 24 hours: all resolved but
    # AL-3 (1,500 minutes): 6. Open now AL-5 and AL-6; AL-5 (25.5 hours) over 24 hours.
    total = frame.row(-1, named=True)
    assert total["location_id"] is None
    assert [
        total[name]
        for name in (
            "alerts_raised",
            "alerts_closed",
            "false_alarms",
            "duplicates",
            "acknowledged",
            "resolved",
            "resolved_within_24h",
            "open_alerts",
            "open_over_24h",
        )
    ] == [9, 7, 3, 1, 8, 7, 6, 2, 1]
    assert total["median_minutes_to_acknowledge"] == pytest.approx(22.5)
    assert total["p90_minutes_to_acknowledge"] == pytest.approx(43.0)
    assert total["median_minutes_to_resolve"] == pytest.approx(120.0)
    assert total["p90_minutes_to_resolve"] == pytest.approx(960.0)
    # Alder's own row: acknowledged 5, 10, 15, 20, 25, 30, 40: median 20, rank 5.4 -> 34
    alder = frame.filter(location_id=ALDER).row(0, named=True)
    assert (alder["alerts_raised"], alder["open_alerts"]) == (8, 2)
    assert alder["median_minutes_to_acknowledge"] == pytest.approx(20.0)
    assert alder["p90_minutes_to_acknowledge"] == pytest.approx(34.0)
    assert frame["location_id"].to_list() == [ALDER, ASH, None]


def test_a_quality_lead_reads_only_their_locations(reader: WarehouseReader) -> None:
    # When Ash's quality lead asks for Alder by name, and for everything
    asked_alder = q.alert_summary(
        reader=reader, identity=LEAD_ASH, location_id=ALDER, **THIRTEEN_WEEKS
    )
    everything = q.alert_daily_volumes(reader=reader, identity=LEAD_ASH, **THIRTEEN_WEEKS)

    # Then Alder's figures never come back: only AS-1 (AS-2 is before the period)
    assert asked_alder.to_dicts()[-1]["alerts_raised"] == 0
    assert set(asked_alder["location_id"].drop_nulls()) == set()
    assert everything.select("day", "location_id", "category", "duplicates").rows() == [
        (date(2026, 2, 20), ASH, "visit_not_signed_out", 1)
    ]


def test_weekly_share_sums_the_locations(reader: WarehouseReader) -> None:
    # When A's owner reads the weekly false-alarm share of all locations
    weekly = q.alert_weekly_share(reader=reader, identity=OWNER_A)

    # Then weeks run from Ash's first (10 Nov 2025) to Alder's last (23 Feb 2026): 16 weeks;
    # w/c 5 Jan: AL-7 false alarm 1/1; w/c 16 Feb: AS-1 duplicate 0/1; w/c 23 Feb: four of
    # Alder's six closed, two false alarms: 0.5; weeks with nothing closed are null
    shares = dict(zip(weekly["week"], weekly["false_alarm_share"], strict=True))
    assert weekly.height == 16
    assert shares[date(2026, 1, 5)] == 1.0
    assert shares[date(2026, 2, 16)] == 0.0
    assert shares[date(2026, 2, 23)] == 0.5
    assert shares[date(2026, 2, 2)] is None


def test_burden_months_overlap_the_period(reader: WarehouseReader) -> None:
    # When A's owner reads the burden of the 13 weeks from 1 December
    burden = q.alert_burden(reader=reader, identity=OWNER_A, **THIRTEEN_WEEKS)

    # Then the months December to March come back, November (Ash) does not
    assert sorted(set(burden["month"])) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert BIRCH not in burden["location_id"].to_list()


def test_heatmap_counts_london_weekday_and_hour(reader: WarehouseReader) -> None:
    # When A's owner reads when Alder's alerts of the 13 weeks were raised
    frame = q.alert_heatmap(reader=reader, identity=OWNER_A, location_id=ALDER, **THIRTEEN_WEEKS)

    # Then: Monday 10:00 (AL-7), Tuesday 10:00 (AL-8), Friday 08:00 (AL-4), Saturday 22:00
    # (AL-3), Sunday 00:00, 09:00, 10:00 and 20:00 (AL-5, AL-1, AL-2, AL-6), GMT = UTC
    assert frame.rows() == [
        (1, 10, 1),
        (2, 10, 1),
        (5, 8, 1),
        (6, 22, 1),
        (7, 0, 1),
        (7, 9, 1),
        (7, 10, 1),
        (7, 20, 1),
    ]


def test_open_alerts_are_ranked_by_score_with_hours_open(reader: WarehouseReader) -> None:
    # When A's owner lists the open alerts, and Ash's lead does
    listed = q.open_alert_scores(reader=reader, identity=OWNER_A)
    lead = q.open_alert_scores(reader=reader, identity=LEAD_ASH)

    # Then AL-6 (0.9) comes before AL-5 (0.3); open 6 and 25.5 hours at 2 Mar 02:00 UTC
    assert listed.matched == 2
    assert listed.rows.select("record_uid", "location_name", "score", "hours_open").rows() == [
        ("AL-6", "Alder House", 0.9, 6.0),
        ("AL-5", "Alder House", 0.3, 25.5),
    ]
    assert (lead.matched, lead.rows.height) == (0, 0)


def test_open_alerts_row_limit_keeps_the_count(reader: WarehouseReader) -> None:
    listed = q.open_alert_scores(reader=reader, identity=OWNER_A, row_limit=1)

    assert (listed.matched, listed.rows["record_uid"].to_list()) == (2, ["AL-6"])


def test_latest_model_run_is_the_newest(reader: WarehouseReader) -> None:
    run = q.latest_triage_run(reader=reader, identity=OWNER_A)

    assert run is not None
    assert (run["model_run_id"], run["roc_auc"]) == ("alert_triage-20260302T020000Z-alrt", 0.75)


def test_icb_rows_are_per_provider_and_disclosure_controlled(reader: WarehouseReader) -> None:
    # When the lead of ICB QAA reads the 13 weeks
    bounds = q.icb_alert_bounds(reader=reader, identity=ICB_LEAD)
    rows = q.icb_alert_providers(reader=reader, identity=ICB_LEAD, **THIRTEEN_WEEKS)

    # Then A (9 raised -> 10; 7 closed and 3 false alarms suppressed, so the share is) and B
    # (12 raised and closed -> 10; 8 false alarms -> 10; share 8 / 12 from the unrounded
    # counts) come back, not C of ICB QBB, and no location or alert column
    assert (bounds.first_day, bounds.last_day) == (date(2025, 11, 10), date(2026, 3, 1))
    assert rows.columns == [
        "provider_id",
        "alerts_raised",
        "alerts_closed",
        "false_alarms",
        "false_alarm_share",
    ]
    a, b = rows.to_dicts()
    assert a == {
        "provider_id": PROVIDER_A,
        "alerts_raised": 10,
        "alerts_closed": None,
        "false_alarms": None,
        "false_alarm_share": None,
    }
    assert (b["provider_id"], b["alerts_raised"], b["alerts_closed"], b["false_alarms"]) == (
        PROVIDER_B,
        10,
        10,
        10,
    )
    assert b["false_alarm_share"] == pytest.approx(8 / 12)
