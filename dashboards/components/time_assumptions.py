"""The Time page's assumptions: the values in force, where each came from, and the edit form.

Values come from the provider's history in the accounts file
(:mod:`dashboards.accounts.assumptions`) over the registry's defaults
(:mod:`cost_model.assumptions`). A default is always shown with its source; an entry with no
default (the paper-era baseline, the managerial task times) says it is not entered, and a
published claim (the government's 20 minutes a shift) is shown beside it as a reference only.
Only owners change them; everyone else reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
from dash import dcc, html

from cost_model.assumptions import (
    ASSUMPTIONS,
    UNIT_LABELS,
    Assumption,
    AssumptionBasis,
    AssumptionName,
    AssumptionUnit,
)
from dashboards.accounts import ProviderAssumption
from dashboards.components.measure_sections import query_href
from dashboards.components.tables import aria
from dashboards.components.time_parts import (
    ASSUMPTIONS_TABLE,
    FORM,
    FORM_HINT,
    FORM_NAME,
    FORM_NOTE,
    FORM_VALUE,
    PATH,
    SAVE,
    STATUS,
    Basis,
    TimeTable,
    badge,
    download_buttons,
    money,
    plain,
)
from dashboards.components.time_results import Resolved
from dashboards.dates import format_instant
from dashboards.roles import Identity, Role

ASSUMPTION_EDITOR_ROLES = frozenset({Role.OWNER})
"""Who may change a provider's assumptions: its owners (the figures feed their return on
investment); quality leads and inspectors read them."""

LABELS: Mapping[AssumptionName, str] = {
    AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT: (
        "Paper-era recording time per care-worker shift (care homes)"
    ),
    AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_VISIT: (
        "Paper-era recording time per visit (home care)"
    ),
    AssumptionName.CARE_PLAN_REVIEW_MINUTES_BEFORE: "Care-plan review, on paper",
    AssumptionName.CARE_PLAN_REVIEW_MINUTES_AFTER: "Care-plan review, with the digital record",
    AssumptionName.AUDIT_MINUTES_BEFORE: "Audit, on paper",
    AssumptionName.AUDIT_MINUTES_AFTER: "Audit, with the digital record",
    AssumptionName.AUDITS_PER_MONTH: "Audits a month",
    AssumptionName.HANDOVER_MINUTES_BEFORE: "Handover, on paper",
    AssumptionName.HANDOVER_MINUTES_AFTER: "Handover, with the digital record",
    AssumptionName.HANDOVERS_PER_MONTH: "Handovers a month",
    AssumptionName.CARE_WORKER_HOURLY_PAY_GBP: "Care worker's hourly pay",
    AssumptionName.MANAGER_HOURLY_PAY_GBP: "Manager's hourly pay",
    AssumptionName.ON_COST_SHARE: "Employer on-costs (share of pay)",
}
"""How each assumption is named on the page."""


def may_edit_assumptions(identity: Identity) -> bool:
    """Whether ``identity`` may change the provider's assumptions (its owners only)."""
    return identity.data_role in ASSUMPTION_EDITOR_ROLES and identity.scope.provider_id is not None


def shown_names(service_types: Iterable[str]) -> list[AssumptionName]:
    """The assumptions that apply to locations of these service types, in the page's order."""
    types = set(service_types)
    names = []
    if types - {"home_care"}:
        names.append(AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT)
    if "home_care" in types:
        names.append(AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_VISIT)
    return names + [name for name in LABELS if "baseline" not in name.value]


def value_text(value: Any, unit: AssumptionUnit) -> str:
    """A value with its unit: ``£12.00 an hour``, ``27.75% of pay``, ``40 minutes per shift``."""
    if value is None:
        return "Not entered"
    if unit is AssumptionUnit.GBP_PER_HOUR:
        return f"{money(value)} an hour"
    if unit is AssumptionUnit.SHARE_OF_PAY:
        return f"{plain(value * 100)}% of pay"
    words = {
        AssumptionUnit.MINUTES_PER_SHIFT: "minutes per shift",
        AssumptionUnit.MINUTES_PER_VISIT: "minutes per visit",
        AssumptionUnit.MINUTES_PER_TASK: "minutes each time",
        AssumptionUnit.TASKS_PER_MONTH: "a month",
    }
    return f"{plain(value)} {words[unit]}"


def where_from(
    entry: Assumption, *, resolved: Resolved, entered: Mapping[AssumptionName, ProviderAssumption]
) -> str:
    """Where the value in force came from.

    Who entered it and when, the default and its source, or that nobody has entered one.
    """
    basis = resolved[entry.name].basis
    if basis is AssumptionBasis.ENTERED:
        row = entered[entry.name]
        return f"Entered by {row.set_by} on {format_instant(row.set_at)}"
    if basis is AssumptionBasis.DEFAULT:
        return f"carelens default. Source: {entry.source}"
    return "Not entered: there is no default, only your own figure will do"


def reference_text(entry: Assumption) -> str:
    """The published figure shown beside an assumption, saying it is a reference only."""
    if entry.reference is None:
        return ""
    reference = entry.reference
    return (
        f"Reference, not used: {value_text(reference.value, entry.unit)}. {reference.note} "
        f"({reference.source})"
    )


def assumptions_frame(
    names: Iterable[AssumptionName],
    *,
    resolved: Resolved,
    entered: Mapping[AssumptionName, ProviderAssumption],
) -> pl.DataFrame:
    """One row per assumption shown: value in force, basis, source, default, range, reference."""
    rows = []
    for name in names:
        entry = ASSUMPTIONS[name]
        used = resolved[name]
        row = entered.get(name)
        rows.append(
            {
                "assumption": name.value,
                "label": LABELS[name],
                "value": None if used.value is None else str(used.value.normalize()),
                "unit": entry.unit.value,
                "basis": used.basis.value,
                "set_by": row.set_by if row and used.basis is AssumptionBasis.ENTERED else None,
                "set_at": row.set_at if row and used.basis is AssumptionBasis.ENTERED else None,
                "entered_note": row.note if row and used.basis is AssumptionBasis.ENTERED else None,
                "default": None if entry.value is None else str(entry.value),
                "plausible_low": None if entry.low is None else str(entry.low),
                "plausible_high": None if entry.high is None else str(entry.high),
                "source": entry.source,
                "reference": None if entry.reference is None else str(entry.reference.value),
                "reference_source": None if entry.reference is None else entry.reference.source,
            }
        )
    schema: dict[str, Any] = {
        "assumption": pl.String,
        "label": pl.String,
        "value": pl.String,
        "unit": pl.String,
        "basis": pl.String,
        "set_by": pl.String,
        "set_at": pl.Datetime("us", "UTC"),
        "entered_note": pl.String,
        "default": pl.String,
        "plausible_low": pl.String,
        "plausible_high": pl.String,
        "source": pl.String,
        "reference": pl.String,
        "reference_source": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def edit_href(name: AssumptionName, *, location_id: str | None) -> str:
    """The page with the form of one assumption open."""
    params = {"location": location_id} if location_id else {}
    return query_href(PATH, params={**params, "edit": name.value}, anchor=FORM_VALUE)


def assumptions_table(
    names: Iterable[AssumptionName],
    *,
    resolved: Resolved,
    entered: Mapping[AssumptionName, ProviderAssumption],
    editable: bool,
    location_id: str | None,
) -> html.Div:
    """The assumptions in force as a captioned table, each row labelled *Assumed*."""
    header = ["Assumption", "Value in force", "Where it comes from", "Published reference"]
    if editable:
        header.append("Change")
    body = []
    for name in names:
        entry = ASSUMPTIONS[name]
        used = resolved[name]
        cells: list[Any] = [
            html.Td([badge(Basis.ASSUMED), LABELS[name]]),
            html.Td(value_text(used.value, entry.unit)),
            html.Td(where_from(entry, resolved=resolved, entered=entered)),
            html.Td(reference_text(entry)),
        ]
        if editable:
            cells.append(
                html.Td(
                    html.A(
                        f"Change {LABELS[name][:1].lower()}{LABELS[name][1:]}",
                        href=edit_href(name, location_id=location_id),
                    )
                )
            )
        marker: dict[str, Any] = {"data-assumption": name.value}
        body.append(html.Tr(cells, **marker))
    caption = "Assumptions in force for your organisation"
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(text, scope="col") for text in header])),
                html.Tbody(body),
            ],
            className="data-table",
            id=ASSUMPTIONS_TABLE,
        ),
        className="table-scroll",
        tabIndex="0",
        role="region",
        **aria(label=caption),
    )


def assumptions_intro(*, editable: bool) -> html.P:
    """What the assumptions are, and who changes them."""
    who = (
        "Choose Change in a row to enter your own figure; leave it blank to go back to the "
        "default (or to no value). Every change is recorded in the audit trail."
        if editable
        else "Your organisation's owners enter and change them; you can see them but not "
        "change them."
    )
    return html.P(
        "These figures are taken on trust, not measured: the time things took on paper, and "
        f"what an hour of staff time costs. {who}",
        className="note",
    )


def form_hint(
    name: AssumptionName,
    *,
    resolved: Resolved,
    entered: Mapping[AssumptionName, ProviderAssumption],
) -> str:
    """What the form says about the unit, the value in force, the default and the reference."""
    entry = ASSUMPTIONS[name]
    now = where_from(entry, resolved=resolved, entered=entered)
    used = resolved[name].value
    default = (
        f"The default is {value_text(entry.value, entry.unit)}."
        if entry.value is not None
        else "There is no default."
    )
    reference = f" {reference_text(entry)}" if entry.reference else ""
    return (
        f"In {UNIT_LABELS[entry.unit]}. {entry.note} Now: {value_text(used, entry.unit)} "
        f"({now}). {default}{reference} Leave it blank to clear your figure."
    )


def assumption_form(
    name: AssumptionName,
    *,
    resolved: Resolved,
    entered: Mapping[AssumptionName, ProviderAssumption],
    location_id: str | None,
) -> html.Section:
    """The form that sets one assumption, filled with the value the provider entered (if any)."""
    row = entered.get(name)
    back = query_href(PATH, params={"location": location_id} if location_id else {})
    return html.Section(
        [
            html.H3([badge(Basis.ASSUMED), f"Change: {LABELS[name]}"]),
            html.P(
                form_hint(name, resolved=resolved, entered=entered), id=FORM_HINT, className="note"
            ),
            dcc.Store(id=FORM_NAME, data=name.value),
            dcc.Store(id=FORM),
            html.Div(
                [
                    html.Label(
                        f"Your figure ({UNIT_LABELS[ASSUMPTIONS[name].unit]})", htmlFor=FORM_VALUE
                    ),
                    dcc.Input(
                        id=FORM_VALUE,
                        type="text",
                        value=plain(row.value) if row and row.value is not None else "",
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
                    html.Label("How you measured it (optional)", htmlFor=FORM_NOTE),
                    dcc.Input(
                        id=FORM_NOTE,
                        type="text",
                        value=(row.note or "") if row else "",
                        autoComplete="off",
                        maxLength=300,
                        className="input",
                    ),
                ],
                className="form-group",
            ),
            html.Div(
                [
                    html.Button("Save", id=SAVE, className="button", type="button"),
                    dcc.Link("Close the form", href=back, className="quality-cancel"),
                ],
                className="quality-form-actions",
            ),
            html.P(id=STATUS, className="quality-status", role="status"),
        ],
        className="quality-target-form",
    )


def assumptions_downloads() -> html.Div:
    """The assumptions table's download buttons."""
    return download_buttons(TimeTable.ASSUMPTIONS, what="the assumptions")
