"""Variation and assurance icons (dashboards.components.spc_icons)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from dash import html

from dashboards.components.spc_icons import assurance_icon, variation_icon

SPC_CSS = Path(__file__).parents[3] / "dashboards" / "assets" / "spc.css"


def _ring(icon: html.Span) -> Any:
    """The icon's ring: the first child of the wrapper."""
    children = icon.children
    return children[0] if isinstance(children, list) else children


def _texts(component: Any) -> list[str]:
    """All text in a component tree, in order."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    if not isinstance(children, list):
        children = [children]
    return [text for child in children for text in _texts(child)]


def _class_names(component: Any) -> list[str]:
    names = [getattr(component, "className", None) or ""]
    children = getattr(component, "children", None) or []
    for child in children if isinstance(children, list) else [children]:
        if not isinstance(child, str):
            names += _class_names(child)
    return [name for name in names if name]


class TestVariationIcon:
    @pytest.mark.parametrize(
        ("variation", "kind", "letter", "sign", "label"),
        [
            (
                "common_cause",
                "common-cause",
                [],
                "flat",
                "Common cause variation: no significant change",
            ),
            (
                "special_cause_improvement_high",
                "improvement",
                ["H"],
                "high",
                "Special cause variation: improving, higher",
            ),
            (
                "special_cause_improvement_low",
                "improvement",
                ["L"],
                "low",
                "Special cause variation: improving, lower",
            ),
            (
                "special_cause_concern_high",
                "concern",
                ["H"],
                "high",
                "Special cause variation: concerning, higher",
            ),
            (
                "special_cause_concern_low",
                "concern",
                ["L"],
                "low",
                "Special cause variation: concerning, lower",
            ),
            (
                "special_cause_neutral_high",
                "neutral",
                ["H"],
                "high",
                "Special cause variation: higher, neither better nor worse",
            ),
            (
                "special_cause_neutral_low",
                "neutral",
                ["L"],
                "low",
                "Special cause variation: lower, neither better nor worse",
            ),
        ],
    )
    def test_draws_each_variation_as_a_labelled_image(
        self, variation: str, kind: str, letter: list[str], sign: str, label: str
    ) -> None:
        # When
        ring = _ring(variation_icon(variation))  # type: ignore[arg-type]

        # Then
        attributes = ring.to_plotly_json()["props"]
        assert attributes["role"] == "img"
        assert attributes["aria-label"] == label
        assert attributes["title"] == label
        assert ring.className == f"spc-icon spc-icon--{kind}"
        assert _texts(ring) == letter
        assert f"spc-icon__dots spc-icon__dots--{sign}" in _class_names(ring)

    def test_a_low_icon_puts_its_letter_under_the_dots(self) -> None:
        high = _ring(variation_icon("special_cause_concern_high")).children
        low = _ring(variation_icon("special_cause_concern_low")).children

        assert [child.className for child in high] == [
            "spc-icon__letter",
            "spc-icon__dots spc-icon__dots--high",
        ]
        assert [child.className for child in low] == [
            "spc-icon__dots spc-icon__dots--low",
            "spc-icon__letter",
        ]

    def test_with_its_label_shown_the_ring_is_hidden_from_screen_readers(self) -> None:
        icon = variation_icon("special_cause_improvement_low", show_label=True)

        ring, label = icon.children
        assert ring.to_plotly_json()["props"]["aria-hidden"] == "true"
        assert "role" not in ring.to_plotly_json()["props"]
        assert label.children == "Special cause variation: improving, lower"

    def test_no_values_draws_an_empty_ring(self) -> None:
        ring = _ring(variation_icon(None))

        assert ring.className == "spc-icon spc-icon--none"
        assert ring.to_plotly_json()["props"]["aria-label"] == (
            "No variation icon: there are no values yet"
        )

    def test_refuses_an_unknown_variation(self) -> None:
        with pytest.raises(ValueError, match="unknown variation"):
            variation_icon("special_cause_improvement")  # type: ignore[arg-type]


class TestAssuranceIcon:
    @pytest.mark.parametrize(
        ("assurance", "kind", "letter", "label"),
        [
            (
                "consistently_passing",
                "passing",
                "P",
                "The process will consistently meet the target",
            ),
            (
                "consistently_failing",
                "failing",
                "F",
                "The process will consistently miss the target",
            ),
            (
                "hit_and_miss",
                "hit-and-miss",
                "?",
                "The process will hit and miss the target at random",
            ),
        ],
    )
    def test_draws_each_assurance_as_a_labelled_image(
        self, assurance: str, kind: str, letter: str, label: str
    ) -> None:
        ring = _ring(assurance_icon(assurance))  # type: ignore[arg-type]

        attributes = ring.to_plotly_json()["props"]
        assert (attributes["role"], attributes["aria-label"]) == ("img", label)
        assert ring.className == f"spc-icon spc-icon--{kind}"
        assert _texts(ring) == [letter]
        assert "spc-icon__target" in _class_names(ring)

    def test_no_target_draws_an_empty_ring(self) -> None:
        icon = assurance_icon(None, show_label=True)

        assert _texts(icon) == [
            "No assurance icon: no target, or the measure has no better direction"
        ]

    def test_refuses_an_unknown_assurance(self) -> None:
        with pytest.raises(ValueError, match="unknown assurance"):
            assurance_icon("inconsistent")  # type: ignore[arg-type]


class TestIconStyles:
    def test_rings_use_the_making_data_count_colours(self) -> None:
        css = SPC_CSS.read_text(encoding="utf-8")

        colours = {
            kinds: re.search(rf"{kinds}\s*{{\s*--spc-colour:\s*(#[0-9a-f]{{6}})", css).group(1)  # type: ignore[union-attr]
            for kinds in (
                r"\.spc-icon--hit-and-miss",
                r"\.spc-icon--passing",
                r"\.spc-icon--failing",
                r"\.spc-icon--neutral",
            )
        }

        assert list(colours.values()) == ["#7b7d7d", "#289de0", "#fab428", "#361475"]
        assert ".spc-icon--common-cause,\n.spc-icon--hit-and-miss {" in css
        assert ".spc-icon--improvement,\n.spc-icon--passing {" in css
        assert ".spc-icon--concern,\n.spc-icon--failing {" in css
