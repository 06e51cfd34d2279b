"""Declarations of the section 5 input files: source headers, kinds, required columns and keys.

Spec: shared/spec/dscr-export-v1.md section 5. Each input is read as text, its columns found by
header name (trimmed, lower-cased, inner spaces collapsed), never by position. The row contracts
(``data_contracts.inputs.contracts``) and the loader (``pipelines.inputs``) read these
declarations, so the shape of each file is written down once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from data_contracts import enums


class CellKind(StrEnum):
    """How a text cell of a section 5 input is checked and typed."""

    CQC_ID = "cqc_id"  # `1-` followed by 9 to 11 digits
    ONS_CODE = "ons_code"  # GSS code: a letter and eight digits (E38000014)
    ODS_CODE = "ods_code"  # three-character ODS code of an ICB (QOP)
    TEXT = "text"  # free text, trimmed
    ENUM = "enum"  # matched after trimming and lower-casing
    INTEGER = "integer"
    DECIMAL = "decimal"  # plain decimal, at most DECIMAL_SCALE places; stored as DECIMAL(18,4)
    DATE = "date"  # YYYY-MM-DD only
    BOOLEAN = "boolean"  # true/false, 1/0, y/n, yes/no, any case


DECIMAL_PRECISION = 18
DECIMAL_SCALE = 4


@dataclass(frozen=True, slots=True)
class InputColumn:
    """One column of an input file: the header it is found by and the column it becomes."""

    name: str
    """Warehouse column name."""
    header: str
    """Header text in the file as published (matched after ``normalise_header``)."""
    kind: CellKind
    required: bool = False
    """A missing column rejects the file (and, unless ``empty_allowed``, an empty cell
    quarantines the row)."""
    empty_allowed: bool | None = None
    """Whether an empty cell is a null value; defaults to ``not required``."""
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    description: str = ""

    @property
    def is_nullable(self) -> bool:
        """Whether an empty cell loads as null rather than quarantining the row."""
        return not self.required if self.empty_allowed is None else self.empty_allowed


@dataclass(frozen=True, slots=True)
class InputFile:
    """One section 5 input file and the reference table it feeds."""

    name: str
    table: str
    grain: str
    columns: tuple[InputColumn, ...]
    signature: tuple[str, ...]
    """Normalised headers that identify the file; a row holding all of them is the header."""
    key: tuple[str, ...] = ()
    """Columns identifying a row within one file; empty when rows have no natural key."""
    report_extra_columns: bool = True
    """Whether unknown extra columns are reported (not for CQC's wide published files)."""

    @property
    def required_headers(self) -> tuple[str, ...]:
        """Normalised headers whose absence rejects the file."""
        return tuple(normalise_header(c.header) for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Warehouse column names, in declaration order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> InputColumn:
        """The declared column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


_SPACES = re.compile(r"\s+")


def normalise_header(text: str) -> str:
    """A header cell as matched: spaces (no-break too) collapsed, trimmed and lower-cased."""
    return _SPACES.sub(" ", text.replace("\xa0", " ")).strip().lower()


def _values(enum_type: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum_type)


_K = CellKind

CQC_DIRECTORY = InputFile(
    name="cqc_directory",
    table="reference.cqc_locations",
    grain="One row per CQC location per directory snapshot.",
    signature=("location id", "location name"),
    key=("location_id",),
    report_extra_columns=False,
    columns=(
        InputColumn("location_id", "Location ID", _K.CQC_ID, required=True),
        InputColumn("location_name", "Location Name", _K.TEXT, required=True),
        InputColumn("is_dormant", "Dormant (Y/N)", _K.BOOLEAN, required=True, empty_allowed=True),
        InputColumn("is_care_home", "Care home?", _K.BOOLEAN, required=True, empty_allowed=True),
        InputColumn(
            "care_home_beds",
            "Care homes beds",
            _K.INTEGER,
            required=True,
            empty_allowed=True,
            minimum=0,
            description="Registered beds; empty for services that are not care homes",
        ),
        InputColumn(
            "inspection_directorate",
            "Location Inspection Directorate",
            _K.TEXT,
            required=True,
            empty_allowed=True,
        ),
        InputColumn("primary_inspection_category", "Location Primary Inspection Category", _K.TEXT),
        InputColumn("local_authority", "Location Local Authority", _K.TEXT),
        InputColumn(
            "onspd_ccg_code",
            "Location ONSPD CCG Code",
            _K.TEXT,
            required=True,
            empty_allowed=True,
            description="Sub-ICB (former CCG) ONS code of the postcode; joins sub_icb_lookup",
        ),
        InputColumn("provider_id", "Provider ID", _K.CQC_ID, required=True),
        InputColumn("provider_name", "Provider Name", _K.TEXT),
    ),
)
"""CQC "care directory with filters", sheet HSCA_Active_Locations (spec 5.1)."""

CQC_PLAIN_DIRECTORY = InputFile(
    name="cqc_plain_directory",
    table="reference.cqc_locations",
    grain="One row per CQC location per directory snapshot.",
    signature=("name", "cqc location id (for office use only)"),
    key=("location_id",),
    report_extra_columns=False,
    columns=(
        InputColumn(
            "location_id", "CQC Location ID (for office use only)", _K.CQC_ID, required=True
        ),
        InputColumn("location_name", "Name", _K.TEXT, required=True),
        InputColumn(
            "service_types",
            "Service types",
            _K.TEXT,
            description="Pipe-separated service types; care homes are 'Residential homes' or "
            "'Nursing homes'",
        ),
        InputColumn("local_authority", "Local authority", _K.TEXT),
        InputColumn(
            "provider_id", "CQC Provider ID (for office use only)", _K.CQC_ID, required=True
        ),
        InputColumn("provider_name", "Provider name", _K.TEXT),
    ),
)
"""CQC's plain "CQC directory" CSV: no beds, no directorate, no CCG code (those load as null)."""

SUB_ICB_LOOKUP = InputFile(
    name="sub_icb_lookup",
    table="reference.sub_icb_lookup",
    grain="One row per sub-ICB location per valid_from date.",
    signature=("sub_icb_ons_code", "icb_ods_code"),
    key=("sub_icb_ons_code", "valid_from"),
    columns=(
        InputColumn("sub_icb_ons_code", "sub_icb_ons_code", _K.ONS_CODE, required=True),
        InputColumn("sub_icb_name", "sub_icb_name", _K.TEXT),
        InputColumn("icb_ods_code", "icb_ods_code", _K.ODS_CODE, required=True),
        InputColumn("icb_ons_code", "icb_ons_code", _K.ONS_CODE),
        InputColumn("icb_name", "icb_name", _K.TEXT, required=True),
        InputColumn("region_name", "region_name", _K.TEXT),
        InputColumn(
            "valid_from",
            "valid_from",
            _K.DATE,
            description="First day the mapping holds; empty means it always has",
        ),
    ),
)
"""Sub-ICB to ICB lookup with ``valid_from`` for boundary changes (spec 5.2)."""

PIR_TYPES = ("residential", "community")

ADOPTION_RETURNS = InputFile(
    name="adoption_returns",
    table="reference.adoption_returns",
    grain="One row per location per PIR submission date.",
    signature=("location id", "pir submission date"),
    key=("location_id", "pir_submission_date"),
    columns=(
        InputColumn("location_id", "Location ID", _K.CQC_ID, required=True),
        InputColumn("pir_submission_date", "PIR submission date", _K.DATE, required=True),
        InputColumn("pir_type", "PIR type", _K.ENUM, values=PIR_TYPES),
        InputColumn(
            "uses_dscr", "Use a Digital Social Care Record system?", _K.BOOLEAN, required=True
        ),
        InputColumn("dscr_supplier", "DSCR supplier", _K.TEXT),
        InputColumn("dscr_status", "DSCR status", _K.ENUM, values=_values(enums.DscrStatus)),
    ),
)
"""DSCR adoption returns in the shape of the CQC PIR fields (spec 5.3)."""

COSTS = InputFile(
    name="costs",
    table="reference.cost_lines",
    grain="One row per cost line of a provider's latest cost statement.",
    signature=("provider_id", "unit_cost_gbp"),
    columns=(
        InputColumn("provider_id", "provider_id", _K.CQC_ID, required=True),
        InputColumn(
            "category", "category", _K.ENUM, required=True, values=_values(enums.CostCategory)
        ),
        InputColumn("item", "item", _K.TEXT, required=True),
        InputColumn(
            "cost_type", "cost_type", _K.ENUM, required=True, values=_values(enums.CostType)
        ),
        InputColumn("unit_cost_gbp", "unit_cost_gbp", _K.DECIMAL, required=True, minimum=0),
        InputColumn("quantity", "quantity", _K.DECIMAL, required=True, minimum=0),
        InputColumn(
            "frequency", "frequency", _K.ENUM, required=True, values=_values(enums.Frequency)
        ),
        InputColumn("start_date", "start_date", _K.DATE, required=True),
        InputColumn(
            "end_date", "end_date", _K.DATE, description="Recurrent costs stop after this date"
        ),
        InputColumn(
            "replacement_years",
            "replacement_years",
            _K.DECIMAL,
            minimum=0,
            description="Hardware replaced on this cycle (whole cost again); years",
        ),
        InputColumn(
            "annual_loss_rate",
            "annual_loss_rate",
            _K.DECIMAL,
            minimum=0,
            maximum=1,
            description="Share of units lost or broken per year, replaced at unit cost",
        ),
    ),
)
"""``costs.csv``: one provider's cost lines (spec 5.4)."""

INPUT_FILES: tuple[InputFile, ...] = (
    ADOPTION_RETURNS,
    CQC_DIRECTORY,
    CQC_PLAIN_DIRECTORY,
    SUB_ICB_LOOKUP,
    COSTS,
)
"""Every declared input, in the order detection tries them (adoption returns before the CQC
directory: both have ``Location ID``, and only the returns have ``PIR submission date``)."""
