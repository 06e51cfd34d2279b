"""The measure pages' queries: incident lists, the falls heatmap and dose counts, in scope only.

The warehouse is the three-provider sample (``audit_sample`` with ``measure_sample``'s rows):
A1 has 132 falls of people drawing on care over 24 months, among them the hand-placed edge
cases of ``measure_sample.A1_EDGE_FALLS``; A2, B1 and C1 have a few incidents each.
"""

from __future__ import annotations

from datetime import date

import pytest
from audit_sample import (
    ICB_LEAD_A,
    INSPECTOR_A,
    LOCATION_A1,
    LOCATION_A2,
    LOCATION_B1,
    OWNER_A,
    OWNER_B,
    QUALITY_LEAD_A1,
)
from measure_sample import A1_RETRACTED_FALL, A1_VERSIONED_FALL, A1_VISITOR_FALL

from dashboards.access import AccessDeniedError
from dashboards.measures import QualityMeasure
from dashboards.queries import (
    IncidentFilter,
    WarehouseReader,
    falls_heatmap,
    measure_incidents,
    medication_doses,
)

FALLS = QualityMeasure.FALLS


def _uids(reader: WarehouseReader, **filters: object) -> list[str]:
    identity = filters.pop("identity", OWNER_A)
    listed = measure_incidents(
        reader=reader,
        identity=identity,  # type: ignore[arg-type]
        incident_filter=IncidentFilter(**filters),  # type: ignore[arg-type]
    )
    return listed.rows["record_uid"].to_list()


class TestMeasureIncidents:
    def test_lists_the_falls_of_a_month_newest_first_by_london_day(
        self, reader: WarehouseReader
    ) -> None:
        # Given A1's January 2026: two generic falls (2 Jan 08:15, 5 Jan 11:15 UTC) and two
        # hand-placed ones at 14:10 and 14:50 on 5 Jan; the 23:45 fall of 31 Dec is December's
        # When its falls are listed
        uids = _uids(
            reader,
            measure=FALLS,
            location_id=LOCATION_A1,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 2, 1),
        )

        # Then exactly those four come back, newest first
        assert uids == ["I-A1-E8", "I-A1-E7", "I-A1-F26011", "I-A1-F26010"]

    def test_a_fall_just_before_utc_midnight_belongs_to_the_next_london_month(
        self, reader: WarehouseReader
    ) -> None:
        # Given a fall at 23:30 UTC on 30 June 2025, which is 00:30 BST on 1 July
        # When June's and July's falls are listed
        june = _uids(
            reader,
            measure=FALLS,
            location_id=LOCATION_A1,
            period_start=date(2025, 6, 1),
            period_end=date(2025, 7, 1),
        )
        july = _uids(
            reader,
            measure=FALLS,
            location_id=LOCATION_A1,
            period_start=date(2025, 7, 1),
            period_end=date(2025, 8, 1),
        )

        # Then it is July's (4 generic falls in June; 4 generic plus this one in July)
        assert "I-A1-E5" in july
        assert "I-A1-E5" not in june
        assert (len(june), len(july)) == (4, 5)

    def test_a_week_runs_monday_to_sunday_in_london_time_across_the_spring_clock_change(
        self, reader: WarehouseReader
    ) -> None:
        # Given two falls on Sunday 30 March 2025 (00:30 GMT and 02:30 BST), the last day of
        # the week starting Monday 24 March
        # When that week's and the next week's falls are listed
        week = _uids(
            reader,
            measure=FALLS,
            location_id=LOCATION_A1,
            period_start=date(2025, 3, 24),
            period_end=date(2025, 3, 31),
        )
        next_week = _uids(
            reader,
            measure=FALLS,
            location_id=LOCATION_A1,
            period_start=date(2025, 3, 31),
            period_end=date(2025, 4, 7),
        )

        # Then both Sunday falls are in the first week only
        assert {"I-A1-E1", "I-A1-E2"} <= set(week)
        assert not {"I-A1-E1", "I-A1-E2"} & set(next_week)

    def test_counts_current_final_falls_of_people_drawing_on_care_only(
        self, reader: WarehouseReader
    ) -> None:
        # Given, in February 2026 at A1, a fall delivered twice (harm low, then moderate), a
        # visitor's fall and a retracted fall, besides 2 generic falls
        listed = measure_incidents(
            reader=reader,
            identity=OWNER_A,
            incident_filter=IncidentFilter(
                measure=FALLS,
                location_id=LOCATION_A1,
                period_start=date(2026, 2, 1),
                period_end=date(2026, 3, 1),
            ),
        )

        # Then the versioned fall is listed once with its current harm, the others not at all
        harms = dict(zip(listed.rows["record_uid"], listed.rows["harm"], strict=True))
        assert harms[A1_VERSIONED_FALL] == "moderate"
        assert A1_VISITOR_FALL not in harms
        assert A1_RETRACTED_FALL not in harms
        assert listed.matched == 3  # the mart's February count at A1

    def test_filters_by_harm_and_by_measure(self, reader: WarehouseReader) -> None:
        # Given January 2026 at A1: falls with harm severe (14:50) and moderate (14:10)
        january = {"location_id": LOCATION_A1, "period_start": date(2026, 1, 1)}
        january["period_end"] = date(2026, 2, 1)

        # When severe falls, and falls with harm, are listed
        severe = _uids(reader, measure=FALLS, harm="severe", **january)
        harmed = _uids(reader, measure=QualityMeasure.FALLS_WITH_HARM, **january)

        # Then only those come back
        assert severe == ["I-A1-E8"]
        assert harmed == ["I-A1-E8", "I-A1-E7"]

    def test_filters_medication_errors_by_subtype(self, reader: WarehouseReader) -> None:
        # Given A1's medication errors in March 2024 (2): subtype (k + 3) mod 4 of omission,
        # wrong_dose, wrong_time, documentation, so k = 0 is documentation and k = 1 omission
        march = {"location_id": LOCATION_A1, "period_start": date(2024, 3, 1)}
        march["period_end"] = date(2024, 4, 1)

        # When they are listed with and without a subtype
        every = _uids(reader, measure=QualityMeasure.MEDICATION_ERRORS, **march)
        omission = _uids(
            reader, measure=QualityMeasure.MEDICATION_ERRORS, subtype="omission", **march
        )

        # Then the subtype picks one
        assert every == ["I-A1-M24031", "I-A1-M24030"]
        assert omission == ["I-A1-M24031"]

    def test_never_returns_the_free_text_description(self, reader: WarehouseReader) -> None:
        listed = measure_incidents(
            reader=reader, identity=OWNER_A, incident_filter=IncidentFilter(measure=FALLS)
        )

        assert listed.rows.columns == [
            "record_uid",
            "occurred_at",
            "location_id",
            "location_name",
            "incident_type",
            "subtype",
            "harm",
            "person_id",
        ]

    def test_limits_rows_but_counts_every_match(self, reader: WarehouseReader) -> None:
        # Given A1's 132 falls and A2's 2
        # When the owner lists falls, three at most
        listed = measure_incidents(
            reader=reader,
            identity=OWNER_A,
            incident_filter=IncidentFilter(measure=FALLS),
            row_limit=3,
        )

        # Then three rows come back, and 134 matched
        assert listed.rows.height == 3
        assert listed.matched == 134


class TestIncidentScope:
    def test_an_owner_sees_only_its_providers_locations(self, reader: WarehouseReader) -> None:
        listed = measure_incidents(
            reader=reader,
            identity=OWNER_A,
            incident_filter=IncidentFilter(measure=FALLS),
            row_limit=None,
        )

        assert set(listed.rows["location_id"]) == {LOCATION_A1, LOCATION_A2}
        assert not any(person.startswith(("PB-", "PC-")) for person in listed.rows["person_id"])

    @pytest.mark.parametrize("location", [LOCATION_A1, LOCATION_B1])
    def test_another_providers_owner_gets_nothing_of_a(
        self, reader: WarehouseReader, location: str
    ) -> None:
        # When B's owner asks for A1's falls, or its own location's
        uids = _uids(reader, identity=OWNER_B, measure=FALLS, location_id=location)

        # Then A1's never come back; B1's do
        assert all(uid.startswith("I-B1-") for uid in uids)
        assert (location == LOCATION_B1) == bool(uids)

    def test_a_quality_lead_limited_to_a1_never_sees_a2(self, reader: WarehouseReader) -> None:
        # When the lead of A1 lists every fall, then asks for A2's by name
        every = measure_incidents(
            reader=reader,
            identity=QUALITY_LEAD_A1,
            incident_filter=IncidentFilter(measure=FALLS),
            row_limit=None,
        )
        forged = _uids(reader, identity=QUALITY_LEAD_A1, measure=FALLS, location_id=LOCATION_A2)

        # Then only A1's 132 falls come back, and nothing of A2
        assert set(every.rows["location_id"]) == {LOCATION_A1}
        assert every.matched == 132
        assert forged == []

    def test_an_inspector_reads_the_providers_incidents(self, reader: WarehouseReader) -> None:
        uids = _uids(reader, identity=INSPECTOR_A, measure=FALLS, location_id=LOCATION_A2)

        assert uids == ["I-A2-F2", "I-A2-F1"]

    def test_an_icb_lead_may_not_read_incidents(self, reader: WarehouseReader) -> None:
        with pytest.raises(AccessDeniedError):
            measure_incidents(
                reader=reader, identity=ICB_LEAD_A, incident_filter=IncidentFilter(measure=FALLS)
            )


class TestFallsHeatmap:
    def test_places_falls_by_london_wall_clock_hour_across_both_clock_changes(
        self, reader: WarehouseReader
    ) -> None:
        # Given A1's generic falls all between 08:00 and 19:00, and hand-placed falls at 00:30
        # GMT and 02:30 BST on Sunday 30 March 2025, 01:30 BST and 01:30 GMT on Sunday 26
        # October 2025, 00:30 BST on Tuesday 1 July 2025 and 23:45 on Wednesday 31 December
        # When the heatmap is read
        frame = falls_heatmap(reader=reader, identity=OWNER_A, location_id=LOCATION_A1)
        cells = {(row["weekday"], row["hour"]): row["falls"] for row in frame.iter_rows(named=True)}

        # Then each lands in its London weekday (1 Monday, 7 Sunday) and hour
        night = {key: value for key, value in cells.items() if key[1] < 8 or key[1] > 19}
        assert night == {(7, 0): 1, (7, 1): 2, (7, 2): 1, (2, 0): 1, (3, 23): 1}
        assert sum(cells.values()) == 132

    def test_falls_with_harm_keeps_moderate_severe_and_fatal(self, reader: WarehouseReader) -> None:
        # Given the night falls above: harm no_harm (00:30), low (02:30), no_harm and
        # moderate (01:30 twice), low (Tuesday 00:30), severe (Wednesday 23:45)
        frame = falls_heatmap(
            reader=reader,
            identity=OWNER_A,
            location_id=LOCATION_A1,
            measure=QualityMeasure.FALLS_WITH_HARM,
        )
        cells = {(row["weekday"], row["hour"]): row["falls"] for row in frame.iter_rows(named=True)}

        # Then only the moderate and severe ones remain at night
        night = {key: value for key, value in cells.items() if key[1] < 8 or key[1] > 19}
        assert night == {(7, 1): 1, (3, 23): 1}

    def test_counts_only_the_falls_of_the_window_by_london_day(
        self, reader: WarehouseReader
    ) -> None:
        # Given A1's January 2026: generic falls on Friday 2 Jan 08:15 and Monday 5 Jan 11:15
        # and hand-placed ones on Monday 5 Jan at 14:10 and 14:50 (GMT, so London time too);
        # the fall of Wednesday 31 Dec 23:45 is December's, and February's are February's
        # When the heatmap of 1 January up to 1 February 2026 is read
        frame = falls_heatmap(
            reader=reader,
            identity=OWNER_A,
            location_id=LOCATION_A1,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 2, 1),
        )

        # Then it holds those four falls and nothing from outside the window
        cells = {(row["weekday"], row["hour"]): row["falls"] for row in frame.iter_rows(named=True)}
        assert cells == {(5, 8): 1, (1, 11): 1, (1, 14): 2}

    @pytest.mark.parametrize(
        ("start", "end", "night"),
        [
            (date(2025, 6, 1), date(2025, 7, 1), {}),
            (date(2025, 7, 1), date(2025, 8, 1), {(2, 0): 1}),
            (date(2025, 6, 30), date(2025, 7, 1), {}),
            (date(2025, 7, 1), date(2025, 7, 2), {(2, 0): 1}),
            (date(2025, 12, 1), date(2026, 1, 1), {(3, 23): 1}),
        ],
        ids=["june", "july", "30-june", "1-july", "december"],
    )
    def test_a_fall_just_after_midnight_belongs_to_its_london_day(
        self, reader: WarehouseReader, start: date, end: date, night: dict[tuple[int, int], int]
    ) -> None:
        # Given a fall at 23:30 UTC on 30 June 2025, which is 00:30 BST on Tuesday 1 July,
        # and one at 23:45 on Wednesday 31 December 2025 (GMT); every other fall of those
        # months is between 08:00 and 19:00
        frame = falls_heatmap(
            reader=reader,
            identity=OWNER_A,
            location_id=LOCATION_A1,
            period_start=start,
            period_end=end,
        )

        # Then the July fall counts in July (and on 1 July), never in June or on 30 June
        cells = {(row["weekday"], row["hour"]): row["falls"] for row in frame.iter_rows(named=True)}
        assert {key: value for key, value in cells.items() if key[1] < 8 or key[1] > 19} == night

    def test_a_window_with_no_falls_is_empty(self, reader: WarehouseReader) -> None:
        # Given A1's data start in March 2024
        frame = falls_heatmap(
            reader=reader,
            identity=OWNER_A,
            location_id=LOCATION_A1,
            period_start=date(2024, 1, 1),
            period_end=date(2024, 3, 1),
        )

        assert frame.is_empty()

    def test_is_empty_outside_the_callers_scope(self, reader: WarehouseReader) -> None:
        out_of_location = falls_heatmap(
            reader=reader, identity=QUALITY_LEAD_A1, location_id=LOCATION_A2
        )
        other_provider = falls_heatmap(reader=reader, identity=OWNER_B, location_id=LOCATION_A1)

        assert out_of_location.is_empty()
        assert other_provider.is_empty()

    def test_refuses_a_measure_that_is_not_falls(self, reader: WarehouseReader) -> None:
        with pytest.raises(ValueError, match="heatmap is of falls"):
            falls_heatmap(
                reader=reader,
                identity=OWNER_A,
                location_id=LOCATION_A1,
                measure=QualityMeasure.PRESSURE_ULCERS,
            )


class TestMedicationDoses:
    def test_reads_months_and_weeks_of_one_location(self, reader: WarehouseReader) -> None:
        # When A1's doses are read by month and by week
        months = medication_doses(reader=reader, identity=OWNER_A, location_id=LOCATION_A1)
        weeks = medication_doses(
            reader=reader, identity=OWNER_A, location_id=LOCATION_A1, grain="week"
        )

        # Then March 2024 comes first: 31 days of 120 scheduled doses, 15 missed, 31 late and
        # 2 medication errors; weeks start on Mondays
        assert months.height == 24
        assert months.row(0) == (date(2024, 3, 1), 3720, 15, 31, 2, 2 * 1000 / 3720)
        assert weeks.item(0, "period") == date(2024, 3, 4)
        assert {day.weekday() for day in weeks["period"]} == {0}

    def test_is_empty_outside_the_callers_scope(self, reader: WarehouseReader) -> None:
        forged = medication_doses(reader=reader, identity=QUALITY_LEAD_A1, location_id=LOCATION_A2)
        other = medication_doses(reader=reader, identity=OWNER_A, location_id=LOCATION_B1)

        assert forged.is_empty()
        assert other.is_empty()

    def test_refuses_an_unknown_grain(self, reader: WarehouseReader) -> None:
        with pytest.raises(ValueError, match="grain"):
            medication_doses(
                reader=reader,
                identity=OWNER_A,
                location_id=LOCATION_A1,
                grain="day",  # type: ignore[arg-type]
            )
