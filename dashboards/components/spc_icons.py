"""Making Data Count variation and assurance icons, drawn with HTML and CSS (assets/spc.css).

Each icon is a ring in the Making Data Count colour with a letter and a small sign inside; it
has ``role="img"`` and an ``aria-label`` saying what it means, and can show that text beside it.
Nothing is fetched: the shapes are the app's own markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dash import html

from dashboards.components.tables import aria
from dashboards.figures.spc import ASSURANCE_LABELS, VARIATION_LABELS
from models.spc import Assurance, Variation

Sign = Literal["flat", "high", "low", "target"]


@dataclass(frozen=True, slots=True)
class _Icon:
    kind: str
    """CSS modifier naming the colour: common-cause, improvement, concern, neutral, …"""
    letter: str
    sign: Sign


_VARIATION_ICONS: dict[Variation, _Icon] = {
    "common_cause": _Icon("common-cause", "", "flat"),
    "special_cause_improvement_high": _Icon("improvement", "H", "high"),
    "special_cause_improvement_low": _Icon("improvement", "L", "low"),
    "special_cause_concern_high": _Icon("concern", "H", "high"),
    "special_cause_concern_low": _Icon("concern", "L", "low"),
    "special_cause_neutral_high": _Icon("neutral", "H", "high"),
    "special_cause_neutral_low": _Icon("neutral", "L", "low"),
}
_ASSURANCE_ICONS: dict[Assurance, _Icon] = {
    "consistently_passing": _Icon("passing", "P", "target"),
    "consistently_failing": _Icon("failing", "F", "target"),
    "hit_and_miss": _Icon("hit-and-miss", "?", "target"),
}
NO_VARIATION_LABEL = "No variation icon: there are no values yet"
NO_ASSURANCE_LABEL = "No assurance icon: no target, or the measure has no better direction"


def variation_icon(variation: Variation | None, *, show_label: bool = False) -> html.Span:
    """Return the variation icon of a :func:`models.spc.summarise` result.

    Args:
        variation: The latest point's variation; ``None`` (no values) draws an empty ring.
        show_label: Show the meaning beside the icon (the icon is then hidden from screen
            readers, which read the text once).

    Raises:
        ValueError: For a name that is not a variation.
    """
    if variation is None:
        return _icon(_Icon("none", "", "flat"), label=NO_VARIATION_LABEL, show_label=show_label)
    if variation not in _VARIATION_ICONS:
        raise ValueError(f"unknown variation: {variation!r}")
    return _icon(
        _VARIATION_ICONS[variation], label=VARIATION_LABELS[variation], show_label=show_label
    )


def assurance_icon(assurance: Assurance | None, *, show_label: bool = False) -> html.Span:
    """Return the assurance icon of a :func:`models.spc.summarise` result.

    Args:
        assurance: The assurance against the target; ``None`` draws an empty dashed ring.
        show_label: Show the meaning beside the icon.

    Raises:
        ValueError: For a name that is not an assurance.
    """
    if assurance is None:
        return _icon(_Icon("none", "", "flat"), label=NO_ASSURANCE_LABEL, show_label=show_label)
    if assurance not in _ASSURANCE_ICONS:
        raise ValueError(f"unknown assurance: {assurance!r}")
    return _icon(
        _ASSURANCE_ICONS[assurance], label=ASSURANCE_LABELS[assurance], show_label=show_label
    )


def _icon(icon: _Icon, *, label: str, show_label: bool) -> html.Span:
    letter = [html.Span(icon.letter, className="spc-icon__letter")] if icon.letter else []
    sign = _sign(icon.sign)
    inside = [*sign, *letter] if icon.sign == "low" else [*letter, *sign]
    accessible = aria(hidden="true") if show_label else {"role": "img", **aria(label=label)}
    ring = html.Span(inside, className=f"spc-icon spc-icon--{icon.kind}", title=label, **accessible)
    if not show_label:
        return html.Span(ring, className="spc-icon-with-label")
    return html.Span(
        [ring, html.Span(label, className="spc-icon__label")], className="spc-icon-with-label"
    )


def _sign(sign: Sign) -> list[html.Span]:
    """Five dots (flat, rising or falling), or a dashed target line."""
    if sign == "target":
        return [html.Span(className="spc-icon__target")]
    dots = [html.Span(className="spc-icon__dot") for _ in range(5)]
    return [html.Span(dots, className=f"spc-icon__dots spc-icon__dots--{sign}")]
