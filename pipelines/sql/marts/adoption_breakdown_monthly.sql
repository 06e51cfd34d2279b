-- marts.adoption_breakdown_monthly: the counts of marts.adoption_monthly broken down by service
-- type, size band, local authority and supplier (docs/adoption.md). In the supplier dimension
-- an adopted location is counted under its supplier ('Not known' when no return or export
-- names one) and every other location under 'No DSCR'.

with located as (
    select * from marts.adoption_location_monthly where icb_code is not null
),

categorised as (
    select icb_code, month, is_adopted, has_return, care_home_beds,
        'service_type' as dimension, service_type as category
    from located
    union all
    select icb_code, month, is_adopted, has_return, care_home_beds,
        'size_band' as dimension, size_band as category
    from located
    union all
    select icb_code, month, is_adopted, has_return, care_home_beds,
        'local_authority' as dimension, local_authority as category
    from located
    union all
    select icb_code, month, is_adopted, has_return, care_home_beds,
        'supplier' as dimension,
        case when is_adopted then coalesce(dscr_supplier, 'Not known') else 'No DSCR' end
            as category
    from located
)

select
    icb_code,
    month,
    dimension,
    category,
    count(*) as active_locations,
    count(*) filter (is_adopted) as adopted_locations,
    count(*) filter (not has_return) as no_return_locations,
    count(*) filter (is_adopted) / count(*) as adoption_rate,
    coalesce(sum(care_home_beds), 0) as care_home_beds,
    coalesce(sum(care_home_beds) filter (is_adopted), 0) as adopted_care_home_beds,
    coalesce(sum(care_home_beds) filter (is_adopted), 0)
        / nullif(coalesce(sum(care_home_beds), 0), 0) as adoption_rate_beds
from categorised
group by icb_code, month, dimension, category
