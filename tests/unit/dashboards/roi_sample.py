"""A small hand-written warehouse for the Return on investment page (real schema).

Provider A (``1-101000001``), The Caring Hands, from 1 April 2025 over 5 years:

- costs: a £1,100 set-up fee (management and administration, upfront, one-off) and a £390 a
  month subscription (software, recurrent);
- stated: paper, printing and storage saved £500 a month (entered in the dashboard), and
  on-costs entered at 25% of pay;
- measured: care workers' recording time released, 10 hours worth £150 in each of April, May
  and June 2025 (two locations in April: 6 + 4 hours, £90 + £60); exports reach 30 June 2025,
  so June is the last complete month and the stream is projected flat at £150 a month.

Worked by hand (discount factors 1, 1/1.035 … 1/1.035⁴ sum to 4.6730792086):

- PV costs 1,100 + 4,680 × 4.6730792086 = £22,970.01; with optimism bias +200% on the £1,100
  capital: £25,170.01;
- PV benefits (500 + 150) × 12 × 4.6730792086 = £36,450.02 (paper £28,038.48, time £8,411.54);
- NPV £13,480.01; BCR 36,450.0178 / 22,970.0107 = 1.5869; year 0 nets 650 − 390 = £260 a month
  after the £1,100, so the cumulative first reaches zero in month 5 (August 2025: −1,100 +
  5 × 260 = £200).

Provider B (``1-102000002``) has one £99,999 line, so a figure of B's on A's page would show.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines import warehouse

PROVIDER_A = "1-101000001"
PROVIDER_B = "1-102000002"
LOCATION_A1 = "1-201000001"
LOCATION_A2 = "1-201000002"
START = date(2025, 4, 1)
PV_COSTS = "£22,970.01"
PV_COSTS_OPTIMISM = "£25,170.01"
PV_BENEFITS = "£36,450.02"
NPV = "£13,480.01"
B_ITEM = "Provider B's secret line"


def write_roi_warehouse(path: Path) -> Path:
    """Create the warehouse at ``path`` with the rows above."""
    with duckdb.connect(str(path)) as con:
        warehouse.create_schema(con)
        con.execute(
            "insert into reference.cost_lines (provider_id, source_line, category, item, "
            "cost_type, unit_cost_gbp, quantity, frequency, start_date, source_file, run_id) "
            "values "
            "(?, 2, 'management_admin', 'Supplier set-up fee', 'upfront', 1100, 1, 'one_off', "
            "'2025-04-01', 'costs.csv', 'r1'), "
            "(?, 3, 'software', 'DSCR subscription', 'recurrent', 390, 1, 'monthly', "
            "'2025-04-01', 'costs.csv', 'r1'), "
            "(?, 2, 'hardware', ?, 'upfront', 99999, 1, 'one_off', '2025-01-01', "
            "'costs.csv', 'r1')",
            [PROVIDER_A, PROVIDER_A, PROVIDER_B, B_ITEM],
        )
        con.execute(
            "insert into reference.provider_assumptions (provider_id, name, value, unit, note, "
            "set_at, run_id) values "
            "(?, 'paper_costs_saved_gbp_per_month', 500, 'gbp_per_month', 'invoices 2024', "
            "'2025-03-01 10:00:00+00', 'r1'), "
            "(?, 'on_cost_share', 0.25, 'share_of_pay', null, '2025-03-01 10:00:00+00', 'r1'), "
            "(?, 'paper_costs_saved_gbp_per_month', 77777, 'gbp_per_month', null, "
            "'2025-03-01 10:00:00+00', 'r1')",
            [PROVIDER_A, PROVIDER_A, PROVIDER_B],
        )
        for location, month, hours, value in (
            (LOCATION_A1, date(2025, 4, 1), 6, 90),
            (LOCATION_A2, date(2025, 4, 1), 4, 60),
            (LOCATION_A1, date(2025, 5, 1), 10, 150),
            (LOCATION_A1, date(2025, 6, 1), 10, 150),
        ):
            con.execute(
                "insert into marts.benefit_streams values (?, ?, ?, "
                "'care_worker_documentation_time', 'measured_and_assumed', 'baseline entered', "
                "false, ?, 'hours', ?, ?, ?)",
                [PROVIDER_A, location, month, hours, value, value * 0.8, value * 1.2],
            )
        con.execute(
            "insert into audit.packages (provider_id, extract_id, export_id, extract_from, "
            "extract_to, run_id, sequence) values (?, 'x1', 'e1', '2025-04-01', '2025-06-30', "
            "'r1', 1)",
            [PROVIDER_A],
        )
    return path
