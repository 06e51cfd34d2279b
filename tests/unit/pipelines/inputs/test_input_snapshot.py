from __future__ import annotations

from datetime import date

import pytest

from pipelines.inputs.snapshot import find_snapshot_date


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Care directory with filters", "Data as at 01 December 2025"], date(2025, 12, 1)),
        (["Data as at: 3rd Feb 2026"], date(2026, 2, 3)),
        (["01_December_2025_HSCA_Active_Locations"], date(2025, 12, 1)),
        (["HSCA_Active_Locations_2026-01-05"], date(2026, 1, 5)),
        (["Data as at 03/04/2025", "directory"], None),
        (["Updated December 2025"], None),
        (["Data as at 31 February 2026", "1 March 2026"], date(2026, 3, 1)),
        ([], None),
    ],
)
def test_find_snapshot_date_reads_only_unambiguous_dates(texts: list[str], expected):
    # Given preamble rows and a file name

    # When the snapshot date is looked for
    found = find_snapshot_date(texts)

    # Then only a day-month-name-year or ISO date is read; numeric d/m/y is never guessed
    assert found == expected
