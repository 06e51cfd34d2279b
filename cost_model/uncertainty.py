"""How sure the appraisal is: Monte Carlo, a tornado of sensitivities, scenarios side by side.

The appraisal (:func:`cost_model.appraisal.appraise`) is exact Decimal arithmetic; running it
10,000 times would take seconds. So this module first *prepares* a model of the net present
value (NPV) as a function of the uncertain inputs, from a handful of exact appraisals, and then
evaluates that model for every draw at once with numpy.

The model rests on one property of the appraisal, which it checks rather than assumes: the PV
of each benefit stream and of each cost line is *multilinear* in the uncertain inputs it
depends on (a straight line in each input while the others stay put). Hours × pay × (1 +
on-costs) is; a line's device-loss replacements (unit cost × quantity × loss rate a year) are.
A multilinear function of k inputs is fixed exactly by its values at the 2^k corners of a box,
so each stream or line is appraised at the corners of {value, other end} of its own inputs and
the draws are interpolated between them. Before use the model is compared with one more exact
appraisal at a check point outside the box; if it is out by more than a thousandth of a penny
the simulation falls back to appraising every draw (slow, but still right), and the result
says so in :attr:`MonteCarloResult.method`.

Conventions (also in ``docs/roi.md``, section "Uncertainty"):

- Each uncertain input has a low, a value and a high. Draws are triangular on (low, value,
  high) unless the input says uniform; inputs are drawn independently of each other, in the
  order of their names (so a seed gives the same draws whatever order the caller used).
- The registry's entries with a range (:func:`registry_uncertainties`) are uncertain; an
  entered value outside the range widens it to include the value.
- Every cost line with an ``annual_loss_rate`` is uncertain over ± :data:`LOSS_RATE_RANGE_SHARE`
  of its rate (capped at 1: a whole fleet a year).
- Optimism bias is not drawn: every figure is given twice, as estimated and with the
  capital optimism bias of the settings (Green Book), like the headline appraisal.

Money leaves this module as Decimal pounds rounded half-up to the penny; inside the simulation
it is float, which is exact to far below a penny at these sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from cost_model.appraisal import Appraisal, AppraisalSettings, appraise
from cost_model.assumptions import ASSUMPTIONS, AssumptionName
from cost_model.benefits import Benefit
from cost_model.errors import CostModelError
from cost_model.lines import CostLine

DEFAULT_DRAWS = 10_000
"""How many Monte Carlo draws, unless told otherwise."""

DEFAULT_SEED = 6
"""The seed of numpy's ``default_rng`` unless told otherwise (issue 6), so runs repeat."""

LOSS_RATE_RANGE_SHARE = Decimal("0.5")
"""A cost line's annual loss rate is uncertain over ± this share of itself (0.5: half)."""

LOSS_RATE_PREFIX = "annual_loss_rate:"
"""Inputs for cost lines' loss rates are named this plus the line's position in ``costs``."""

NOT_DRAWN = frozenset(
    {
        AssumptionName.DISCOUNT_RATE,
        AssumptionName.OPTIMISM_BIAS_CAPITAL,
        AssumptionName.BENEFIT_RAMP_MONTHS,
    }
)
"""Registry entries with a range that are never drawn: the discount rate is policy and the
optimism bias is shown both ways (see :func:`optimism_bias_scenarios`); the benefits'
ramp-up changes *when* benefits come, not how much, so it is a scenario too."""

_PENNY = Decimal("0.01")
_MODEL_TOLERANCE_GBP = 1e-5
"""How far (£) the prepared model may be from an exact appraisal at the check point."""

BenefitsBuilder = Callable[[Mapping[str, Decimal]], Sequence[Benefit]]
"""Builds the benefits from the uncertain inputs' values, by name (a closure holds the rest)."""

FloatArray = npt.NDArray[np.float64]


class UncertaintyError(CostModelError, ValueError):
    """An uncertain input or a request that cannot be simulated (the message says why)."""


class Distribution(StrEnum):
    """How an uncertain input is drawn between its low and high."""

    TRIANGULAR = "triangular"
    """Most likely at the value, tapering to nothing at the low and the high."""
    UNIFORM = "uniform"
    """Anywhere between the low and the high, equally likely."""


@dataclass(frozen=True, slots=True)
class UncertainValue:
    """One uncertain input: its value and the range it could plausibly take.

    Attributes:
        value: The value the appraisal uses.
        low: The low end of the range.
        high: The high end of the range.
        label: How the input is named to users (the tornado's bar labels).
        distribution: How draws are spread over the range.
        source: Where the range comes from.
    """

    value: Decimal
    low: Decimal
    high: Decimal
    label: str
    distribution: Distribution = Distribution.TRIANGULAR
    source: str = ""

    def __post_init__(self) -> None:
        """Check that the value lies in its range.

        Raises:
            UncertaintyError: If it does not, or a bound is not a finite number.
        """
        for bound in (self.low, self.value, self.high):
            if not bound.is_finite():
                raise UncertaintyError(f"{self.label}: the value and range must be numbers.")
        if not self.low <= self.value <= self.high:
            raise UncertaintyError(
                f"{self.label}: the value {self.value} is not between the low {self.low} "
                f"and the high {self.high}."
            )

    @property
    def is_uncertain(self) -> bool:
        """Whether the range is wider than a single point."""
        return self.low < self.high


@dataclass(frozen=True, slots=True)
class NpvSummary:
    """The spread of NPV over the draws.

    Attributes:
        p10_gbp: The 10th percentile (nine draws in ten are above it).
        p50_gbp: The median.
        p90_gbp: The 90th percentile.
        mean_gbp: The mean.
        probability_positive: The share of draws with NPV above zero (exactly, not rounded).
    """

    p10_gbp: Decimal
    p50_gbp: Decimal
    p90_gbp: Decimal
    mean_gbp: Decimal
    probability_positive: Decimal


@dataclass(frozen=True, slots=True)
class MonteCarloResult:
    """What the simulation found.

    Attributes:
        draws: How many draws.
        seed: The seed of numpy's ``default_rng``.
        inputs: The names of the inputs drawn, in the order drawn.
        centre_npv_gbp: NPV with every input at its value: the appraisal's own NPV.
        npv: The spread of NPV as estimated.
        npv_optimism_adjusted: The spread of NPV with capital costs raised by the settings'
            optimism bias.
        npv_draws_gbp: Every draw's NPV in £ (read-only, float), for a histogram.
        method: ``"multilinear"`` (the fast model) or ``"direct"`` (every draw appraised).
    """

    draws: int
    seed: int
    inputs: tuple[str, ...]
    centre_npv_gbp: Decimal
    npv: NpvSummary
    npv_optimism_adjusted: NpvSummary
    npv_draws_gbp: FloatArray = field(repr=False)
    method: str


@dataclass(frozen=True, slots=True)
class TornadoBar:
    """One input's effect on NPV when it alone moves to its low and then its high.

    Attributes:
        name: The input's name.
        label: How it is named to users.
        low: The input's low.
        value: The input's value.
        high: The input's high.
        npv_at_low_gbp: NPV with this input at its low and every other at its value.
        npv_at_high_gbp: NPV with this input at its high.
        swing_gbp: How far apart the two are (never negative).
    """

    name: str
    label: str
    low: Decimal
    value: Decimal
    high: Decimal
    npv_at_low_gbp: Decimal
    npv_at_high_gbp: Decimal
    swing_gbp: Decimal


@dataclass(frozen=True, slots=True)
class Scenario:
    """One way the DSCR could be bought or run, appraised on its own terms.

    Give either fixed ``benefits`` or a ``benefits_builder`` with the uncertain ``assumptions``
    it reads; with a builder the scenario's NPV is simulated too.

    Attributes:
        costs: The cost lines.
        settings: The appraisal settings (start, horizon, discount rate, optimism bias).
        benefits: Fixed benefits (when there is no builder).
        benefits_builder: Builds the benefits from the uncertain inputs' values.
        assumptions: The uncertain inputs the builder reads, by name.
    """

    costs: Sequence[CostLine]
    settings: AppraisalSettings
    benefits: Sequence[Benefit] = ()
    benefits_builder: BenefitsBuilder | None = None
    assumptions: Mapping[str, UncertainValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """One row of the scenarios table.

    Attributes:
        name: The scenario's name.
        appraisal: Its full appraisal (every input at its value).
        pv_costs_gbp: PV of costs, as estimated (pennies).
        pv_costs_optimism_adjusted_gbp: PV of costs with capital optimism bias (pennies).
        pv_benefits_gbp: PV of benefits (pennies).
        npv_gbp: NPV as estimated (pennies).
        npv_optimism_adjusted_gbp: PV of benefits less optimism-adjusted PV of costs.
        bcr: Benefit-cost ratio (``None`` with no costs).
        discounted_payback_month: The month the DSCR pays back, 1-based (``None``: not in
            the horizon).
        npv_difference_gbp: NPV less the first scenario's NPV (0 for the first).
        monte_carlo: The simulation, for a scenario with a benefits builder.
    """

    name: str
    appraisal: Appraisal
    pv_costs_gbp: Decimal
    pv_costs_optimism_adjusted_gbp: Decimal
    pv_benefits_gbp: Decimal
    npv_gbp: Decimal
    npv_optimism_adjusted_gbp: Decimal
    bcr: Decimal | None
    discounted_payback_month: int | None
    npv_difference_gbp: Decimal
    monte_carlo: MonteCarloResult | None


def registry_uncertainties(
    *, values: Mapping[str, Decimal | None] | None = None
) -> dict[str, UncertainValue]:
    """Return the registry's assumptions that have a range, as uncertain inputs.

    Args:
        values: The values in force by name (entered, else default); an assumption missing
            or ``None`` here takes the registry's default. An entered value outside the
            registry's range widens the range to include it.

    Returns:
        One input per registry entry with a default and a range wider than a point, by name,
        leaving out :data:`NOT_DRAWN`.
    """
    chosen = values or {}
    inputs = {}
    for name, entry in ASSUMPTIONS.items():
        if name in NOT_DRAWN or entry.value is None or entry.low is None or entry.high is None:
            continue
        entered = chosen.get(name.value)
        value = entry.value if entered is None else entered
        uncertain = UncertainValue(
            value=value,
            low=min(entry.low, value),
            high=max(entry.high, value),
            label=name.value.removesuffix("_gbp").replace("_", " ").capitalize(),
            source=entry.source,
        )
        if uncertain.is_uncertain:
            inputs[name.value] = uncertain
    return inputs


def loss_rate_uncertainties(
    *, costs: Sequence[CostLine], range_share: Decimal = LOSS_RATE_RANGE_SHARE
) -> dict[str, UncertainValue]:
    """Return one uncertain input per cost line with a loss rate above zero.

    The range is the rate ± ``range_share`` of itself, the high capped at 1.

    Args:
        costs: The cost lines.
        range_share: How far either side of the rate, as a share of it.

    Returns:
        Inputs named ``annual_loss_rate:<position of the line in costs>``.

    Raises:
        UncertaintyError: If ``range_share`` is negative or above 1.
    """
    if not Decimal(0) <= range_share <= 1:
        raise UncertaintyError("The loss rate's range must be a share from 0 to 1.")
    inputs = {}
    for position, line in enumerate(costs):
        rate = line.annual_loss_rate
        if rate is None or rate <= 0:
            continue
        where = f", line {line.source_line}" if line.source_line is not None else ""
        inputs[f"{LOSS_RATE_PREFIX}{position}"] = UncertainValue(
            value=rate,
            low=rate * (1 - range_share),
            high=max(rate, min(Decimal(1), rate * (1 + range_share))),
            label=f"Annual loss rate: {line.item}{where}",
            source=f"the line's own rate ± {range_share:%}",
        )
    return inputs


class UncertaintyModel:
    """NPV as a function of the uncertain inputs, prepared once for simulation and tornado.

    Build it with :func:`prepare_uncertainty`.
    """

    __slots__ = (
        "_base",
        "_benefits_builder",
        "_costs",
        "_groups",
        "_inputs",
        "_method",
        "_names",
        "_other",
        "_settings",
    )

    def __init__(
        self,
        *,
        costs: Sequence[CostLine],
        benefits_builder: BenefitsBuilder,
        inputs: Mapping[str, UncertainValue],
        settings: AppraisalSettings,
    ) -> None:
        """Prepare the model (see the module docstring for how).

        Args:
            costs: The cost lines.
            benefits_builder: Builds the benefits from the named inputs' values.
            inputs: Every uncertain input by name: the builder's and the loss rates'.
            settings: The appraisal settings.
        """
        self._costs = tuple(costs)
        self._benefits_builder = benefits_builder
        self._settings = settings
        self._names = tuple(sorted(name for name, one in inputs.items() if one.is_uncertain))
        self._inputs = {name: inputs[name] for name in self._names}
        self._base = np.array([float(self._inputs[n].value) for n in self._names])
        self._other = np.array([float(_other_end(self._inputs[n])) for n in self._names])
        self._groups: dict[tuple[int, ...], FloatArray] = {}
        self._method = "multilinear"
        self._fit()

    @property
    def names(self) -> tuple[str, ...]:
        """The uncertain inputs, in the order they are drawn."""
        return self._names

    @property
    def method(self) -> str:
        """``"multilinear"`` when the fast model holds, else ``"direct"``."""
        return self._method

    def npv_at(self, values: Mapping[str, Decimal]) -> tuple[Decimal, Decimal]:
        """Return NPV, and NPV with optimism bias, with the given inputs and the rest at value.

        Args:
            values: Some inputs' values, by name.

        Returns:
            The two NPVs in £, rounded to the penny.

        Raises:
            UncertaintyError: If a name is not one of the uncertain inputs.
        """
        unknown = sorted(set(values) - set(self._names))
        if unknown:
            raise UncertaintyError(f"There is no uncertain input called {unknown[0]!r}.")
        point = self._base.copy()
        for position, name in enumerate(self._names):
            if name in values:
                point[position] = float(values[name])
        both = self._evaluate(point[np.newaxis, :])[0]
        return _pennies(float(both[0])), _pennies(float(both[1]))

    def monte_carlo(
        self, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
    ) -> MonteCarloResult:
        """Draw every uncertain input ``draws`` times and summarise the NPVs.

        Args:
            draws: How many draws (at least 1).
            seed: The seed of numpy's ``default_rng``.

        Returns:
            The percentiles, the probability NPV is above zero and every draw's NPV.

        Raises:
            UncertaintyError: If ``draws`` is below 1.
        """
        if draws < 1:
            raise UncertaintyError("Run at least one draw.")
        generator = np.random.default_rng(seed)
        sample = np.empty((draws, len(self._names)))
        for position, name in enumerate(self._names):
            sample[:, position] = _draw(self._inputs[name], generator=generator, draws=draws)
        npvs = self._evaluate(sample)
        as_estimated = np.ascontiguousarray(npvs[:, 0])
        as_estimated.flags.writeable = False
        centre, _ = self.npv_at({})
        return MonteCarloResult(
            draws=draws,
            seed=seed,
            inputs=self._names,
            centre_npv_gbp=centre,
            npv=_summary(as_estimated),
            npv_optimism_adjusted=_summary(npvs[:, 1]),
            npv_draws_gbp=as_estimated,
            method=self._method,
        )

    def tornado(self) -> list[TornadoBar]:
        """Move each uncertain input alone to its low and its high; largest swing first.

        Returns:
            One bar per uncertain input, sorted by swing (largest first), then by name.
        """
        bars = []
        for name in self._names:
            one = self._inputs[name]
            at_low, _ = self.npv_at({name: one.low})
            at_high, _ = self.npv_at({name: one.high})
            bars.append(
                TornadoBar(
                    name=name,
                    label=one.label,
                    low=one.low,
                    value=one.value,
                    high=one.high,
                    npv_at_low_gbp=at_low,
                    npv_at_high_gbp=at_high,
                    swing_gbp=abs(at_high - at_low),
                )
            )
        return sorted(bars, key=lambda bar: (-bar.swing_gbp, bar.name))

    # -- preparing -------------------------------------------------------------------------

    def _fit(self) -> None:
        """Appraise the corners of each stream's and line's inputs; check; else go direct."""
        benefit_inputs = [
            position
            for position, name in enumerate(self._names)
            if not name.startswith(LOSS_RATE_PREFIX)
        ]
        self._fit_costs()
        self._fit_benefits(benefit_inputs)
        check = self._check_point()
        exact = self._exact(check)
        modelled = self._evaluate(check[np.newaxis, :])[0]
        # float carries about 16 significant figures: allow for that on very large sums
        tolerance = max(_MODEL_TOLERANCE_GBP, 1e-12 * float(np.max(np.abs(exact))))
        if np.max(np.abs(exact - modelled)) > tolerance:
            self._method = "direct"

    def _fit_costs(self) -> None:
        fixed: list[CostLine] = []
        for position, line in enumerate(self._costs):
            name = f"{LOSS_RATE_PREFIX}{position}"
            if name not in self._inputs:
                fixed.append(line)
                continue
            index = self._names.index(name)
            corners = [
                self._pv_costs([replace(line, annual_loss_rate=rate)])
                for rate in (self._inputs[name].value, _other_end(self._inputs[name]))
            ]
            self._add((index,), -np.array(corners))
        if fixed:
            self._add((), -np.array([self._pv_costs(fixed)]))

    def _fit_benefits(self, benefit_inputs: Sequence[int]) -> None:
        cache: dict[frozenset[int], dict[str, Decimal]] = {}

        def streams(moved: frozenset[int]) -> dict[str, Decimal]:
            if moved not in cache:
                cache[moved] = self._pv_benefits(self._named_values(moved))
            return cache[moved]

        centre = streams(frozenset())
        depends: dict[str, set[int]] = {stream: set() for stream in centre}
        for index in benefit_inputs:
            shifted = streams(frozenset({index}))
            for stream in set(centre) | set(shifted):
                if shifted.get(stream, Decimal(0)) != centre.get(stream, Decimal(0)):
                    depends.setdefault(stream, set()).add(index)
                else:
                    depends.setdefault(stream, set())
        for stream, indexes in depends.items():
            ordered = tuple(sorted(indexes))
            corners = []
            for corner in range(2 ** len(ordered)):
                # bit j of the corner's number says whether input ordered[j] is at its other end
                moved = frozenset(ordered[j] for j in range(len(ordered)) if corner >> j & 1)
                corners.append(float(streams(moved).get(stream, Decimal(0))))
            self._add(ordered, np.array([[pv, pv] for pv in corners]))

    def _add(self, inputs: tuple[int, ...], corners: FloatArray) -> None:
        """Add a stream's or line's corner PVs (columns: NPV, optimism-adjusted NPV)."""
        corners = np.asarray(corners, dtype=np.float64).reshape(2 ** len(inputs), 2)
        if inputs in self._groups:
            self._groups[inputs] = self._groups[inputs] + corners
        else:
            self._groups[inputs] = corners

    def _pv_costs(self, lines: Sequence[CostLine]) -> tuple[float, float]:
        appraisal = appraise(costs=lines, benefits=(), settings=self._settings)
        return float(appraisal.pv_costs_gbp), float(appraisal.pv_costs_optimism_adjusted_gbp)

    def _pv_benefits(self, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
        benefits = self._benefits_builder(values)
        appraisal = appraise(costs=(), benefits=benefits, settings=self._settings)
        return dict(appraisal.pv_benefits_by_stream_gbp)

    def _named_values(self, moved: frozenset[int]) -> dict[str, Decimal]:
        return {
            name: _other_end(self._inputs[name]) if index in moved else self._inputs[name].value
            for index, name in enumerate(self._names)
            if not name.startswith(LOSS_RATE_PREFIX)
        }

    def _check_point(self) -> FloatArray:
        """A point outside the corners' box: each input at its low, or its midpoint if none."""
        point = np.empty(len(self._names))
        for index, name in enumerate(self._names):
            one = self._inputs[name]
            far = one.low if one.low < one.value else (one.value + one.high) / 2
            point[index] = float(far)
        return point

    # -- evaluating ------------------------------------------------------------------------

    def _evaluate(self, points: FloatArray) -> FloatArray:
        """Return (NPV, optimism-adjusted NPV) for each row of ``points``."""
        if self._method == "direct":
            return np.array([self._exact(point) for point in points])
        result = np.zeros((points.shape[0], 2))
        for inputs, corners in self._groups.items():
            weights = np.ones((points.shape[0], 1))
            for index in inputs:
                step = (points[:, index] - self._base[index]) / (
                    self._other[index] - self._base[index]
                )
                step = step[:, np.newaxis]
                weights = np.concatenate([weights * (1 - step), weights * step], axis=1)
            result += weights @ corners
        return result

    def _exact(self, point: FloatArray) -> FloatArray:
        """Appraise exactly with the inputs at ``point`` (floats, read back as Decimal)."""
        values = {name: Decimal(repr(float(point[i]))) for i, name in enumerate(self._names)}
        costs = [
            replace(line, annual_loss_rate=values[f"{LOSS_RATE_PREFIX}{position}"])
            if f"{LOSS_RATE_PREFIX}{position}" in values
            else line
            for position, line in enumerate(self._costs)
        ]
        named = {n: v for n, v in values.items() if not n.startswith(LOSS_RATE_PREFIX)}
        appraisal = appraise(
            costs=costs, benefits=self._benefits_builder(named), settings=self._settings
        )
        return np.array([float(appraisal.npv_gbp), float(appraisal.npv_optimism_adjusted_gbp)])


def prepare_uncertainty(
    *,
    costs: Sequence[CostLine],
    benefits_builder: BenefitsBuilder,
    assumptions: Mapping[str, UncertainValue],
    settings: AppraisalSettings,
    loss_rate_range_share: Decimal | None = LOSS_RATE_RANGE_SHARE,
) -> UncertaintyModel:
    """Prepare NPV as a function of the uncertain inputs, for simulation and tornado.

    Args:
        costs: The cost lines.
        benefits_builder: Builds the benefits from the named inputs' values (every name in
            ``assumptions``; a closure supplies anything else it needs).
        assumptions: The uncertain inputs the builder reads, by name (see
            :func:`registry_uncertainties`). Inputs whose range is a single point are fixed.
        settings: The appraisal settings; ``settings.start`` is used as given for every
            appraisal, so part of the costs is never appraised from a different start.
        loss_rate_range_share: Each cost line's loss rate is uncertain over ± this share of
            itself; ``None`` keeps the loss rates fixed.

    Returns:
        The prepared model.

    Raises:
        UncertaintyError: If an assumption's name could be taken for a loss rate.
    """
    clashing = sorted(name for name in assumptions if name.startswith(LOSS_RATE_PREFIX))
    if clashing:
        raise UncertaintyError(f"{clashing[0]!r}: that name is kept for cost lines' loss rates.")
    inputs = dict(assumptions)
    if loss_rate_range_share is not None:
        inputs.update(loss_rate_uncertainties(costs=costs, range_share=loss_rate_range_share))
    return UncertaintyModel(
        costs=costs, benefits_builder=benefits_builder, inputs=inputs, settings=settings
    )


def monte_carlo(
    *,
    costs: Sequence[CostLine],
    benefits_builder: BenefitsBuilder,
    assumptions: Mapping[str, UncertainValue],
    settings: AppraisalSettings,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    loss_rate_range_share: Decimal | None = LOSS_RATE_RANGE_SHARE,
) -> MonteCarloResult:
    """Simulate NPV over the uncertain inputs: P10, P50, P90 and the chance it is above zero.

    Args:
        costs: The cost lines.
        benefits_builder: Builds the benefits from the named inputs' values.
        assumptions: The uncertain inputs the builder reads, by name.
        settings: The appraisal settings.
        draws: How many draws.
        seed: The seed of numpy's ``default_rng``.
        loss_rate_range_share: See :func:`prepare_uncertainty`.

    Returns:
        The simulation's result.
    """
    model = prepare_uncertainty(
        costs=costs,
        benefits_builder=benefits_builder,
        assumptions=assumptions,
        settings=settings,
        loss_rate_range_share=loss_rate_range_share,
    )
    return model.monte_carlo(draws=draws, seed=seed)


def tornado(
    *,
    costs: Sequence[CostLine],
    benefits_builder: BenefitsBuilder,
    assumptions: Mapping[str, UncertainValue],
    settings: AppraisalSettings,
    loss_rate_range_share: Decimal | None = LOSS_RATE_RANGE_SHARE,
) -> list[TornadoBar]:
    """Return each uncertain input's one-at-a-time effect on NPV, largest swing first.

    Args:
        costs: The cost lines.
        benefits_builder: Builds the benefits from the named inputs' values.
        assumptions: The uncertain inputs the builder reads, by name.
        settings: The appraisal settings.
        loss_rate_range_share: See :func:`prepare_uncertainty`.

    Returns:
        One bar per uncertain input.
    """
    model = prepare_uncertainty(
        costs=costs,
        benefits_builder=benefits_builder,
        assumptions=assumptions,
        settings=settings,
        loss_rate_range_share=loss_rate_range_share,
    )
    return model.tornado()


def compare_scenarios(
    *,
    scenarios: Mapping[str, Scenario],
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> list[ScenarioResult]:
    """Appraise each scenario on its own terms and return one row each, in the order given.

    A scenario with a benefits builder is simulated too, with the same seed for all, so their
    probabilities differ by the scenarios and not by luck.

    Args:
        scenarios: The scenarios by name; the first is the one the others are compared with.
        draws: Monte Carlo draws for scenarios with a builder.
        seed: The seed for those simulations.

    Returns:
        One result per scenario.

    Raises:
        UncertaintyError: If there are no scenarios, or one has both fixed benefits and a
            builder.
    """
    if not scenarios:
        raise UncertaintyError("Give at least one scenario to compare.")
    results: list[ScenarioResult] = []
    for name, scenario in scenarios.items():
        simulated = None
        benefits: Sequence[Benefit] = scenario.benefits
        if scenario.benefits_builder is not None:
            if scenario.benefits:
                raise UncertaintyError(
                    f"Scenario {name!r}: give fixed benefits or a builder, not both."
                )
            values = {key: one.value for key, one in scenario.assumptions.items()}
            benefits = scenario.benefits_builder(values)
            simulated = monte_carlo(
                costs=scenario.costs,
                benefits_builder=scenario.benefits_builder,
                assumptions=scenario.assumptions,
                settings=scenario.settings,
                draws=draws,
                seed=seed,
            )
        appraisal = appraise(costs=scenario.costs, benefits=benefits, settings=scenario.settings)
        npv = _round(appraisal.npv_gbp)
        results.append(
            ScenarioResult(
                name=name,
                appraisal=appraisal,
                pv_costs_gbp=_round(appraisal.pv_costs_gbp),
                pv_costs_optimism_adjusted_gbp=_round(appraisal.pv_costs_optimism_adjusted_gbp),
                pv_benefits_gbp=_round(appraisal.pv_benefits_gbp),
                npv_gbp=npv,
                npv_optimism_adjusted_gbp=_round(appraisal.npv_optimism_adjusted_gbp),
                bcr=appraisal.bcr,
                discounted_payback_month=appraisal.discounted_payback_month,
                npv_difference_gbp=npv - results[0].npv_gbp if results else Decimal("0.00"),
                monte_carlo=simulated,
            )
        )
    return results


def optimism_bias_scenarios(
    *, costs: Sequence[CostLine], benefits: Sequence[Benefit], settings: AppraisalSettings
) -> dict[str, Scenario]:
    """Return the appraisal at the Green Book's lower and upper capital optimism bias.

    Each row of :func:`compare_scenarios` shows NPV as estimated and optimism-adjusted; these
    two scenarios differ only in the adjustment, at the registry's low (+10%) and high
    (+200%), so a board sees how much of the answer rests on it.

    Args:
        costs: The cost lines.
        benefits: The benefits.
        settings: The appraisal settings (their own optimism bias is replaced).

    Returns:
        Two scenarios, lower bound first, named by their uplift.
    """
    entry = ASSUMPTIONS[AssumptionName.OPTIMISM_BIAS_CAPITAL]
    bounds = [("lower", entry.low), ("upper", entry.high)]
    return {
        f"Optimism bias +{bias:.0%} on capital ({which} bound)": Scenario(
            costs=costs,
            settings=replace(settings, optimism_bias_capital=bias),
            benefits=benefits,
        )
        for which, bias in bounds
        if bias is not None
    }


def _other_end(one: UncertainValue) -> Decimal:
    """The second point of the corners' box: the high, or the low if the value is the high."""
    return one.high if one.high != one.value else one.low


def _draw(one: UncertainValue, *, generator: np.random.Generator, draws: int) -> FloatArray:
    low, value, high = float(one.low), float(one.value), float(one.high)
    if one.distribution is Distribution.UNIFORM:
        return generator.uniform(low, high, size=draws)
    return generator.triangular(low, value, high, size=draws)


def _summary(npvs: FloatArray) -> NpvSummary:
    p10, p50, p90 = np.percentile(npvs, [10, 50, 90])
    above = int(np.count_nonzero(npvs > 0))
    return NpvSummary(
        p10_gbp=_pennies(float(p10)),
        p50_gbp=_pennies(float(p50)),
        p90_gbp=_pennies(float(p90)),
        mean_gbp=_pennies(float(np.mean(npvs))),
        probability_positive=Decimal(above) / Decimal(len(npvs)),
    )


def _pennies(pounds: float) -> Decimal:
    return Decimal(repr(pounds)).quantize(_PENNY, rounding=ROUND_HALF_UP)


def _round(pounds: Decimal) -> Decimal:
    return pounds.quantize(_PENNY, rounding=ROUND_HALF_UP)
