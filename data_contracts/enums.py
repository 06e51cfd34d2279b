"""Shared vocabulary: the enumerations of ODE-1 and of the warehouse."""

from __future__ import annotations

from enum import StrEnum


class ServiceType(StrEnum):
    """CQC service type of a location (ODE-1 locations.csv)."""

    CARE_HOME = "care_home"
    CARE_HOME_NURSING = "care_home_nursing"
    HOME_CARE = "home_care"


class RecordStatus(StrEnum):
    """Status of a versioned record (ODE-1 section 3)."""

    FINAL = "final"
    ENTERED_IN_ERROR = "entered_in_error"


class Sex(StrEnum):
    """Sex of a person drawing on care."""

    FEMALE = "female"
    MALE = "male"
    INDETERMINATE = "indeterminate"
    UNKNOWN = "unknown"


class EndReason(StrEnum):
    """Why a stay or package ended."""

    DISCHARGED = "discharged"
    DIED = "died"
    HOSPITAL = "hospital"
    TRANSFERRED = "transferred"
    OTHER = "other"


class StaffRole(StrEnum):
    """Role of a member of staff."""

    CARE_WORKER = "care_worker"
    SENIOR_CARE_WORKER = "senior_care_worker"
    NURSE = "nurse"
    MANAGER = "manager"
    DEPUTY_MANAGER = "deputy_manager"
    ACTIVITIES = "activities"
    DOMESTIC = "domestic"
    OTHER = "other"


class Employment(StrEnum):
    """How a member of staff is engaged."""

    EMPLOYED = "employed"
    AGENCY = "agency"
    BANK = "bank"


class CareNoteCategory(StrEnum):
    """Category of a care note."""

    PERSONAL_CARE = "personal_care"
    NUTRITION = "nutrition"
    HYDRATION = "hydration"
    CONTINENCE = "continence"
    MOBILITY = "mobility"
    SKIN = "skin"
    SLEEP = "sleep"
    WELLBEING = "wellbeing"
    ACTIVITY = "activity"
    MEDICATION = "medication"
    HEALTH = "health"
    OTHER = "other"


class EntryMethod(StrEnum):
    """How a care note was entered on the device."""

    ICON = "icon"
    FREE_TEXT = "free_text"
    SPEECH_TO_TEXT = "speech_to_text"
    MIXED = "mixed"


class IncidentType(StrEnum):
    """Type of incident (MODS Incident, FHIR AdverseEvent)."""

    FALL = "fall"
    MEDICATION_ERROR = "medication_error"
    PRESSURE_ULCER = "pressure_ulcer"
    SKIN_TEAR = "skin_tear"
    SAFEGUARDING = "safeguarding"
    BEHAVIOUR = "behaviour"
    CHOKING = "choking"
    INFECTION = "infection"
    OTHER = "other"


class MedicationErrorSubtype(StrEnum):
    """Subtype of a medication error incident."""

    OMISSION = "omission"
    WRONG_TIME = "wrong_time"
    WRONG_DOSE = "wrong_dose"
    WRONG_PERSON = "wrong_person"
    WRONG_MEDICINE = "wrong_medicine"
    DISCONTINUED_GIVEN = "discontinued_given"
    DOCUMENTATION = "documentation"
    OTHER = "other"


class PressureUlcerSubtype(StrEnum):
    """Category of a pressure ulcer incident."""

    CATEGORY_1 = "category_1"
    CATEGORY_2 = "category_2"
    CATEGORY_3 = "category_3"
    CATEGORY_4 = "category_4"
    UNSTAGEABLE = "unstageable"
    DEEP_TISSUE_INJURY = "deep_tissue_injury"


class Harm(StrEnum):
    """LFPSE physical harm level."""

    NO_HARM = "no_harm"
    LOW = "low"
    MODERATE = "moderate"
    SEVERE = "severe"
    FATAL = "fatal"


class MedicationOutcome(StrEnum):
    """Outcome of a scheduled or PRN dose (eMAR)."""

    GIVEN = "given"
    REFUSED = "refused"
    OMITTED = "omitted"
    NOT_AVAILABLE = "not_available"
    HELD = "held"
    SELF_ADMINISTERED = "self_administered"
    NOT_REQUIRED = "not_required"


class AlertCategory(StrEnum):
    """Category of an alert raised by the DSCR (MODS Alert)."""

    MISSED_MEDICATION = "missed_medication"
    LATE_MEDICATION = "late_medication"
    MISSED_VISIT = "missed_visit"
    LATE_VISIT = "late_visit"
    VISIT_NOT_SIGNED_OUT = "visit_not_signed_out"
    CARE_PLAN_REVIEW_DUE = "care_plan_review_due"
    LOW_FLUID_INTAKE = "low_fluid_intake"
    WEIGHT_CHANGE = "weight_change"
    MISSED_CARE_TASK = "missed_care_task"
    INCIDENT_REPORTED = "incident_reported"
    LONE_WORKER = "lone_worker"
    OTHER = "other"


class AlertSeverity(StrEnum):
    """Severity of an alert."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class AlertOutcome(StrEnum):
    """How an alert was closed; null while open."""

    ACTIONED = "actioned"
    NO_ACTION_NEEDED = "no_action_needed"
    FALSE_ALARM = "false_alarm"
    DUPLICATE = "duplicate"


class CheckMethod(StrEnum):
    """How a home-care worker checked in to a visit."""

    APP = "app"
    QR_CODE = "qr_code"
    NFC = "nfc"
    TELEPHONY = "telephony"
    MANUAL = "manual"


class VisitStatus(StrEnum):
    """Status of a scheduled home-care visit."""

    COMPLETED = "completed"
    MISSED = "missed"
    CANCELLED_BY_PERSON = "cancelled_by_person"
    CANCELLED_BY_PROVIDER = "cancelled_by_provider"


class CostCategory(StrEnum):
    """The five DSCR cost categories (NIHR evaluation 000, Table 5)."""

    HARDWARE = "hardware"
    SOFTWARE = "software"
    INFRASTRUCTURE = "infrastructure"
    TRAINING_IMPLEMENTATION = "training_implementation"
    MANAGEMENT_ADMIN = "management_admin"


class CostType(StrEnum):
    """Whether a cost line is paid once or keeps recurring."""

    UPFRONT = "upfront"
    RECURRENT = "recurrent"


class Frequency(StrEnum):
    """How often a cost line is paid."""

    ONE_OFF = "one_off"
    MONTHLY = "monthly"
    ANNUAL = "annual"


class DscrStatus(StrEnum):
    """DSCR status on an adoption return (spec 5.3)."""

    LIVE = "live"
    IMPLEMENTING = "implementing"
    NOT_STARTED = "not_started"
    ABANDONED = "abandoned"


class FileStatus(StrEnum):
    """Outcome of one file in one load (audit.load_files.status)."""

    LOADED = "loaded"
    PARTIAL = "partial"
    REJECTED = "rejected"
    SKIPPED_ALREADY_LOADED = "skipped_already_loaded"
