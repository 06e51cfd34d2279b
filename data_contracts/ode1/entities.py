"""Declarations of the ODE-1 entities: columns, kinds, rules, keys and references.

Everything that needs to know the shape of an export (the row contracts, the normaliser, the
warehouse tables, the synthetic generator) reads these declarations, so the spec lives in one
place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from data_contracts import enums


class ColumnKind(StrEnum):
    """How a text cell of an export is checked and typed."""

    IDENTIFIER = "identifier"  # non-empty, at most 64 characters, no control characters
    CQC_ID = "cqc_id"  # `1-` followed by 9 to 11 digits
    ICB_CODE = "icb_code"  # three-character ODS code
    TEXT = "text"  # free text
    ENUM = "enum"  # matched after trimming and lower-casing
    INTEGER = "integer"
    DATE = "date"  # YYYY-MM-DD only
    TIMESTAMP = "timestamp"  # ISO 8601; no offset means Europe/London wall-clock time
    BOOLEAN = "boolean"  # true/false, 1/0, y/n, yes/no, any case
    DIGITS = "digits"  # a string of digits (dm+d concept id)
    NHS_NUMBER = "nhs_number"  # 10 digits passing Modulus 11; pseudonymised on load


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an ODE-1 CSV file."""

    name: str
    kind: ColumnKind
    required: bool = False
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    """One ODE-1 entity: a CSV file of a package and the table it becomes."""

    name: str
    columns: tuple[Column, ...]
    versioned: bool
    key: tuple[str, ...]
    references: dict[str, str] = field(default_factory=dict)
    grain: str = ""

    @property
    def file_name(self) -> str:
        """The CSV file name inside a package."""
        return f"{self.name}.csv"

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns whose absence rejects the file."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        """All declared column names, in spec order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The declared column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _values(enum_type: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum_type)


def _enum(name: str, enum_type: type[StrEnum], *, required: bool = False) -> Column:
    return Column(name, ColumnKind.ENUM, required=required, values=_values(enum_type))


_K = ColumnKind
_VERSIONING = (
    Column("record_uid", _K.IDENTIFIER, required=True),
    Column("version", _K.INTEGER, required=True, minimum=1),
    _enum("status", enums.RecordStatus, required=True),
)
_SUBTYPES = tuple(
    dict.fromkeys(_values(enums.MedicationErrorSubtype) + _values(enums.PressureUlcerSubtype))
)
_LOCATION = {"location_id": "locations"}
_PERSON = {"person_id": "people"}
_STAFF = {"staff_id": "staff"}

LOCATIONS = Entity(
    name="locations",
    grain="One row per CQC location of the provider.",
    versioned=False,
    key=("location_id",),
    columns=(
        Column("location_id", _K.CQC_ID, required=True),
        Column("location_name", _K.TEXT, required=True),
        _enum("service_type", enums.ServiceType, required=True),
        Column("registered_beds", _K.INTEGER, minimum=1, maximum=500),
        Column("local_authority", _K.TEXT),
        Column("icb_code", _K.ICB_CODE),
        Column("dscr_supplier", _K.TEXT),
        Column("dscr_go_live_date", _K.DATE),
    ),
)

PEOPLE = Entity(
    name="people",
    grain="One row per person drawing on care, per stay or package.",
    versioned=False,
    key=("person_id",),
    references=_LOCATION,
    columns=(
        Column("person_id", _K.IDENTIFIER, required=True),
        Column("location_id", _K.IDENTIFIER, required=True),
        Column("nhs_number", _K.NHS_NUMBER),
        Column("birth_year", _K.INTEGER, minimum=1900),
        _enum("sex", enums.Sex),
        Column("start_date", _K.DATE, required=True),
        Column("end_date", _K.DATE),
        _enum("end_reason", enums.EndReason),
    ),
)

OCCUPANCY = Entity(
    name="occupancy",
    grain="One row per care-home location per day.",
    versioned=False,
    key=("location_id", "date"),
    references=_LOCATION,
    columns=(
        Column("location_id", _K.IDENTIFIER, required=True),
        Column("date", _K.DATE, required=True),
        Column("occupied_beds", _K.INTEGER, required=True, minimum=0),
    ),
)

STAFF = Entity(
    name="staff",
    grain="One row per member of staff.",
    versioned=False,
    key=("staff_id",),
    references=_LOCATION,
    columns=(
        Column("staff_id", _K.IDENTIFIER, required=True),
        Column("location_id", _K.IDENTIFIER, required=True),
        _enum("role", enums.StaffRole, required=True),
        _enum("employment", enums.Employment),
        Column("start_date", _K.DATE),
        Column("end_date", _K.DATE),
    ),
)

SHIFTS = Entity(
    name="shifts",
    grain="One row per version of a worked shift (care homes).",
    versioned=True,
    key=("record_uid", "version"),
    references={**_STAFF, **_LOCATION},
    columns=(
        *_VERSIONING,
        Column("staff_id", _K.IDENTIFIER, required=True),
        Column("location_id", _K.IDENTIFIER, required=True),
        Column("start_at", _K.TIMESTAMP, required=True),
        Column("end_at", _K.TIMESTAMP, required=True),
    ),
)

CARE_NOTES = Entity(
    name="care_notes",
    grain="One row per version of a recorded interaction or care task.",
    versioned=True,
    key=("record_uid", "version"),
    references={**_PERSON, **_STAFF, **_LOCATION},
    columns=(
        *_VERSIONING,
        Column("person_id", _K.IDENTIFIER, required=True),
        Column("staff_id", _K.IDENTIFIER),
        Column("location_id", _K.IDENTIFIER, required=True),
        _enum("category", enums.CareNoteCategory, required=True),
        Column("care_at", _K.TIMESTAMP, required=True),
        Column("recorded_at", _K.TIMESTAMP, required=True),
        Column("entry_seconds", _K.INTEGER, minimum=0, maximum=3600),
        _enum("entry_method", enums.EntryMethod),
        Column("recorded_offline", _K.BOOLEAN),
    ),
)

INCIDENTS = Entity(
    name="incidents",
    grain="One row per version of an incident (MODS Incident, FHIR AdverseEvent).",
    versioned=True,
    key=("record_uid", "version"),
    references={**_LOCATION, **_PERSON},
    columns=(
        *_VERSIONING,
        Column("location_id", _K.IDENTIFIER, required=True),
        Column("person_id", _K.IDENTIFIER),
        Column("occurred_at", _K.TIMESTAMP, required=True),
        Column("reported_at", _K.TIMESTAMP, required=True),
        _enum("incident_type", enums.IncidentType, required=True),
        Column("subtype", _K.ENUM, values=_SUBTYPES),
        _enum("harm", enums.Harm, required=True),
        Column("witnessed", _K.BOOLEAN),
        Column("description", _K.TEXT, description="Free text; sensitive personal data."),
    ),
)

MEDICATION_ADMINISTRATIONS = Entity(
    name="medication_administrations",
    grain="One row per version of a scheduled or PRN dose (eMAR).",
    versioned=True,
    key=("record_uid", "version"),
    references={**_PERSON, **_LOCATION, **_STAFF},
    columns=(
        *_VERSIONING,
        Column("person_id", _K.IDENTIFIER, required=True),
        Column("location_id", _K.IDENTIFIER, required=True),
        Column("staff_id", _K.IDENTIFIER),
        Column("medicine", _K.TEXT, required=True),
        Column("dmd_code", _K.DIGITS),
        Column("scheduled_at", _K.TIMESTAMP),
        Column("recorded_at", _K.TIMESTAMP, required=True),
        _enum("outcome", enums.MedicationOutcome, required=True),
        Column("is_prn", _K.BOOLEAN),
        Column("is_time_critical", _K.BOOLEAN),
    ),
)

ALERTS = Entity(
    name="alerts",
    grain="One row per version of an alert raised by the DSCR (MODS Alert).",
    versioned=True,
    key=("record_uid", "version"),
    references={**_LOCATION, **_PERSON, **_STAFF},
    columns=(
        *_VERSIONING,
        Column("location_id", _K.IDENTIFIER, required=True),
        Column("person_id", _K.IDENTIFIER),
        Column("staff_id", _K.IDENTIFIER),
        _enum("category", enums.AlertCategory, required=True),
        _enum("severity", enums.AlertSeverity),
        Column("raised_at", _K.TIMESTAMP, required=True),
        Column("acknowledged_at", _K.TIMESTAMP),
        Column("resolved_at", _K.TIMESTAMP),
        _enum("outcome", enums.AlertOutcome),
    ),
)

VISITS = Entity(
    name="visits",
    grain="One row per version of a scheduled home-care visit (FHIR Encounter).",
    versioned=True,
    key=("record_uid", "version"),
    references={**_PERSON, **_STAFF, **_LOCATION},
    columns=(
        *_VERSIONING,
        Column("person_id", _K.IDENTIFIER, required=True),
        Column("staff_id", _K.IDENTIFIER),
        Column("location_id", _K.IDENTIFIER, required=True),
        Column("scheduled_start", _K.TIMESTAMP, required=True),
        Column("scheduled_end", _K.TIMESTAMP, required=True),
        Column("check_in_at", _K.TIMESTAMP),
        Column("check_out_at", _K.TIMESTAMP),
        _enum("check_method", enums.CheckMethod),
        _enum("visit_status", enums.VisitStatus, required=True),
    ),
)

CARE_PLAN_REVIEWS = Entity(
    name="care_plan_reviews",
    grain="One row per version of a due care-plan review.",
    versioned=True,
    key=("record_uid", "version"),
    references={**_PERSON, **_LOCATION},
    columns=(
        *_VERSIONING,
        Column("person_id", _K.IDENTIFIER, required=True),
        Column("location_id", _K.IDENTIFIER, required=True),
        Column("due_date", _K.DATE, required=True),
        Column("completed_at", _K.TIMESTAMP),
    ),
)

#: Entities in the order they are applied within a package: referenced entities first.
ENTITY_ORDER: tuple[Entity, ...] = (
    LOCATIONS,
    PEOPLE,
    STAFF,
    OCCUPANCY,
    SHIFTS,
    CARE_NOTES,
    INCIDENTS,
    MEDICATION_ADMINISTRATIONS,
    ALERTS,
    VISITS,
    CARE_PLAN_REVIEWS,
)
ENTITIES: dict[str, Entity] = {e.name: e for e in ENTITY_ORDER}


def entity_for_file(file_name: str) -> Entity | None:
    """The entity a package file carries, or None for a file the spec does not name."""
    stem = file_name.lower().removesuffix(".csv")
    return ENTITIES.get(stem) if file_name.lower().endswith(".csv") else None
