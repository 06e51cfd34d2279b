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
    QualityTarget,
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
TARGET_SECTION = "quality-target-section"

HEADING = "Quality summary"
CAPTION = "Latest monthly rate of each measure at each location, concerns first"
_KEY_SEPARATOR = "|"
_UNCHANGED = (dash.no_update, dash.no_update)
_CHOOSE_FIRST = "Choose Set target or Change target in a row of the table first."


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


def _table(frame: pl.DataFrame, *, identity: Identity) -> html.Div:
    edit_path = PATH if may_edit_targets(identity) else None
    return summary_table(frame, table_id=TABLE, caption=CAPTION, edit_path=edit_path)


def _key(location_id: str, spec: MeasureSpec) -> str:
    return f"{location_id}{_KEY_SEPARATOR}{spec.measure}"


def _editable_keys(locations: pl.DataFrame) -> set[str]:
    """One key per location in scope and measure with a rate there."""
    return {
        _key(row["location_id"], spec)
        for row in locations.iter_rows(named=True)
        for spec in measures_for_service(row["service_type"])
    }


def _chosen(locations: pl.DataFrame, key: object) -> tuple[dict[str, Any], MeasureSpec] | None:
    """The location row and measure of a form key, if it is one the caller may set."""
    if not isinstance(key, str) or key not in _editable_keys(locations):
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


def layout(location: str | None = None, measure: str | None = None, **_query: str) -> html.Div:
    """Lay out the summary of the caller's locations, its downloads and the target form.

    ``?location=<id>&measure=<measure>`` opens the target form of that row, above the table,
    for callers who may set targets (anything else in the query string is ignored).
    """
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
    editing = None
    if may_edit_targets(identity) and isinstance(location, str) and isinstance(measure, str):
        editing = _chosen(locations, f"{location}{_KEY_SEPARATOR}{measure}")
    form = [_target_form(identity, editing=editing)] if editing is not None else []
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
            *form,
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
                    html.Div(_table(frame, identity=identity), id=SUMMARY),
                ],
                className="page-section",
            ),
            *([] if editing is not None else [_targets_note(identity)]),
        ]
    )


def _targets_note(identity: Identity) -> html.Section:
    """How targets are set, or for inspectors that they are read-only."""
    if not may_edit_targets(identity):
        text = (
            "Targets are set by the provider's owners and quality leads. You can see them in "
            "the table above but not change them."
        )
    else:
        text = (
            "To set or change a target, choose Set target or Change target in the table's "
            "Target column. A target is a rate in the measure's unit, for one location."
        )
    return html.Section(
        [html.H2("Targets"), html.P(text, className="note")], className="page-section"
    )


def _hint(spec: MeasureSpec, current: QualityTarget | None) -> str:
    """What the target form says about the unit and the target in force."""
    if current is None or current.target_rate is None:
        now = "No target is set."
    else:
        now = (
            f"Now {target_text(current.target_rate)}, set by {current.set_by} on "
            f"{format_instant(current.set_at)}."
        )
    return (
        f"A rate {spec.unit_label}, from 0 to 1,000. Leave it blank to clear the target. "
        f"{now} Every change is recorded in the audit trail."
    )


def _target_form(identity: Identity, *, editing: tuple[dict[str, Any], MeasureSpec]) -> Any:
    """The form that sets the target of one location and measure, filled with the current one."""
    row, spec = editing
    current = (
        _target_store().current_targets(identity=identity).get((row["location_id"], spec.measure))
    )
    return html.Section(
        [
            html.H2(f"Set the {spec.label.lower()} target of {row['location_name']}"),
            html.P(_hint(spec, current), id=TARGET_HINT, className="note"),
            dcc.Store(id=TARGET_KEY, data=_key(row["location_id"], spec)),
            dcc.Store(id=TARGET_FORM),
            html.Div(
                [
                    html.Label(f"Target ({spec.unit_label})", htmlFor=TARGET_RATE),
                    dcc.Input(
                        id=TARGET_RATE,
                        type="text",
                        value=target_text(current.target_rate) if current else "",
                        autoComplete="off",
                        autoFocus=True,
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
                        value=(current.note or "") if current else "",
                        autoComplete="off",
                        maxLength=300,
                        className="input",
                    ),
                ],
                className="form-group",
            ),
            html.Div(
                [
                    html.Button("Save target", id=TARGET_SAVE, className="button", type="button"),
                    dcc.Link("Back to the summary", href=PATH, className="quality-cancel"),
                ],
                className="quality-form-actions",
            ),
            html.P(id=TARGET_STATUS, className="quality-status", role="status"),
        ],
        id=TARGET_SECTION,
        className="page-section quality-target-form",
    )


dash.clientside_callback(
    ClientsideFunction(namespace="carelens_quality", function_name="targetForm"),
    Output(TARGET_FORM, "data"),
    Input(TARGET_KEY, "data"),
    Input(TARGET_RATE, "value"),
    Input(TARGET_NOTE, "value"),
)


@callback(
    Output(TARGET_STATUS, "children"),
    Output(TARGET_STATUS, "className"),
    Output(TARGET_HINT, "children"),
    Output(SUMMARY, "children"),
    Input(TARGET_SAVE, "n_clicks"),
    State(TARGET_FORM, "data"),
    prevent_initial_call=True,
)
def save_target(n_clicks: object, form: object) -> tuple[str, str, Any, Any]:
    """Store the form's target (owners and quality leads, locations in scope only).

    Inspectors, locations and measures outside the caller's options, and values that are not
    a number from 0 to 1,000 are refused with a message; nothing the caller sent is echoed.
    """
    identity = current_identity()
    error_class = "quality-status is-error"
    if not n_clicks:
        return "", "quality-status", dash.no_update, dash.no_update
    if not may_edit_targets(identity):
        return "You can see targets but not change them.", error_class, *_UNCHANGED
    values = form if isinstance(form, dict) else {}
    locations = queries.quality_locations(reader=current_reader(), identity=identity)
    chosen = _chosen(locations, values.get("key"))
    if chosen is None:
        return _CHOOSE_FIRST, error_class, *_UNCHANGED
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
        return str(error), error_class, *_UNCHANGED
    except TargetAccessError:
        return _CHOOSE_FIRST, error_class, *_UNCHANGED
    record_access(AccessEventKind.TARGET_CHANGED, detail=change.describe())
    rate = change.current.target_rate
    where = f"{row['location_name']}, {spec.label.lower()}"
    message = (
        f"Target cleared for {where}."
        if rate is None
        else f"Target saved for {where}: {target_text(rate)} {spec.unit_label}."
    )
    _locations, frame = _summary(identity)
    hint = _hint(spec, change.current)
    return message, "quality-status", hint, _table(frame, identity=identity)


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
