-- audience: icb
-- counts: packages_loaded, rows_read, rows_loaded, rows_quarantined
-- rates: share_quarantined = rows_quarantined / rows_read
-- labels: provider_id, latest_extract_to
-- One row per provider with a location in the caller's ICB: packages loaded, the latest day
-- its extracts cover and rows read, loaded and quarantined over every load (all its
-- locations). Counts are disclosure-controlled by the reader; the share of rows quarantined
-- is computed there from the unrounded counts.
with providers as (
    select distinct provider_id
    from core.locations
    where icb_code = $scope_icb_code
),

packages as (
    select
        provider_id,
        count(*) as packages_loaded,
        max(extract_to) as latest_extract_to
    from audit.packages
    where provider_id in (select provider_id from providers)
    group by provider_id
),

files as (
    select
        provider_id,
        sum(rows_read)::bigint as rows_read,
        sum(rows_loaded)::bigint as rows_loaded,
        sum(rows_quarantined)::bigint as rows_quarantined
    from audit.load_files
    where provider_id in (select provider_id from providers)
    group by provider_id
)

select
    providers.provider_id,
    coalesce(packages.packages_loaded, 0) as packages_loaded,
    packages.latest_extract_to,
    coalesce(files.rows_read, 0) as rows_read,
    coalesce(files.rows_loaded, 0) as rows_loaded,
    coalesce(files.rows_quarantined, 0) as rows_quarantined
from providers
left join packages on providers.provider_id = packages.provider_id
left join files on providers.provider_id = files.provider_id
order by providers.provider_id
