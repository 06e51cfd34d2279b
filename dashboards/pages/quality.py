"""Quality summary: every measure at every location in scope, concerns first, with targets.

One row per location and measure: the latest monthly rate, its month, the target, and the
Making Data Count variation and assurance icons of the latest point, worked out from the
monthly rates with limits recalculated from DSCR go-live. Each row links to the measure's
chart for that location. Owners and quality leads set targets here; inspectors see them
read-only (the save callback refuses them whatever the page shows). The table downloads as
CSV and XLSX, and every download and target change is recorded in the audit trail.
"""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import ClientsideFunction, Input, Output, State, callback, dcc, html

from dashboards import queries
from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components.empty_state import empty_state
from dashboards.components.quality_summary import (
    home_care_notes,
    summary_download,
    summary_rows,
    summary_table,
    target_text,
)
from dashboards.context import current_reader, current_services, record_access, utc_now
from dashboards.dates import format_instant
from dashboards.downloads import XLSX_MEDIA_TYPE, download_file_name, to_safe_csv, to_safe_xlsx
from dashboards.errors import WarehouseUnavailableError
from dashboards.measures import MeasureSpec, measure_spec, measures_for_service
from dashboards.roles import Identity, Role
from dashboards.targets import (
    TargetAccessError,
    TargetError,
    TargetStore,
    may_edit_targets,
)

PATH = "/quality"
dash.register_page(
    __name__,
    path=PATH,
    name="Quality summary",
    title="Quality summary - carelens",
    description="Falls, medication errors and pressure ulcers at each location, concerns first.",
    order=10,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.INSPECTOR}),
)

SUMMARY = "quality-summary"
TABLE = "quality-table"
CSV_BUTTON = "quality-csv-button"
CSV_DOWNLOAD = "quality-csv-download"
XLSX_BUTTON = "quality-xlsx-button"
XLSX_DOWNLOAD = "quality-xlsx-download"
TARGET_KEY = "quality-target-key"
TARGET_RATE = "quality-target-rate"
TARGET_HINT = "quality-target-hint"
TARGET_NOTE = "quality-target-note"
TARGET_FORM = "quality-target-form"
TARGET_SAVE = "quality-target-save"
TARGET_STATUS = "quality-target-status"

HEADING = "Quality summary"
CAPTION = "Latest monthly rate of each measure at each location, concerns first"
_KEY_SEPARATOR = "|"
_CHOOSE_FIRST = "Choose a location and measure first."


def _target_store() -> TargetStore:
    """The targets in the app's accounts file."""
    return TargetStore(current_services().accounts.path)


def _summary(identity: Identity) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The locations in scope and the summary rows, read for ``identity``."""
    reader = current_reader()
    locations = queries.quality_locations(reader=reader, identity=identity)
    monthly = queries.quality_monthly_rates(reader=reader, identity=identity)
    targets = {
        key: target.target_rate
        for key, target in _target_store().current_targets(identity=identity).items()
    }
    return locations, summary_rows(locations=locations, monthly=monthly, targets=targets)


def _table(frame: pl.DataFrame) -> html.Div:
    return summary_table(frame, table_id=TABLE, caption=CAPTION)


def _key(location_id: str, spec: MeasureSpec) -> str:
    return f"{location_id}{_KEY_SEPARATOR}{spec.measure}"


def _target_options(locations: pl.DataFrame) -> list[dict[str, str]]:
    """One option per location in scope and measure with a rate there."""
    return [
        {"label": f"{row['location_name']}: {spec.label}", "value": _key(row["location_id"], spec)}
        for row in locations.iter_rows(named=True)
        for spec in measures_for_service(row["service_type"])
    ]


def _chosen(locations: pl.DataFrame, key: object) -> tuple[dict[str, Any], MeasureSpec] | None:
    """The location row and measure of a form key, if it is one of the caller's options."""
    if not isinstance(key, str) or key not in {o["value"] for o in _target_options(locations)}:
        return None
    location_id, measure = key.split(_KEY_SEPARATOR, 1)
    row = locations.filter(pl.col("location_id") == location_id).row(0, named=True)
    return row, measure_spec(measure)


def _icon_key() -> html.Dl:
    return html.Dl(
        [
            html.Dt("Variation"),
            html.Dd(
                "Grey: the latest month is within the usual variation. Orange: special cause "
                "variation that is a concern (a rise, for these measures). Blue: special cause "
                "variation that is an improvement."
            ),
            html.Dt("Assurance"),
            html.Dd(
                "Compares the target with the process limits: it will consistently meet the "
                "target (P), consistently miss it (F), or hit and miss it at random (?). "
                "Limits are worked out again from the month each location went live on its "
                "digital care records."
            ),
        ],
        className="quality-key note",
    )


def layout(**_query: str) -> html.Div:
    """Lay out the summary of the caller's locations, its downloads and the target form."""
    identity = current_identity()
    try:
        locations, frame = _summary(identity)
    except WarehouseUnavailableError as error:
        return html.Div([html.H1(HEADING), empty_state(error.user_message)])
    if locations.is_empty():
        return html.Div(
            [
                html.H1(HEADING),
                empty_state(
                    "No location of yours has sent an export yet.", heading="No locations yet"
                ),
            ]
        )
    return html.Div(
        [
            html.H1(HEADING),
            html.P(
                "Falls, medication errors and pressure ulcers at each of your locations: the "
                "latest monthly rate, the target, and what the statistical process control "
                "chart says about the latest month. Concerns come first; open a measure to see "
                "its chart.",
                className="lead",
            ),
            html.Section(
                [
                    html.H2("Measures by location"),
                    *home_care_notes(locations),
                    _icon_key(),
                    html.Div(
                        [
                            html.Button(
                                "Download this table (CSV)",
                                id=CSV_BUTTON,
                                className="button",
                                type="button",
                            ),
                            html.Button(
                                "Download this table (XLSX)",
                                id=XLSX_BUTTON,
                                className="button",
                                type="button",
                            ),
                        ],
                        className="quality-downloads",
                    ),
                    dcc.Download(id=CSV_DOWNLOAD),
                    dcc.Download(id=XLSX_DOWNLOAD),
                    html.Div(_table(frame), id=SUMMARY),
                ],
                className="page-section",
            ),
            _targets_section(identity, locations=locations),
        ]
    )


def _targets_section(identity: Identity, *, locations: pl.DataFrame) -> html.Section:
    if not may_edit_targets(identity):
        return html.Section(
            [
                html.H2("Targets"),
                html.P(
                    "Targets are set by the provider's owners and quality leads. You can see "
                    "them in the table above but not change them.",
                    className="note",
                ),
            ],
            className="page-section",
        )
    return html.Section(
        [
            html.H2("Set a target"),
            html.P(
                "A target is a rate in the measure's unit, for one location. Leave it blank "
                "to clear the target. Every change is recorded in the audit trail.",
                className="note",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Location and measure", htmlFor=TARGET_KEY),
                            dcc.Dropdown(
                                id=TARGET_KEY,
                                options=_target_options(locations),
                                clearable=False,
                                searchable=False,
                                placeholder="Choose a location and measure",
                            ),
                        ],
                        className="form-group",
                    ),
                    html.Div(
                        [
                            html.Label("Target", htmlFor=TARGET_RATE),
                            html.P(
                                "Choose a location and measure to see its unit.",
                                id=TARGET_HINT,
                                className="hint",
                            ),
                            dcc.Input(
                                id=TARGET_RATE,
                                type="text",
                                autoComplete="off",
                                maxLength=12,
                                className="input input-code",
                            ),
                        ],
                        className="form-group",
                    ),
                    html.Div(
                        [
                            html.Label("Note (optional)", htmlFor=TARGET_NOTE),
                            dcc.Input(
                                id=TARGET_NOTE,
                                type="text",
                                autoComplete="off",
                                maxLength=300,
                                className="input",
                            ),
                        ],
                        className="form-group",
                    ),
                    dcc.Store(id=TARGET_FORM),
                    html.Button("Save target", id=TARGET_SAVE, className="button", type="button"),
                    html.P(id=TARGET_STATUS, className="quality-status", role="status"),
                ],
                className="quality-target-form",
            ),
        ],
        className="page-section",
    )


dash.clientside_callback(
    ClientsideFunction(namespace="carelens_quality", function_name="targetForm"),
    Output(TARGET_FORM, "data"),
    Input(TARGET_KEY, "value"),
    Input(TARGET_RATE, "value"),
    Input(TARGET_NOTE, "value"),
)


@callback(
    Output(TARGET_RATE, "value"),
    Output(TARGET_NOTE, "value"),
    Output(TARGET_HINT, "children"),
    Input(TARGET_KEY, "value"),
    prevent_initial_call=True,
)
def show_target(key: object) -> tuple[str, str, str]:
    """Fill the form with the target in force for the chosen location and measure."""
    identity = current_identity()
    locations = queries.quality_locations(reader=current_reader(), identity=identity)
    chosen = _chosen(locations, key)
    if chosen is None:
        return "", "", "Choose a location and measure to see its unit."
    row, spec = chosen
    current = (
        _target_store().current_targets(identity=identity).get((row["location_id"], spec.measure))
    )
    unit = f"{spec.label} {spec.unit_label}, from 0 to 1,000."
    if current is None:
        return "", "", f"{unit} No target is set."
    set_at = format_instant(current.set_at)
    hint = f"{unit} Now {target_text(current.target_rate)}, set by {current.set_by} on {set_at}."
    return target_text(current.target_rate), current.note or "", hint


@callback(
    Output(TARGET_STATUS, "children"),
    Output(TARGET_STATUS, "className"),
    Output(SUMMARY, "children"),
    Input(TARGET_SAVE, "n_clicks"),
    State(TARGET_FORM, "data"),
    prevent_initial_call=True,
)
def save_target(n_clicks: object, form: object) -> tuple[str, str, Any]:
    """Store the form's target (owners and quality leads, locations in scope only).

    Inspectors, locations and measures outside the caller's options, and values that are not
    a number from 0 to 1,000 are refused with a message; nothing the caller sent is echoed.
    """
    identity = current_identity()
    error_class = "quality-status is-error"
    if not n_clicks:
        return "", "quality-status", dash.no_update
    if not may_edit_targets(identity):
        return "You can see targets but not change them.", error_class, dash.no_update
    values = form if isinstance(form, dict) else {}
    locations = queries.quality_locations(reader=current_reader(), identity=identity)
    chosen = _chosen(locations, values.get("key"))
    if chosen is None:
        return _CHOOSE_FIRST, error_class, dash.no_update
    row, spec = chosen
    try:
        change = _target_store().set_target(
            identity=identity,
            location_id=row["location_id"],
            measure=spec.measure,
            target_rate=values.get("target_rate"),  # checked there
            note=values.get("note"),
            locations=locations["location_id"].to_list(),
            now=utc_now(),
        )
    except TargetError as error:
        return str(error), error_class, dash.no_update
    except TargetAccessError:
        return _CHOOSE_FIRST, error_class, dash.no_update
    record_access(AccessEventKind.TARGET_CHANGED, detail=change.describe())
    rate = change.current.target_rate
    where = f"{row['location_name']}, {spec.label.lower()}"
    message = (
        f"Target cleared for {where}."
        if rate is None
        else f"Target saved for {where}: {target_text(rate)} {spec.unit_label}."
    )
    _locations, frame = _summary(identity)
    return message, "quality-status", _table(frame)


def _download_frame(identity: Identity) -> pl.DataFrame:
    _locations, frame = _summary(identity)
    return summary_download(frame)


@callback(
    Output(CSV_DOWNLOAD, "data"),
    Input(CSV_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)
def download_csv(n_clicks: object) -> dict[str, Any] | None:
    """Send the summary table as a spreadsheet-safe CSV file; the download is audited."""
    identity = current_identity()
    if not n_clicks:
        return None
    frame = _download_frame(identity)
    filename = download_file_name("quality-summary", identity.scope.provider_id or "")
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=frame.height)
    return dcc.send_string(to_safe_csv(frame), filename=filename, type="text/csv")


@callback(
    Output(XLSX_DOWNLOAD, "data"),
    Input(XLSX_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)
def download_xlsx(n_clicks: object) -> dict[str, Any] | None:
    """Send the summary table as a spreadsheet-safe XLSX workbook; the download is audited."""
    identity = current_identity()
    if not n_clicks:
        return None
    frame = _download_frame(identity)
    filename = download_file_name(
        "quality-summary", identity.scope.provider_id or "", suffix=".xlsx"
    )
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=frame.height)
    workbook = to_safe_xlsx(frame, sheet_name="Quality summary")
    return dcc.send_bytes(workbook, filename=filename, type=XLSX_MEDIA_TYPE)
