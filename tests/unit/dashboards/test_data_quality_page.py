from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from audit_sample import CLEAN_RUN, QUARANTINE_RUN, serving
from dash.development.base_component import Component

from dashboards.context import AppServices


def _components(root: Any) -> Iterator[Component]:
    if isinstance(root, Component):
        yield root
        yield from _components(getattr(root, "children", None))
    elif isinstance(root, list | tuple):
        for child in root:
            yield from _components(child)


def _text(root: Any) -> str:
    if isinstance(root, str | int):
        return str(root)
    if isinstance(root, Component):
        return _text(getattr(root, "children", None))
    if isinstance(root, list | tuple):
        return "".join(_text(child) for child in root)
    return ""


def _by_id(root: Any, component_id: str) -> Component:
    return next(c for c in _components(root) if getattr(c, "id", None) == component_id)


def _table_rows(table: Component) -> list[list[str]]:
    body = next(c for c in _components(table) if type(c).__name__ == "Tbody")
    return [[_text(cell) for cell in row.children] for row in body.children]


class TestLayout:
    def test_lists_every_run_and_shows_the_latest(
        self, data_quality_page: ModuleType, services: AppServices
    ) -> None:
        # When the page is laid out with no run chosen
        page = data_quality_page.layout()

        # Then the history lists both runs, newest first, in London time
        rows = _table_rows(_by_id(page, data_quality_page.HISTORY))
        assert [row[:2] for row in rows] == [
            ["22 Nov 2026 02:00", "Loaded with quarantined rows"],
            ["21 Nov 2026 02:00", "Clean"],
        ]
        assert rows[0][5:9] == ["523", "500", "20", "3"]
        # and the details are of the latest run
        assert _by_id(page, data_quality_page.RUN).data == QUARANTINE_RUN
        details = _text(_by_id(page, data_quality_page.DETAILS))
        assert "All 3 quarantined rows" in details
        assert "ignored column: notes" in details
        assert "No Great Expectations Data Docs were written for this run." in details

    def test_shows_the_run_chosen_in_the_query_string(
        self, data_quality_page: ModuleType, services: AppServices
    ) -> None:
        page = data_quality_page.layout(run=CLEAN_RUN)

        details = _by_id(page, data_quality_page.DETAILS)
        links = [c.href for c in _components(details) if type(c).__name__ == "A"]
        assert _by_id(page, data_quality_page.RUN).data == CLEAN_RUN
        assert links == [f"/data-docs/{CLEAN_RUN}/index.html"]
        assert "No rows were quarantined in this run." in _text(details)

    def test_an_unknown_run_falls_back_to_the_latest(
        self, data_quality_page: ModuleType, services: AppServices
    ) -> None:
        page = data_quality_page.layout(run="'; drop table audit.load_runs; --")

        assert _by_id(page, data_quality_page.RUN).data == QUARANTINE_RUN

    def test_chart_has_a_text_summary(
        self, data_quality_page: ModuleType, services: AppServices
    ) -> None:
        page = data_quality_page.layout()

        figure = next(c for c in _components(page) if type(c).__name__ == "Figure")
        assert _text(figure).startswith("In 2 runs from 21 Nov 2026 02:00 to 22 Nov 2026 02:00")

    def test_missing_warehouse_shows_how_to_load(
        self, data_quality_page: ModuleType, tmp_path: Path
    ) -> None:
        with serving(tmp_path / "carelens.duckdb"):
            page = data_quality_page.layout()

        assert _text(page) == (
            "Data qualityNothing to show yetNo load has run yet: run carelens load INBOX."
        )


class TestDownloadQuarantine:
    def test_sends_every_quarantined_row_neutralised(
        self, data_quality_page: ModuleType, services: AppServices
    ) -> None:
        download = data_quality_page.download_quarantine(1, QUARANTINE_RUN)

        assert download["filename"] == f"quarantine-{QUARANTINE_RUN}.csv"
        assert download["content"].splitlines() == [
            "export_id,file_name,line_number,rule,reason",
            "pkg-b,care_notes.csv,5,date_format,recorded_at: 03/04/2025",
            "pkg-b,care_notes.csv,9,date_format,'=HYPERLINK(bad) in date",
            "pkg-b,incidents.csv,12,unresolved_reference,person_id: P9",
        ]

    def test_does_nothing_before_a_click(
        self, data_quality_page: ModuleType, services: AppServices
    ) -> None:
        assert data_quality_page.download_quarantine(None, QUARANTINE_RUN) is None
