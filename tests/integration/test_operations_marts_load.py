"""The operations marts (issue #5) after a real nightly load of the generated ICB inbox.

Column definitions are hand-checked in tests/unit/pipelines/test_operations_marts_*.py; here the
marts built by the runner are compared with ``core`` totals and checked for their grain.
"""

from __future__ import annotations

from conftest import LoadedInbox


def test_generated_inbox_operations_marts_agree_with_the_core_tables(
    loaded: LoadedInbox,
) -> None:
    # Given the generated inbox loaded by the real runner (fixture)

    # When the marts' totals and core's counts of the same records are read
    alerts = loaded.query(
        "select (select sum(alerts_raised) from marts.alerts_daily), "
        "(select sum(alerts_raised) from marts.alerts_weekly), "
        "(select sum(alerts_raised) from marts.alert_burden_monthly), "
        "(select count(*) from marts.alert_facts), "
        "(select count(*) from core.alerts where status = 'final')"
    )[0]
    notes = loaded.query(
        "select (select sum(care_notes) from marts.documentation_monthly), "
        "(select sum(care_notes) from marts.documentation_daily), "
        "(select count(*) from core.care_notes where status = 'final'), "
        "(select round(sum(entry_minutes), 6) from marts.documentation_monthly), "
        "(select round(sum(entry_seconds) / 60, 6) from core.care_notes where status = 'final')"
    )[0]
    visits = loaded.query(
        "select (select sum(visits_scheduled) from marts.visits_monthly), "
        "(select count(*) from core.visits join core.locations using (provider_id, location_id) "
        "where status = 'final' and service_type = 'home_care')"
    )[0]
    reviews = loaded.query(
        "select (select sum(reviews_due) from marts.care_plan_reviews_monthly), "
        "(select count(*) from core.care_plan_reviews where status = 'final')"
    )[0]

    # Then every final record is counted once in each mart
    assert alerts[4] > 0
    assert alerts[:4] == (alerts[4],) * 4
    assert notes[2] > 0
    assert notes[0] == notes[1] == notes[2]
    assert notes[3] == notes[4]
    assert visits[1] > 0
    assert visits[0] == visits[1]
    assert reviews[1] > 0
    assert reviews[0] == reviews[1]


def test_generated_inbox_operations_marts_have_one_row_per_grain_without_gaps(
    loaded: LoadedInbox,
) -> None:
    # Given the generated inbox loaded by the real runner (fixture)
    spans = {
        "marts.alerts_weekly": "week",
        "marts.alert_burden_monthly": "month",
        "marts.documentation_monthly": "month",
        "marts.documentation_daily": "day",
        "marts.visits_monthly": "month",
        "marts.care_plan_reviews_monthly": "month",
    }

    # When each location's rows are counted against its span of periods
    results = {
        table: loaded.query(
            f"select count(*), count(distinct (provider_id, location_id, {grain})), "
            f"count(*) filter (rows <> date_diff('{grain}', first, last) + 1) "
            f"from (select *, count(*) over w as rows, min({grain}) over w as first, "
            f"max({grain}) over w as last from {table} "
            "window w as (partition by provider_id, location_id))"
        )[0]
        for table, grain in spans.items()
    }
    daily = loaded.query(
        "select count(*), count(distinct (provider_id, location_id, day, category)) "
        "from marts.alerts_daily"
    )[0]
    facts = loaded.query(
        "select count(*), count(distinct (provider_id, record_uid)) from marts.alert_facts"
    )[0]

    # Then no period is repeated or missing inside a location's span
    for table, (rows, distinct, off_span) in results.items():
        assert rows == distinct > 0, table
        assert off_span == 0, table
    assert daily[0] == daily[1] > 0
    assert facts[0] == facts[1] > 0
