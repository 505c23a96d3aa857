// The words of the yearly workflow: the states a campaign and an appraisal pass through, and the roles people hold.
// The database entities store these values (as enums).

/** A campaign's phase, in order: prepared, units assess themselves, agencies appraise, the council reviews and
 * approves, the results are published. */
export const campaignStates = [
  'draft',
  'self-assessment',
  'appraisal',
  'council-review',
  'approved',
  'published',
] as const;
export type CampaignState = (typeof campaignStates)[number];

/** One appraisal item (a criterion of a unit's self-assessment, as an agency sees it). */
export const appraisalStates = ['todo', 'accepted', 'adjusted', 'waiting', 'answered'] as const;
export type AppraisalState = (typeof appraisalStates)[number];

/** admin = the secretariat (Phòng/Sở Nội vụ); chair = the council's chair; officer, contributor and head belong to a
 * unit; appraiser to an agency. */
export const roles = ['admin', 'chair', 'appraiser', 'officer', 'head', 'contributor'] as const;
/** The roles held for one campaign by being recorded in its council or working group (src/features/council/members.ts),
 * never assigned on the users page: vice-chair and council member read the progress, the preliminary ranking and the
 * units' reports; the working group (tổ công tác, tổ thư ký) follows the units up; a chair recorded there approves
 * that campaign. */
export const campaignRoles = ['vice-chair', 'council-member', 'working-group'] as const;
export type Role = (typeof roles)[number] | (typeof campaignRoles)[number];
