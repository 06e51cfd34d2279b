"""The benefit streams published for the ROI model (``marts.benefit_streams``)."""

from __future__ import annotations

from enum import StrEnum


class BenefitStream(StrEnum):
    """One kind of benefit, as a row of ``marts.benefit_streams`` names it."""

    CARE_WORKER_DOCUMENTATION_TIME = "care_worker_documentation_time"
    """Care workers' recording time, paper-era minutes less measured minutes, per shift."""
    MANAGERIAL_CARE_PLAN_REVIEWS = "managerial_care_plan_reviews"
    """Managers' time on care-plan reviews: minutes saved each × reviews completed."""
    MANAGERIAL_AUDITS = "managerial_audits"
    """Managers' time on audits: minutes saved each × audits a month (all entered)."""
    MANAGERIAL_HANDOVERS = "managerial_handovers"
    """Managers' time on handovers: minutes saved each × handovers a month (all entered)."""
    PAPER_PRINTING_STORAGE = "paper_printing_storage"
    """Paper, printing, postage, storage and archiving no longer bought (entered, £ a month)."""
    SENIOR_TRAVEL = "senior_travel"
    """Home care: senior staff travel no longer needed (entered, £ a month)."""
    FALLS_WITH_HARM_AVOIDED = "falls_with_harm_avoided"
    """Falls with harm avoided a year (entered); in pounds only with an entered unit cost."""
    MEDICATION_ERRORS_AVOIDED = "medication_errors_avoided"
    """Medication errors avoided a year (entered); in pounds only with an entered unit cost."""


class StreamBasis(StrEnum):
    """Which parts of a benefit stream's figure were measured and which assumed."""

    MEASURED = "measured"
    """Everything comes from the data."""
    ASSUMED = "assumed"
    """Everything was entered or is a default (the row's ``basis_note`` says which)."""
    MEASURED_AND_ASSUMED = "measured_and_assumed"
    """Partly measured, partly entered or default (``basis_note`` says which part is which)."""
