// Which agency appraises a criterion: its own, else the nearest ancestor's (a field's agency covers its subtree).

/**
 * The one definition of a CTE `effective_agency(criterion_id, agency_id)`, to join on. `set` is the SQL expression
 * of the criteria set's id (by default one parameter, `?`); null covers every set. Use as
 * `with recursive ${effectiveAgency()} select … join effective_agency ea on ea.criterion_id = c.id`.
 */
export function effectiveAgency(set: string | null = '?'): string {
  return `effective_agency(criterion_id, agency_id) as (
    select c.id, c.agency_id from criterion c where ${set === null ? '' : `c.criteria_set_id = ${set} and `}c.parent_id is null
    union all
    select c.id, coalesce(c.agency_id, ea.agency_id) from criterion c join effective_agency ea on c.parent_id = ea.criterion_id)`;
}

/** The CTE over one criteria set, its id the one parameter. */
export const effectiveAgencyCte = effectiveAgency();

export const appraisalStateOrder = ['todo', 'answered', 'waiting', 'adjusted', 'accepted'] as const;
