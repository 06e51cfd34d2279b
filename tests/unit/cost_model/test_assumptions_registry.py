"""The assumptions registry: defaults and their sources, on-cost arithmetic, entered values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cost_model import (
    ASSUMPTIONS,
    AssumptionBasis,
    AssumptionError,
    AssumptionName,
    assumption,
    check_value,
    employer_on_cost_share,
    resolve_assumptions,
)


def test_every_entry_says_where_it_comes_from() -> None:
    # Given every entry of the registry
    entries = list(ASSUMPTIONS.values())

    # Then each has a source and a note, is keyed by its name, and every default sits in its
    # plausible range while entries without a default have no range
    assert {entry.name for entry in entries} == set(AssumptionName)
    for entry in entries:
        assert entry.source
        assert entry.note
        if entry.value is None:
            assert (entry.low, entry.high) == (None, None)
        else:
            assert entry.low is not None
            assert entry.high is not None
            assert entry.low <= entry.value <= entry.high


def test_defaults_are_the_published_figures() -> None:
    # Given the pay and on-cost entries
    pay = assumption("care_worker_hourly_pay_gbp")
    manager = assumption("manager_hourly_pay_gbp")
    on_cost = assumption("on_cost_share")

    # Then pay is the Skills for Care median, the manager's pay says it is an assumption, and
    # the on-cost share is the hand-worked 0.2775 (range 0.2383 to 0.3224)
    assert (pay.value, pay.low, pay.high) == (Decimal("12.00"), Decimal("12.00"), Decimal("12.71"))
    assert "Skills for Care" in pay.source
    assert manager.source == "assumption"
    assert (on_cost.value, on_cost.low, on_cost.high) == (
        Decimal("0.2775"),
        Decimal("0.2383"),
        Decimal("0.3224"),
    )


def test_the_baseline_has_no_default_and_the_20_minute_claim_is_only_a_reference() -> None:
    # Given the paper-era baseline and the care-plan review times
    baseline = assumption("baseline_documentation_minutes_per_shift")
    before = assumption("care_plan_review_minutes_before")
    after = assumption("care_plan_review_minutes_after")

    # Then none has a value, and the government's claims are references beside them
    assert (baseline.value, before.value, after.value) == (None, None, None)
    references = [entry.reference for entry in (baseline, before, after)]
    assert [None if r is None else r.value for r in references] == [
        Decimal(20),
        Decimal(240),
        Decimal(30),
    ]


@pytest.mark.parametrize(
    ("pay", "hours", "expected"),
    [
        # £12 × 37.5 h × 52 = £23,400; NI 0.15 × 18,400 = £2,760; pension 0.03 × 17,160 =
        # £514.80; £26,674.80 / (37.5 × 46.4 = 1,740 h) = £15.330345 = £12 × 1.277529
        ("12", "37.5", "0.277529"),
        # £12 × 20 × 52 = £12,480; NI 0.15 × 7,480 = £1,122; pension 0.03 × 6,240 = £187.20;
        # £13,789.20 / 928 h = £14.859052 = £12 × 1.238254
        ("12", "20", "0.238254"),
        # £10 × 8 × 52 = £4,160: below both thresholds, holiday only: 52 / 46.4 = 1.120690
        ("10", "8", "0.120690"),
        # £40 × 37.5 × 52 = £78,000; NI 0.15 × 73,000 = £10,950; pension capped at the band's
        # top: 0.03 × (50,270 − 6,240) = £1,320.90; £90,270.90 / 1,740 h = £51.879828 =
        # £40 × 1.296996
        ("40", "37.5", "0.296996"),
    ],
)
def test_employer_on_cost_share_is_worked_from_the_legislation(
    pay: str, hours: str, expected: str
) -> None:
    # When the on-cost share is worked out
    share = employer_on_cost_share(hourly_pay_gbp=Decimal(pay), weekly_hours=Decimal(hours))

    # Then it matches the hand-worked figure to six places
    assert share.quantize(Decimal("0.000001")) == Decimal(expected)


def test_on_cost_needs_positive_pay_and_hours() -> None:
    # When the hours are zero, Then it is refused
    with pytest.raises(AssumptionError):
        employer_on_cost_share(hourly_pay_gbp=Decimal(12), weekly_hours=Decimal(0))


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("care_worker_hourly_pay_gbp", "£13.25", Decimal("13.25")),
        ("audits_per_month", "1,200", Decimal(1200)),
        ("on_cost_share", 0.3, Decimal("0.3")),
        ("baseline_documentation_minutes_per_shift", 45, Decimal(45)),
        ("baseline_documentation_minutes_per_shift", "  ", None),
        ("baseline_documentation_minutes_per_shift", None, None),
        ("baseline_documentation_minutes_per_shift", "0", Decimal(0)),
        ("baseline_documentation_minutes_per_shift", "720", Decimal(720)),
    ],
)
def test_entered_values_are_read_as_exact_decimals(
    name: str, value: object, expected: Decimal | None
) -> None:
    # When a value typed by a provider is checked, Then it is stored exactly (blank clears)
    assert check_value(name=name, value=value) == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("no_such_thing", "1", "no assumption called"),
        ("on_cost_share", "1.5", "from 0 to 1"),
        ("baseline_documentation_minutes_per_shift", "721", "from 0 to 720"),
        ("baseline_documentation_minutes_per_visit", "-1", "from 0 to 240"),
        ("care_worker_hourly_pay_gbp", "twelve", "Enter a number"),
        ("care_worker_hourly_pay_gbp", "NaN", "Enter a number"),
        ("care_worker_hourly_pay_gbp", True, "Enter a number"),
        ("care_worker_hourly_pay_gbp", [12], "Enter a number"),
    ],
)
def test_values_that_cannot_be_right_are_refused(name: str, value: object, message: str) -> None:
    # When a bad name or value is checked, Then it is refused with a message for the user
    with pytest.raises(AssumptionError, match=message):
        check_value(name=name, value=value)


def test_entered_values_win_over_defaults_and_blanks_fall_back() -> None:
    # Given a provider that entered its pay and baseline, cleared its review time and has a
    # value for a name this version does not know
    entered = {
        "care_worker_hourly_pay_gbp": Decimal("13.10"),
        "baseline_documentation_minutes_per_shift": Decimal(35),
        "care_plan_review_minutes_before": None,
        "retired_name": Decimal(1),
    }

    # When the values to use are resolved
    resolved = resolve_assumptions(entered=entered)

    # Then entered values win, defaults fill in, and names without either are not entered
    pay = resolved[AssumptionName.CARE_WORKER_HOURLY_PAY_GBP]
    on_cost = resolved[AssumptionName.ON_COST_SHARE]
    review = resolved[AssumptionName.CARE_PLAN_REVIEW_MINUTES_BEFORE]
    baseline = resolved[AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT]
    assert (pay.value, pay.basis) == (Decimal("13.10"), AssumptionBasis.ENTERED)
    assert (on_cost.value, on_cost.basis) == (Decimal("0.2775"), AssumptionBasis.DEFAULT)
    assert (baseline.value, baseline.basis) == (Decimal(35), AssumptionBasis.ENTERED)
    assert (review.value, review.basis) == (None, AssumptionBasis.NOT_ENTERED)
    assert set(resolved) == set(AssumptionName)
