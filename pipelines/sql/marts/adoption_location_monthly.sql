-- marts.adoption_location_monthly: one row per active (non-dormant) adult social care location
-- of each month's universe, with its ICB on the month end and its latest adoption return on or
-- before the month end (dscr-export-v1.md 5.3; docs/adoption.md).
--
-- Months run from the month of the earliest adoption return (the earliest directory snapshot
-- when there is no return) to the month of the latest return or directory snapshot, whichever
-- is later, and never past the month of the run date. A month's universe is the latest
-- directory snapshot on or before its month end, or the earliest snapshot for months before
-- the first one. Only snapshots that carry `Location Inspection Directorate` can be a universe:
-- CQC's plain directory has no directorate and no CCG code, so a snapshot of it would put no
-- location in any ICB. A null `Dormant (Y/N)` counts as not dormant (the sheet lists active
-- locations). The ICB is the lookup row of the location's ONSPD CCG code whose valid_from is
-- the latest on or before the month end (a null valid_from counts as earliest).
--
-- Parameters: $today (the run date, Europe/London).

with snapshots as (
    select snapshot_date
    from reference.cqc_locations
    group by snapshot_date
    having bool_or(inspection_directorate is not null)
),

returns as (
    select * from reference.adoption_returns where pir_submission_date <= $today
),

bounds as (
    select
        coalesce(
            (select min(pir_submission_date) from returns),
            (select min(snapshot_date) from snapshots)
        ) as first_day,
        greatest(
            (select max(pir_submission_date) from returns),
            (select max(snapshot_date) from snapshots)
        ) as last_day
),

months as (
    select
        month::date as month,
        last_day(month::date) as month_end
    from bounds,
        generate_series(
            date_trunc('month', bounds.first_day),
            date_trunc('month', least(bounds.last_day, $today::date)),
            interval 1 month
        ) as series (month)
    where exists (select 1 from snapshots)
),

month_universe as (
    -- the latest usable snapshot on or before the month end, else the earliest one
    select
        months.month,
        months.month_end,
        coalesce(
            (select max(s.snapshot_date) from snapshots as s where s.snapshot_date <= months.month_end),
            (select min(s.snapshot_date) from snapshots as s)
        ) as universe_snapshot_date
    from months
),

universe as (
    select
        month_universe.month,
        month_universe.month_end,
        month_universe.universe_snapshot_date,
        directory.location_id,
        directory.location_name,
        directory.provider_id,
        directory.provider_name,
        coalesce(nullif(trim(directory.local_authority), ''), 'Unknown') as local_authority,
        upper(nullif(trim(directory.onspd_ccg_code), '')) as onspd_ccg_code,
        coalesce(directory.is_care_home, false) as is_care_home,
        case when directory.is_care_home then directory.care_home_beds end as care_home_beds
    from month_universe
    inner join reference.cqc_locations as directory
        on directory.snapshot_date = month_universe.universe_snapshot_date
    where directory.is_adult_social_care and not coalesce(directory.is_dormant, false)
),

month_icbs as (
    -- each sub-ICB's ICB on each month end: the lookup row with the latest valid_from on or
    -- before it (a small table: months x sub-ICBs, joined by hash rather than per location)
    select
        months.month,
        lookup.sub_icb_ons_code,
        lookup.icb_ods_code,
        lookup.icb_name
    from months
    inner join reference.sub_icb_lookup as lookup
        on coalesce(lookup.valid_from, date '0001-01-01') <= months.month_end
    qualify row_number() over (
        partition by months.month, lookup.sub_icb_ons_code
        order by lookup.valid_from desc nulls last
    ) = 1
),

dated_returns as (
    -- every return with the latest supplier named on or before its date, so one as-of join
    -- gives a month both its latest answer and its latest named supplier
    select
        location_id,
        pir_submission_date,
        uses_dscr,
        dscr_status,
        last_value(nullif(trim(dscr_supplier), '') ignore nulls) over (
            partition by location_id order by pir_submission_date
            rows between unbounded preceding and current row
        ) as named_supplier
    from returns
),

exported_suppliers as (
    -- the supplier the provider's own ODE-1 export names (the latest export, if two providers
    -- export the same location)
    select location_id, trim(dscr_supplier) as dscr_supplier
    from core.locations
    where nullif(trim(dscr_supplier), '') is not null
    qualify row_number() over (
        partition by location_id order by export_sequence desc, provider_id
    ) = 1
)

select
    universe.month,
    universe.month_end,
    month_icbs.icb_ods_code as icb_code,
    month_icbs.icb_name,
    universe.location_id,
    universe.location_name,
    universe.provider_id,
    universe.provider_name,
    universe.local_authority,
    case when universe.is_care_home then 'care_home' else 'community' end as service_type,
    universe.care_home_beds,
    case
        when not universe.is_care_home then 'community'
        when universe.care_home_beds is null or universe.care_home_beds < 1 then 'beds unknown'
        when universe.care_home_beds < 10 then '1-9 beds'
        when universe.care_home_beds < 25 then '10-24 beds'
        when universe.care_home_beds < 50 then '25-49 beds'
        else '50+ beds'
    end as size_band,
    universe.universe_snapshot_date,
    latest.pir_submission_date as latest_return_date,
    latest.uses_dscr as latest_uses_dscr,
    nullif(lower(trim(latest.dscr_status)), '') as latest_dscr_status,
    coalesce(latest.named_supplier, exported.dscr_supplier) as dscr_supplier,
    latest.pir_submission_date is not null as has_return,
    coalesce(latest.uses_dscr, false) as is_adopted
from universe
left join month_icbs
    on month_icbs.month = universe.month
    and month_icbs.sub_icb_ons_code = universe.onspd_ccg_code
asof left join dated_returns as latest
    on latest.location_id = universe.location_id
    and latest.pir_submission_date <= universe.month_end
left join exported_suppliers as exported
    on exported.location_id = universe.location_id
