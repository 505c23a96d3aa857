// Who may do what, from a person's role assignments alone: no I/O, so every rule is table-testable.

import type { Language } from './language.ts';
import type { Role } from './workflow.ts';

export interface Grant {
  role: Role;
  unitId: number | null;
  agencyId: number | null;
  /** Set on a role held for one campaign (recorded in its council or working group); absent or null: every campaign. */
  campaignId?: number | null;
}

export type Area = 'admin' | 'council' | 'followup' | 'appraisal' | 'unit';

/** The signed-in person, as every request knows them. */
export interface CurrentUser {
  id: number;
  username: string;
  fullName: string;
  language: Language;
  grants: Grant[];
  areas: Area[];
  /** Set on a temporary password (made by the secretariat): every signed-in page but the change page waits for a new one. */
  mustChangePassword: boolean;
  /** Unread notices (the header's count), read with the session; absent where no session was looked up. */
  unreadNotices?: number;
}

const unitRoles: readonly Role[] = ['officer', 'head', 'contributor'];

/** The areas of the portal a person works in, in the order the navigation shows them. */
export function areasOf(grants: readonly Grant[]): Area[] {
  const has = (r: Role) => grants.some((g) => g.role === r);
  const areas: Area[] = [];
  if (has('admin')) areas.push('admin');
  if (has('admin') || has('chair') || has('vice-chair') || has('council-member')) areas.push('council');
  // An appraiser who also sits in the working group lands on their queue: appraising is their daily work.
  if (grants.some((g) => g.role === 'appraiser' && g.agencyId !== null)) areas.push('appraisal');
  if (has('working-group')) areas.push('followup');
  if (grants.some((g) => unitRoles.includes(g.role) && g.unitId !== null)) areas.push('unit');
  return areas;
}

export function mayEnter(grants: readonly Grant[], area: Area): boolean {
  return areasOf(grants).includes(area);
}

/** Units whose self-assessment this person may open, with the strongest role held there. */
export function unitAccess(grants: readonly Grant[]): Map<number, Role> {
  const rank: Record<string, number> = { head: 3, officer: 2, contributor: 1 };
  const access = new Map<number, Role>();
  for (const g of grants) {
    if (g.unitId === null || !unitRoles.includes(g.role)) continue;
    const held = access.get(g.unitId);
    if (!held || rank[g.role] > rank[held]) access.set(g.unitId, g.role);
  }
  return access;
}

export function agenciesOf(grants: readonly Grant[]): number[] {
  return grants.filter((g) => g.role === 'appraiser' && g.agencyId !== null).map((g) => g.agencyId as number);
}

const councilRoles: readonly Role[] = ['chair', 'vice-chair', 'council-member'];
const forCampaign = (g: Grant, campaignId: number) => g.campaignId == null || g.campaignId === campaignId;

/** May read the council's pages of this campaign (progress, preliminary ranking, units' reports): the secretariat,
 * a chair of every campaign, or a member of this campaign's council. */
export function mayReadCouncil(grants: readonly Grant[], campaignId: number): boolean {
  return grants.some((g) => g.role === 'admin' || (councilRoles.includes(g.role) && forCampaign(g, campaignId)));
}

/** The chair alone approves: the chair of every campaign, or the chair recorded in this campaign's council. */
export function mayApprove(grants: readonly Grant[], campaignId: number): boolean {
  return grants.some((g) => g.role === 'chair' && forCampaign(g, campaignId));
}

/** The working group follows this campaign's units up (progress, who has not submitted, messages to them). */
export function mayFollowUp(grants: readonly Grant[], campaignId: number): boolean {
  return grants.some((g) => g.role === 'working-group' && forCampaign(g, campaignId));
}
