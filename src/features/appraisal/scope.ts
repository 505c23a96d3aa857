// Which agency appraises a criterion: its own, else the nearest ancestor's (a field's agency covers its subtree).

/**
 * A CTE `effective_agency(criterion_id, agency_id)` over one criteria set, to join on. Takes one parameter: the set id.
 * Use as `with recursive ${effectiveAgencyCte} select … join effective_agency ea on ea.criterion_id = c.id`.
 */
export const effectiveAgencyCte = `effective_agency(criterion_id, agency_id) as (
    select c.id, c.agency_id from criterion c where c.criteria_set_id = ? and c.parent_id is null
    union all
    select c.id, coalesce(c.agency_id, ea.agency_id) from criterion c join effective_agency ea on c.parent_id = ea.criterion_id)`;

export const appraisalStateOrder = ['todo', 'answered', 'waiting', 'adjusted', 'accepted'] as const;
