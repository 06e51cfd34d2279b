-- audience: provider
-- The provider's measured benefit streams by month, summed over its locations
-- (marts.benefit_streams): the basis is the least measured of the locations' rows, as
-- `carelens roi` reads them (carelens/roi_inputs.py).
select stream, month,
       case when bool_or(basis = 'assumed') and bool_or(basis <> 'assumed')
                 then 'measured_and_assumed'
            when bool_and(basis = 'measured') then 'measured'
            when bool_and(basis = 'assumed') then 'assumed'
            else 'measured_and_assumed' end as basis,
       string_agg(distinct basis_note, '; ' order by basis_note) as basis_note,
       bool_or(cash_releasing) as cash_releasing,
       sum(quantity) as quantity, min(unit) as unit,
       sum(value_gbp) as value_gbp, sum(value_low_gbp) as value_low_gbp,
       sum(value_high_gbp) as value_high_gbp
from marts.benefit_streams
where provider_id = $scope_provider_id
group by stream, month
order by stream, month
