-- audience: provider
-- The provider's cost lines as the load stored them (reference.cost_lines, spec 5.4), in file
-- order: what the Return on investment page appraises. The same rows as `carelens roi` reads
-- (carelens/roi_inputs.py), so the page and the command give the same figures.
select category, item, cost_type, unit_cost_gbp, quantity, frequency, start_date, end_date,
       replacement_years, annual_loss_rate, source_line
from reference.cost_lines
where provider_id = $scope_provider_id
order by source_file, source_line
