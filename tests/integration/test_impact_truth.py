"""The before/after estimate of a nightly load recovers the go-live effects in truth.json.

The generator plants one effect on these measures: after its provider's go-live a location's
falls with moderate or worse harm are ``1 + falls_with_harm_relative`` times as likely (a step
on the go-live day, no change of trend); falls, medication errors and pressure ulcers do not
change. So the true level change is ``1 + falls_with_harm_relative`` for falls with harm and
1 for the others, and the true slope change is 1 everywhere.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import LoadedInbox, make_config

from pipelines.runner import run_nightly
from pipelines.synthetic import generate_icb
from pipelines.synthetic.rates import Rates

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# Care notes, doses and alerts at a fraction of the demo rates keep the load near a minute;
# none of them enters the measures estimated here (medication errors use bed days before
# go-live, see docs/impact.md). Incident rates and the go-live effects are the defaults.
# More care homes and fewer providers live before the period or never give more locations
# with a go-live inside the three years.
RATES = Rates(
    care_notes_per_resident_day=0.5,
    care_notes_per_visit=0.1,
    scheduled_doses_per_resident_day=1.0,
    prn_doses_per_person_day=0.05,
    home_care_doses_per_client_day=1.0,
    home_care_medication_support_share=0.2,
    alerts_per_resident_day=0.02,
    alerts_per_client_day=0.02,
    care_home_share=0.95,
    live_before_period_share=0.05,
    never_live_share=0.05,
)
MEASURES = ("falls", "falls_with_harm", "medication_errors", "pressure_ulcers")


@pytest.fixture(scope="module")
def loaded_icb(tmp_path_factory: pytest.TempPathFactory) -> LoadedInbox:
    """Thirty providers over 36 months (seeded), loaded once by the real nightly runner."""
    inbox = tmp_path_factory.mktemp("impact_icb") / "inbox"
    generate_icb(out_dir=inbox, seed=11, providers=30, months=36, rates=RATES)
    warehouse = tmp_path_factory.mktemp("impact_warehouse") / "carelens.duckdb"
    summary = run_nightly(inbox=inbox, config=make_config(warehouse))
    truth = json.loads((inbox / "truth.json").read_text())
    return LoadedInbox(inbox, truth, warehouse, summary)


def _locations(truth: dict) -> dict[str, dict]:
    """Each generated location with its provider's kind, go-live and harm effect."""
    return {
        location["location_id"]: {
            "kind": provider["kind"],
            "go_live_class": provider["go_live_class"],
            "go_live_date": provider["go_live_date"],
            "level_change": {
                "falls": 1.0,
                "falls_with_harm": 1 + provider["falls_with_harm_relative"],
                "medication_errors": 1.0,
                "pressure_ulcers": 1.0,
            },
        }
        for provider in truth["providers_detail"]
        for location in provider["locations"]
    }


def _estimates(loaded: LoadedInbox) -> list[dict]:
    rows = loaded.query(
        "select location_id, measure, level_change_lower, level_change_upper, "
        "slope_change_lower, slope_change_upper from marts.quality_impact "
        "where status = 'estimated' order by location_id, measure"
    )
    names = ("location_id", "measure", "lower", "upper", "slope_lower", "slope_upper")
    return [dict(zip(names, row, strict=True)) for row in rows]


def test_every_location_has_a_row_per_measure(loaded_icb: LoadedInbox) -> None:
    # Given the locations the load knows
    (locations,) = loaded_icb.query("select count(*) from core.locations")[0]

    # When
    rows = loaded_icb.query(
        "select measure, count(*), count(distinct run_id), min(run_id) "
        "from marts.quality_impact group by measure order by measure"
    )

    # Then
    assert rows == [(m, locations, 1, loaded_icb.summary.run_id) for m in MEASURES]


def test_estimates_only_locations_with_a_go_live_inside_their_data(
    loaded_icb: LoadedInbox,
) -> None:
    # Given
    truth = _locations(loaded_icb.truth)

    # When
    rows = loaded_icb.query(
        "select location_id, measure, status, go_live_date, months_before, months_after "
        "from marts.quality_impact"
    )

    # Then
    for location_id, _, status, go_live, before, after in rows:
        expected = truth[location_id]
        assert go_live == date.fromisoformat(expected["go_live_date"])
        if expected["kind"] == "home_care":
            assert status == "no_exposure"
        elif expected["go_live_class"] == "before_period":
            assert (status, before) == ("too_few_months_before", 0)
        elif status == "estimated":
            assert before >= 6
            assert after >= 6
    estimated = {row[0] for row in rows if row[2] == "estimated"}
    assert all(truth[loc]["go_live_class"] == "during_period" for loc in estimated)
    assert len(estimated) >= 12


def test_the_planted_level_change_lies_within_the_interval_in_most_locations(
    loaded_icb: LoadedInbox,
) -> None:
    # Given
    truth = _locations(loaded_icb.truth)

    # When
    estimates = _estimates(loaded_icb)

    # Then: 95% intervals; at least 80% of them cover the truth, measure by measure
    for measure in MEASURES:
        rows = [e for e in estimates if e["measure"] == measure]
        covered = [
            e["lower"] <= truth[e["location_id"]]["level_change"][measure] <= e["upper"]
            for e in rows
        ]
        assert len(rows) >= 8, measure
        assert sum(covered) / len(rows) >= 0.8, measure


def test_no_change_of_trend_lies_within_the_interval_in_most_locations(
    loaded_icb: LoadedInbox,
) -> None:
    estimates = _estimates(loaded_icb)

    covered = [e["slope_lower"] <= 1.0 <= e["slope_upper"] for e in estimates]

    assert sum(covered) / len(covered) >= 0.8


def test_the_counterfactual_adds_up_to_the_impact_row(loaded_icb: LoadedInbox) -> None:
    # Given every estimated row and its months after go-live
    rows = loaded_icb.query(
        "select i.months_after, i.observed_since_go_live, i.expected_since_go_live, "
        "  count(c.month), sum(c.observed), sum(c.expected), "
        "  bool_and(c.expected_lower <= c.expected and c.expected <= c.expected_upper) "
        "from marts.quality_impact i join marts.quality_counterfactual c "
        "  using (provider_id, location_id, measure) "
        "where i.status = 'estimated' group by all"
    )

    # Then
    assert rows
    for months_after, observed, expected, months, observed_sum, expected_sum, ordered in rows:
        assert months == months_after
        assert observed_sum == observed
        assert expected_sum == pytest.approx(expected)
        assert ordered


def test_observed_events_since_go_live_are_the_marts_counts(loaded_icb: LoadedInbox) -> None:
    # When: events in the mart from the first full month after go-live, months with bed days
    rows = loaded_icb.query(
        "select i.location_id, i.observed_since_go_live, sum(q.falls) "
        "from marts.quality_impact i join marts.quality_monthly q using (provider_id, location_id) "
        "where i.status = 'estimated' and i.measure = 'falls' and q.occupied_bed_days > 0 "
        "  and q.month >= case when day(i.go_live_date) = 1 then i.go_live_date "
        "    else date_trunc('month', i.go_live_date) + interval 1 month end "
        "group by all"
    )

    # Then
    assert rows
    for _, observed, mart in rows:
        assert observed == mart
