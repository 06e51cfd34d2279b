"""Section 5 inputs in their real shapes: CQC care directory, sub-ICB lookup, adoption returns."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np

from pipelines.synthetic import clock, identifiers
from pipelines.synthetic.world import ICB_CODE, SUB_ICB_CODES, World

ICB_NAME = "Synthetic ICB (carelens demo)"
NEIGHBOUR_CODE, NEIGHBOUR_NAME = "QZY", "Neighbour ICB (carelens demo)"
MERGING_SUB_ICB = "E38999004"
"""Neighbour sub-ICB that joins the synthetic ICB from 2026-04-01 (the merger row)."""
NEIGHBOUR_SUB_ICBS = (MERGING_SUB_ICB, "E38999005")
_ALL_SUB_ICBS = SUB_ICB_CODES + NEIGHBOUR_SUB_ICBS
CQC_COLUMNS = (
    "Location ID",
    "Location ODS Code",
    "Location Name",
    "Location HSCA start date",
    "Dormant (Y/N)",
    "Care home?",
    "Location Telephone Number",
    "Location Web Address",
    "Care homes beds",
    "Location Type/Sector",
    "Location Inspection Directorate",
    "Location Primary Inspection Category",
    "Location Latest Overall Rating",
    "Publication Date",
    "Location Region",
    "Location NHS Region",
    "Location Local Authority",
    "Location ONSPD CCG Code",
    "Location ONSPD CCG",
    "Location Street Address",
    "Location City",
    "Location Postal Code",
    "Provider ID",
    "Provider Name",
    "Service type - Care home service with nursing",
    "Service type - Care home service without nursing",
    "Service type - Domiciliary care service",
)
_RATINGS = ("Good", "Requires improvement", "Outstanding", "Inadequate", "")
# National DSCR adoption curve (figures.md "DSCR adoption": ~40% 2021, 63% Feb 2024,
# 75% Jan 2025, 80% late 2025); the first point and the tail are assumptions.
_ADOPTION_CURVE = (
    (date(2019, 1, 1), 0.15),
    (date(2021, 6, 30), 0.40),
    (date(2024, 2, 1), 0.63),
    (date(2025, 1, 1), 0.75),
    (date(2025, 11, 1), 0.80),
    (date(2026, 10, 31), 0.83),
)
_NO_RETURN_SHARE = 0.08  # assumption
_ABANDON_SHARE = 0.04  # assumption (NIHR 000: abandonment after loss of trust happens)


@dataclass(frozen=True, slots=True)
class IcbInputsSummary:
    """Counts of the section 5 inputs written, for the summary and truth.json."""

    cqc_locations: int
    adult_social_care_locations: int
    followed_locations: int
    dormant_locations: int
    neighbour_icb_locations: int
    adoption_returns: int
    locations_without_return: int

    def as_dict(self) -> dict[str, object]:
        """Counts plus the ICB code and the merger row, JSON-ready."""
        return {
            **asdict(self),
            "icb_ods_code": ICB_CODE,
            "merger": {
                "sub_icb_ons_code": MERGING_SUB_ICB,
                "to": ICB_CODE,
                "valid_from": "2026-04-01",
            },
        }


def write_icb_inputs(
    *,
    rng: np.random.Generator,
    out_dir: Path,
    world: World,
    last_day: int,
    taken_ids: set[str],
    taken_names: set[str],
) -> IcbInputsSummary:
    """Write cqc_directory.csv, sub_icb_lookup.csv and adoption_returns.csv."""
    rows = _universe(rng=rng, world=world, taken_ids=taken_ids, taken_names=taken_names)
    _write_directory(out_dir=out_dir, rows=rows, last_day=last_day)
    _write_lookup(out_dir=out_dir)
    returns = _returns(rng=rng, rows=rows, world=world, last_day=last_day)
    _write_csv(
        out_dir / "adoption_returns.csv",
        header=(
            "Location ID",
            "PIR submission date",
            "PIR type",
            "Use a Digital Social Care Record system?",
            "DSCR supplier",
            "DSCR status",
        ),
        rows=returns,
    )
    asc = [r for r in rows if r["Location Inspection Directorate"] == "Adult social care"]
    return IcbInputsSummary(
        cqc_locations=len(rows),
        adult_social_care_locations=len(asc),
        followed_locations=world.location_count,
        dormant_locations=sum(r["Dormant (Y/N)"] == "Y" for r in rows),
        neighbour_icb_locations=sum(
            r["Location ONSPD CCG Code"] in NEIGHBOUR_SUB_ICBS for r in rows
        ),
        adoption_returns=len(returns),
        locations_without_return=len(asc) - len({r[0] for r in returns}),
    )


def _universe(
    *,
    rng: np.random.Generator,
    world: World,
    taken_ids: set[str],
    taken_names: set[str],
) -> list[dict[str, str]]:
    """Our providers' locations plus about four times as many others, some not ASC."""
    rows = []
    for i in range(world.location_count):
        p = int(world.location_provider[i])
        rows.append(
            _row(
                rng=rng,
                location_id=world.location_id[i],
                name=world.location_name[i],
                service=world.location_service_type[i],
                beds=int(world.location_capacity[i]),
                sub_icb=world.location_sub_icb[i],
                provider_id=world.provider_id[p],
                provider_name=world.provider_name[p],
                dormant=False,
            )
        )
    extra = max(10, 4 * world.location_count)
    home = rng.random(extra) < 360 / 610
    nursing = rng.random(extra) < 0.27
    beds = np.clip(np.exp(rng.normal(np.log(25), 0.65, extra)), 4, 150).round().astype(int)
    homes = iter(identifiers.care_home_names(rng=rng, count=int(home.sum()), taken=taken_names))
    agencies = iter(identifiers.agency_names(rng=rng, count=int((~home).sum()), taken=taken_names))
    ids = identifiers.cqc_ids(rng=rng, count=extra, taken=taken_ids)
    provider_ids = identifiers.cqc_ids(rng=rng, count=extra, taken=taken_ids)
    sub = rng.choice(len(_ALL_SUB_ICBS), size=extra, p=(0.27, 0.27, 0.26, 0.1, 0.1))
    dormant = rng.random(extra) < 0.04
    owner = 0
    for j in range(extra):
        name = next(homes) if home[j] else next(agencies)
        if j == 0 or rng.random() > 0.15:  # most providers run one location
            owner = j
            owner_name = f"{name.split(' (')[0]} {'Care Ltd' if home[j] else 'Services Limited'}"
        service = ("care_home_nursing" if nursing[j] else "care_home") if home[j] else "home_care"
        rows.append(
            _row(
                rng=rng,
                location_id=ids[j],
                name=name,
                service=service,
                beds=int(beds[j]),
                sub_icb=_ALL_SUB_ICBS[sub[j]],
                provider_id=provider_ids[owner],
                provider_name=owner_name,
                dormant=bool(dormant[j]),
            )
        )
    non_asc = max(3, extra // 10)
    for k, location_id in enumerate(identifiers.cqc_ids(rng=rng, count=non_asc, taken=taken_ids)):
        gp = k % 2 == 0
        place = identifiers.LOCAL_AUTHORITIES[k % 3]
        row = _row(
            rng=rng,
            location_id=location_id,
            name=f"{place} {'Medical Centre' if gp else 'Independent Clinic'} {k + 1}",
            service="other",
            beds=0,
            sub_icb=SUB_ICB_CODES[k % 3],
            provider_id=identifiers.cqc_ids(rng=rng, count=1, taken=taken_ids)[0],
            provider_name=f"{place} {'Health Partnership' if gp else 'Clinics Ltd'}",
            dormant=False,
        )
        row["Location Inspection Directorate"] = "Primary medical services" if gp else "Hospitals"
        row["Location Primary Inspection Category"] = (
            "GP Practices" if gp else "Independent hospital"
        )
        row["Location Type/Sector"] = (
            "Primary Medical Services" if gp else "Independent Healthcare Org"
        )
        rows.append(row)
    return rows


def _row(
    *,
    rng: np.random.Generator,
    location_id: str,
    name: str,
    service: str,
    beds: int,
    sub_icb: str,
    provider_id: str,
    provider_name: str,
    dormant: bool,
) -> dict[str, str]:
    authority = identifiers.LOCAL_AUTHORITIES[_ALL_SUB_ICBS.index(sub_icb)]
    icb = ICB_NAME if sub_icb in SUB_ICB_CODES else NEIGHBOUR_NAME
    is_home = service in ("care_home", "care_home_nursing")
    start = clock.day_date(clock.day_number(date(2011, 1, 1)) + int(rng.integers(0, 5000)))
    published = clock.day_date(clock.day_number(date(2022, 1, 1)) + int(rng.integers(0, 1400)))
    return {
        "Location ID": location_id,
        "Location ODS Code": f"VZ{int(rng.integers(100, 999))}",
        "Location Name": name,
        "Location HSCA start date": f"{start:%d/%m/%Y}",
        "Dormant (Y/N)": "Y" if dormant else "N",
        "Care home?": "Y" if is_home else "N",
        "Location Telephone Number": f"01632 960{int(rng.integers(0, 1000)):03d}",
        "Location Web Address": "",
        "Care homes beds": str(beds) if is_home else "",
        "Location Type/Sector": "Social Care Org",
        "Location Inspection Directorate": "Adult social care",
        "Location Primary Inspection Category": (
            "Residential social care" if is_home else "Community based adult social services"
        ),
        "Location Latest Overall Rating": _RATINGS[
            int(rng.choice(len(_RATINGS), p=(0.7, 0.18, 0.05, 0.02, 0.05)))
        ],
        "Publication Date": f"{published:%d/%m/%Y}",
        "Location Region": "North West",
        "Location NHS Region": "North West",
        "Location Local Authority": authority,
        "Location ONSPD CCG Code": sub_icb,
        "Location ONSPD CCG": f"NHS {icb.split(' (')[0]} - {authority}",
        "Location Street Address": f"{int(rng.integers(1, 200))} {name.split()[0]} Road",
        "Location City": authority,
        "Location Postal Code": f"QZ{int(rng.integers(1, 20))} {int(rng.integers(1, 10))}"
        f"{chr(65 + int(rng.integers(0, 26)))}{chr(65 + int(rng.integers(0, 26)))}",
        "Provider ID": provider_id,
        "Provider Name": provider_name,
        "Service type - Care home service with nursing": "Y"
        if service == "care_home_nursing"
        else "",
        "Service type - Care home service without nursing": "Y" if service == "care_home" else "",
        "Service type - Domiciliary care service": "Y" if service == "home_care" else "",
    }


def _write_directory(*, out_dir: Path, rows: list[dict[str, str]], last_day: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Care directory with filters (synthetic data for the carelens demo)"])
    writer.writerow(["HSCA_Active_Locations"])
    writer.writerow([f"Data as at {clock.day_date(last_day + 1):%d %B %Y}"])
    writer.writerow([])
    writer.writerow(CQC_COLUMNS)
    writer.writerows([[r[c] for c in CQC_COLUMNS] for r in rows])
    (out_dir / "cqc_directory.csv").write_text(buffer.getvalue(), encoding="utf-8")


def _write_lookup(*, out_dir: Path) -> None:
    icb = ("QZZ", "E54999001", ICB_NAME)
    neighbour = (NEIGHBOUR_CODE, "E54999002", NEIGHBOUR_NAME)
    rows = (
        [
            (
                code,
                f"NHS Synthetic ICB - {identifiers.LOCAL_AUTHORITIES[i]}",
                *icb,
                "North West",
                "2022-07-01",
            )
            for i, code in enumerate(SUB_ICB_CODES)
        ]
        + [
            (
                code,
                f"NHS Neighbour ICB - {identifiers.LOCAL_AUTHORITIES[3 + i]}",
                *neighbour,
                "North West",
                "2022-07-01",
            )
            for i, code in enumerate(NEIGHBOUR_SUB_ICBS)
        ]
        + [
            (
                MERGING_SUB_ICB,
                f"NHS Synthetic ICB - {identifiers.LOCAL_AUTHORITIES[3]}",
                *icb,
                "North West",
                "2026-04-01",
            ),
        ]
    )
    _write_csv(
        out_dir / "sub_icb_lookup.csv",
        header=(
            "sub_icb_ons_code",
            "sub_icb_name",
            "icb_ods_code",
            "icb_ons_code",
            "icb_name",
            "region_name",
            "valid_from",
        ),
        rows=rows,
    )


def _returns(
    *, rng: np.random.Generator, rows: list[dict[str, str]], world: World, last_day: int
) -> list[tuple[str, ...]]:
    """PIR returns roughly yearly from 2022; answers follow each location's adoption."""
    ours = {world.location_id[i]: i for i in range(world.location_count)}
    curve_days = np.array([clock.day_number(d) for d in (c[0] for c in _ADOPTION_CURVE)])
    curve_share = np.array([c[1] for c in _ADOPTION_CURVE])
    suppliers = [s.name for s in identifiers.SUPPLIERS] + ["Other (not listed)"]
    out: list[tuple[str, ...]] = []
    for row in rows:
        if row["Location Inspection Directorate"] != "Adult social care":
            continue
        location_id = row["Location ID"]
        adopted: int | None
        if location_id in ours:
            i = ours[location_id]
            p = int(world.location_provider[i])
            adopted = int(world.provider_go_live_day[p])
            adopted = adopted if adopted < 10**6 else None
            supplier = identifiers.SUPPLIERS[int(world.provider_supplier[p])].name
        else:
            if rng.random() < _NO_RETURN_SHARE:
                continue
            u = rng.random()
            adopted = (
                None
                if u > curve_share[-1]
                else int(curve_days[0] - rng.integers(0, 1500))
                if u < curve_share[0]
                else int(np.interp(u, curve_share, curve_days))
            )
            supplier = suppliers[int(rng.integers(len(suppliers)))]
        abandon = (
            adopted + int(rng.integers(180, 720))
            if adopted is not None and location_id not in ours and rng.random() < _ABANDON_SHARE
            else None
        )
        day = clock.day_number(date(2022, 1, 1)) + int(rng.integers(0, 365))
        while day <= last_day:
            out.append(
                _answer(
                    location_id=location_id,
                    day=day,
                    adopted=adopted,
                    abandon=abandon,
                    supplier=supplier,
                    pir_type="Residential" if row["Care home?"] == "Y" else "Community",
                )
            )
            day += int(rng.integers(150, 400))
    return out


def _answer(
    *,
    location_id: str,
    day: int,
    adopted: int | None,
    abandon: int | None,
    supplier: str,
    pir_type: str,
) -> tuple[str, ...]:
    if abandon is not None and day >= abandon:
        answer, status = "No", "abandoned"
    elif adopted is not None and day >= adopted:
        answer, status = "Yes", "live"
    elif adopted is not None and day >= adopted - 120:
        answer, status = "No", "implementing"
    else:
        answer, status = "No", "not_started"
    shown = supplier if status != "not_started" else ""
    return (location_id, str(clock.day_date(day)), pir_type, answer, shown, status)


def _write_csv(path: Path, *, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
