"""Rates and effect sizes of the synthetic ICB, each with its source.

Sources are named beside each figure: ``figures.md`` is ``/work/shared/reference/figures.md``
(which quotes the NIHR evaluation "000", the CHUMS study and NHS figures). Where no published
figure exists the comment says "assumption"; every value is written to ``truth.json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Per 1,000 occupied bed days (care homes) or client days (home care), by incident type.
# All assumptions: no published per-type incident rates for English care homes were found;
# falls sit inside the 5-10 band of the project brief, the rest are set well below falls.
_CARE_HOME_INCIDENTS = {
    "medication_error": 0.6,
    "pressure_ulcer": 0.4,
    "skin_tear": 0.8,
    "safeguarding": 0.15,
    "behaviour": 1.5,
    "choking": 0.05,
    "infection": 0.7,
    "other": 0.5,
}
_HOME_CARE_INCIDENTS = {
    "fall": 1.5,
    "medication_error": 0.3,
    "pressure_ulcer": 0.2,
    "skin_tear": 0.3,
    "safeguarding": 0.1,
    "behaviour": 0.2,
    "choking": 0.01,
    "infection": 0.2,
    "other": 0.3,
}
# LFPSE harm levels no_harm, low, moderate, severe, fatal. Assumption: mostly no or low harm,
# moderate or worse a few per cent (falls with harm = moderate+, figures.md "Care quality").
_HARM = {
    "fall": (0.60, 0.355, 0.035, 0.008, 0.002),
    "medication_error": (0.80, 0.17, 0.025, 0.005, 0.0),
    "pressure_ulcer": (0.30, 0.55, 0.12, 0.03, 0.0),
    "other": (0.65, 0.31, 0.035, 0.005, 0.0),
}

# False-alarm multipliers by alert category (assumption; NIHR 000 ch. 5): rules fed by device
# sync and routine recording fire falsely most; incidents and missed medicines rarely do.
_ALERT_FALSE_ALARM_BY_CATEGORY = {
    "missed_medication": 0.3,
    "late_medication": 0.9,
    "missed_visit": 0.8,
    "late_visit": 1.2,
    "visit_not_signed_out": 2.4,
    "care_plan_review_due": 0.7,
    "low_fluid_intake": 1.9,
    "weight_change": 1.1,
    "missed_care_task": 1.7,
    "incident_reported": 0.1,
    "lone_worker": 1.3,
    "other": 1.0,
}


@dataclass(frozen=True, slots=True)
class Rates:
    """Every rate the generator draws from; units in the names."""

    # --- Scale (figures.md "Scale") ---
    care_home_share: float = 360 / 610  # one ICB: ~360 care homes and ~250 agencies
    nursing_share_of_care_homes: float = 0.27  # assumption (about 4,000 of 15,000 homes)
    beds_median: float = 25.0  # lognormal: mean ~30 beds, 60 beds about the top decile
    beds_sigma: float = 0.65
    clients_median: float = 65.0  # agencies serve ~30-150 people (brief; 800,000 / 10,000 = 80)
    clients_sigma: float = 0.45
    second_location_share: float = 0.10  # assumption: most providers have one location
    third_location_share: float = 0.03  # assumption
    # --- Go-live (figures.md "DSCR adoption": ~63% by Feb 2024, 80% late 2025) ---
    live_before_period_share: float = 0.2  # assumption
    never_live_share: float = 0.1  # assumption
    occupancy_file_share: float = 0.75  # assumption: the rest leave occupancy to stays
    # --- Stays and staff (assumptions) ---
    stay_mean_days_residential: float = 450.0  # assumption; gives ~90% occupancy
    stay_mean_days_nursing: float = 300.0  # assumption
    vacancy_mean_days: float = 40.0  # assumption
    package_mean_days: float = 270.0  # assumption (home-care package length)
    package_gap_mean_days: float = 20.0  # assumption
    staff_per_bed: float = 1.1  # assumption (headcount per registered bed)
    clients_per_care_worker: float = 2.5  # assumption
    staff_tenure_mean_days: float = 1460.0  # ~25% yearly turnover (Skills for Care; assumption)
    day_shift_residents_per_worker: float = 5.0  # assumption
    night_shift_residents_per_worker: float = 10.0  # assumption
    # Managers and deputy managers of care homes work weekday day shifts (about 09:00-17:00);
    # the share of their weekdays off, each day drawn on its own (assumptions).
    manager_leave_share: float = 0.11  # assumption: ~28 days' leave of ~260 weekdays
    manager_sickness_share: float = 0.02  # assumption: ~5 days' sickness a year
    # --- Medication (CHUMS study, figures.md "Care quality") ---
    scheduled_doses_per_resident_day: float = 7.0  # CHUMS: residents take ~7 medicines a day
    home_care_medication_support_share: float = 0.55  # assumption
    home_care_doses_per_client_day: float = 4.0  # assumption
    prn_doses_per_person_day: float = 0.3  # assumption
    time_critical_share: float = 0.05  # assumption (e.g. Parkinson's medicines, insulin)
    # CHUMS: 8.4% of administration opportunities had an error, wrong time the most common;
    # here missed (omitted / not available) ~1.5% and late ~5%, the rest in other outcomes.
    dose_outcomes: dict[str, float] = field(
        default_factory=lambda: {
            "given": 0.925,
            "refused": 0.03,
            "omitted": 0.01,
            "not_available": 0.005,
            "held": 0.015,
            "self_administered": 0.005,
            "not_required": 0.01,
        }
    )
    late_dose_share: float = 0.05  # of given doses; CHUMS: wrong time the most common error
    # --- Care notes (figures.md "Scale": ~2,000 event rows a day for a 60-bed home) ---
    # The demo run uses the lower end of the realistic range so a load stays quick; the
    # night benchmark uses the figures.md scale (see NIGHT_RATES).
    care_notes_per_resident_day: float = 10.0  # lower end (assumption); documented in truth
    care_notes_per_visit: float = 1.2  # lower end (assumption)
    note_entry_seconds_median: float = 45.0  # assumption: under a minute per note on a device
    note_entry_seconds_sigma: float = 0.6
    note_recorded_within_15_minutes_share: float = 0.8  # assumption
    offline_share: float = 0.04  # assumption
    # --- Alerts (NIHR 000 ch. 5: alert burden and false alarms are a real disbenefit) ---
    alerts_per_resident_day: float = 0.15  # assumption
    alerts_per_client_day: float = 0.1  # assumption
    alert_long_open_share: float = 0.03  # assumption: resolved days later
    alert_duplicate_share: float = 0.03  # assumption
    alert_no_action_share: float = 0.2  # assumption, of alerts that are not false alarms
    # --- Home care visits (assumptions; no national figure in figures.md) ---
    visits_per_client_day_weights: tuple[float, float, float, float] = (0.15, 0.3, 0.3, 0.25)
    visit_late_share: float = 0.12  # check-in more than 15 minutes late (assumption)
    visit_missed_share: float = 0.01  # assumption
    visit_cancelled_by_person_share: float = 0.03  # assumption
    visit_cancelled_by_provider_share: float = 0.01  # assumption
    visit_not_signed_out_share: float = 0.01  # assumption
    # --- Care-plan reviews: monthly (brief); DHSC: sign-off in 3 days with a DSCR ---
    review_late_share: float = 0.08  # assumption
    review_never_share: float = 0.02  # assumption
    # --- Incidents ---
    falls_per_1000_bed_days_low: float = 5.5  # brief: care homes ~5-10 (assumption)
    falls_per_1000_bed_days_high: float = 9.0
    care_home_incidents_per_1000_bed_days: dict[str, float] = field(
        default_factory=lambda: dict(_CARE_HOME_INCIDENTS)
    )
    home_care_incidents_per_1000_client_days: dict[str, float] = field(
        default_factory=lambda: dict(_HOME_CARE_INCIDENTS)
    )
    harm_mix: dict[str, tuple[float, ...]] = field(default_factory=lambda: dict(_HARM))
    incident_without_person_share: float = 0.04  # assumption (staff or visitor harmed)
    fall_witnessed_share: float = 0.35  # assumption
    # --- Supplier behaviour across exports (assumptions) ---
    incident_revision_share: float = 0.06  # later version with revised harm or details
    retraction_share: float = 0.003  # entered_in_error as a new version
    redelivery_share: float = 0.004  # identical rows sent again in the next export
    nhs_number_spaced_share: float = 0.1
    nhs_number_missing_share: float = 0.05

    def as_dict(self) -> dict[str, object]:
        """All rates as plain JSON-ready values."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Effects:
    """Known effects of go-live; each provider draws its own around these means."""

    # Falls with harm (moderate+) after go-live, relative change. Assumption illustrating the
    # "safer care" outcome of NIHR 000 Table 7; no published effect size.
    falls_with_harm_relative: float = -0.20
    falls_with_harm_sd: float = 0.04
    # Documentation entry time falls over the first months (NIHR 000 Table 7 "less time
    # recording care"; DHSC claims >= 20 minutes saved per care worker per shift).
    documentation_relative: float = -0.30
    documentation_sd: float = 0.05
    documentation_tau_months: float = 3.0  # assumption: exponential approach to the plateau
    # False-alarm share decays as alert rules are tuned (NIHR 000 ch. 5; values assumption).
    false_alarm_start: float = 0.35
    false_alarm_floor: float = 0.10
    false_alarm_sd: float = 0.03
    false_alarm_tau_months: float = 4.0
    # What makes one alert likelier a false alarm than another: multipliers of the provider's
    # false-alarm share at that month, each normalised to mean 1 over the alerts it applies to,
    # so the share over all alerts still follows the curve above. NIHR 000 ch. 5 (managers
    # chasing "not signed out" alerts until midnight) names the pattern; every value is an
    # assumption. The triage model (docs/alert-triage.md) should recover these signals.
    alert_false_alarm_by_category: dict[str, float] = field(
        default_factory=lambda: dict(_ALERT_FALSE_ALARM_BY_CATEGORY)
    )
    alert_false_alarm_by_severity: dict[str, float] = field(
        default_factory=lambda: {"low": 1.3, "medium": 1.0, "high": 0.45}
    )
    alert_evening_from_hour: int = 20  # raised at 20:00 or later (London wall clock)
    alert_false_alarm_evening: float = 1.8  # multiplier for evening alerts
    # Alerts naming a member of staff (sign-out, lone worker): exp(slope x (share - mean)) where
    # share is that person's offline-recorded care notes over the previous 28 days.
    alert_false_alarm_offline_slope: float = 15.0
    # Missed or late visit alerts about a person whose latest visit (started in the 12 hours
    # before the alert) was checked in before the alert, or was not.
    alert_false_alarm_visit_checked_in: float = 3.0
    alert_false_alarm_visit_not_checked_in: float = 0.4
    alert_false_alarm_max: float = 0.9
    # Duplicates: a later alert of the same category, location and day, raised again within
    # this many minutes of the first; Rates.alert_duplicate_share sets how many.
    alert_duplicate_within_minutes: int = 15

    def as_dict(self) -> dict[str, object]:
        """All effect sizes as plain JSON-ready values."""
        return asdict(self)


DEFAULT_RATES = Rates()
"""Rates of the demo run (care notes at the lower end of the realistic range)."""

NIGHT_RATES = Rates(care_notes_per_resident_day=28.0, care_notes_per_visit=2.5)
"""Rates of the benchmark night: figures.md "Scale", ~2,000 event rows a day for 60 beds."""

DEFAULT_EFFECTS = Effects()
