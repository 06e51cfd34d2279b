"""The adoption marts after the real nightly load of the generated ICB inbox (issue #7).

The arithmetic is hand-checked in tests/unit/pipelines/marts/test_adoption_marts_build.py and
tests/integration/test_adoption_marts_load.py; here the marts built from the generator's files
are compared with the generator's own truth (truth.json "icb_inputs").
"""

from __future__ import annotations

from conftest import LoadedInbox


def test_every_month_counts_each_active_adult_social_care_location_once(
    loaded: LoadedInbox,
) -> None:
    # Given the generated inbox loaded by the real runner (fixture), and its truth
    truth = loaded.truth["icb_inputs"]
    active = truth["adult_social_care_locations"] - truth["dormant_locations"]

    # When each month's location rows and ICB totals are counted
    months = loaded.query(
        "select month, count(*), count(distinct location_id), count(icb_code), "
        "last_day(month) >= (select min(valid_from) from reference.sub_icb_lookup) "
        "from marts.adoption_location_monthly group by month order by month"
    )
    totals = loaded.query(
        "select month, sum(active_locations), sum(no_return_locations) "
        "from marts.adoption_monthly group by month order by month"
    )

    # Then every month holds each active location once; from the lookup's first valid_from
    # (ICBs began on 1 July 2022) every one is in an ICB (the generator maps every sub-ICB),
    # before it none is, and the ICB rows add up to the mapped months
    assert months
    assert {
        (count, distinct, mapped == (active if in_lookup else 0))
        for _, count, distinct, mapped, in_lookup in months
    } == {(active, active, True)}
    assert [(month, active) for month, *_, in_lookup in months if in_lookup] == [
        (month, total) for month, total, _ in totals
    ]
    # and no more locations lack a return than the generator wrote without one
    assert 0 < totals[-1][2] <= truth["locations_without_return"]


def test_the_generated_icb_and_its_neighbour_both_have_figures(loaded: LoadedInbox) -> None:
    # Given the generated inbox loaded by the real runner (fixture)
    icb = loaded.truth["icb_inputs"]["icb_ods_code"]

    # When the latest month's ICB rows are read
    latest = loaded.query(
        "select icb_code, active_locations >= adopted_locations + no_return_locations "
        "and adoption_rate = adopted_locations / active_locations "
        "from marts.adoption_monthly where month = (select max(month) from marts.adoption_monthly) "
        "order by icb_code"
    )

    # Then the synthetic ICB and its neighbour QZY are there, each self-consistent
    assert latest == [("QZY", True), (icb, True)]
