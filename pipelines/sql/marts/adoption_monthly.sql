-- marts.adoption_monthly: one row per ICB per month, from marts.adoption_location_monthly
-- (metrics-v1.md "marts.adoption_monthly"; docs/adoption.md). Locations whose ICB is not known
-- count in no ICB. Rates are null when their denominator is zero.

select
    icb_code,
    month,
    count(*) as active_locations,
    count(*) filter (is_adopted) as adopted_locations,
    count(*) filter (not has_return) as no_return_locations,
    count(*) filter (is_adopted) / count(*) as adoption_rate,
    coalesce(sum(care_home_beds), 0) as care_home_beds,
    coalesce(sum(care_home_beds) filter (is_adopted), 0) as adopted_care_home_beds,
    coalesce(sum(care_home_beds) filter (is_adopted), 0)
        / nullif(coalesce(sum(care_home_beds), 0), 0) as adoption_rate_beds,
    min(icb_name) as icb_name,
    min(month_end) as month_end,
    count(*) filter (has_return and not latest_uses_dscr) as returned_no_locations,
    count(*) filter (is_adopted)
        / nullif(count(*) filter (has_return), 0) as adoption_rate_of_returns,
    min(universe_snapshot_date) as universe_snapshot_date
from marts.adoption_location_monthly
where icb_code is not null
group by icb_code, month
