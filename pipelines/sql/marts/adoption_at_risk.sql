-- marts.adoption_at_risk: locations at risk of dropping their DSCR as at the run date, one row
-- per location and reason (docs/adoption.md). Only active (non-dormant) adult social care
-- locations of the universe on the run date: the latest directory snapshot on or before it
-- that carries the directorate, else the earliest such snapshot (the rule of every month in
-- marts.adoption_location_monthly). Returns dated after the run date are not yet believed.
--
--   returned_no_after_yes  the latest return says No and the one before it said Yes
--   status_abandoned       the latest return's DSCR status is abandoned
--   exports_stopped        the location is in a provider's ODE-1 exports (core.locations) and
--                          the latest of them (audit.packages.extract_to) ends more than
--                          $freshness_days days before the run date
--
-- Parameters: $today (the run date, Europe/London), $freshness_days.

with snapshots as (
    select snapshot_date
    from reference.cqc_locations
    group by snapshot_date
    having bool_or(inspection_directorate is not null)
),

universe as (
    select
        directory.location_id,
        directory.location_name,
        directory.provider_id,
        directory.provider_name,
        upper(nullif(trim(directory.onspd_ccg_code), '')) as onspd_ccg_code
    from reference.cqc_locations as directory
    where directory.snapshot_date = coalesce(
        (select max(snapshot_date) from snapshots where snapshot_date <= $today),
        (select min(snapshot_date) from snapshots)
    )
        and directory.is_adult_social_care
        and not coalesce(directory.is_dormant, false)
),

icbs as (
    -- the ICB on the run date: the latest valid_from on or before it (null counts as earliest)
    select
        sub_icb_ons_code,
        icb_ods_code
    from reference.sub_icb_lookup
    where coalesce(valid_from, date '0001-01-01') <= $today
    qualify row_number() over (
        partition by sub_icb_ons_code order by valid_from desc nulls last
    ) = 1
),

ranked_returns as (
    select
        location_id,
        pir_submission_date,
        uses_dscr,
        nullif(trim(dscr_supplier), '') as dscr_supplier,
        lower(trim(dscr_status)) as dscr_status,
        row_number() over (
            partition by location_id order by pir_submission_date desc
        ) as recency
    from reference.adoption_returns
    where pir_submission_date <= $today
),

latest_two as (
    select
        latest.location_id,
        latest.pir_submission_date as latest_return_date,
        latest.uses_dscr as latest_uses_dscr,
        latest.dscr_status as latest_dscr_status,
        latest.dscr_supplier as latest_supplier,
        previous.pir_submission_date as previous_return_date,
        previous.uses_dscr as previous_uses_dscr,
        previous.dscr_supplier as previous_supplier
    from ranked_returns as latest
    left join ranked_returns as previous
        on previous.location_id = latest.location_id and previous.recency = 2
    where latest.recency = 1
),

exports as (
    select
        exported.location_id,
        max(packages.extract_to) as last_export_to
    from core.locations as exported
    inner join audit.packages as packages using (provider_id)
    group by exported.location_id
),

reasons as (
    select
        location_id,
        'returned_no_after_yes' as reason,
        'Latest return, of ' || strftime(latest_return_date, '%-d %B %Y')
            || ', says No; the one before, of ' || strftime(previous_return_date, '%-d %B %Y')
            || ', said Yes' || coalesce(' (supplier ' || previous_supplier || ')', '')
            as evidence,
        latest_return_date as evidence_date,
        previous_return_date,
        latest_return_date,
        null::date as last_export_to
    from latest_two
    where not latest_uses_dscr and previous_uses_dscr

    union all

    select
        location_id,
        'status_abandoned' as reason,
        'Latest return, of ' || strftime(latest_return_date, '%-d %B %Y')
            || ', gives the DSCR status abandoned'
            || coalesce(' (supplier ' || latest_supplier || ')', '') as evidence,
        latest_return_date as evidence_date,
        null::date as previous_return_date,
        latest_return_date,
        null::date as last_export_to
    from latest_two
    where latest_dscr_status = 'abandoned'

    union all

    select
        location_id,
        'exports_stopped' as reason,
        'Latest ODE-1 export covers to ' || strftime(last_export_to, '%-d %B %Y') || ', '
            || ($today::date - last_export_to) || ' days before the run on '
            || strftime($today::date, '%-d %B %Y') || ' (more than '
            || $freshness_days || ' days)' as evidence,
        last_export_to as evidence_date,
        null::date as previous_return_date,
        null::date as latest_return_date,
        last_export_to
    from exports
    where $today::date - last_export_to > $freshness_days
)

select
    icbs.icb_ods_code as icb_code,
    universe.location_id,
    universe.location_name,
    universe.provider_id,
    universe.provider_name,
    reasons.reason,
    reasons.evidence,
    reasons.evidence_date,
    reasons.previous_return_date,
    coalesce(reasons.latest_return_date, latest_two.latest_return_date) as latest_return_date,
    reasons.last_export_to,
    ($today::date - reasons.last_export_to)::integer as days_without_export,
    $today::date as as_of
from reasons
inner join universe using (location_id)
left join icbs on icbs.sub_icb_ons_code = universe.onspd_ccg_code
left join latest_two using (location_id)
