// Which campaigns' council pages a person opens (issue 23, item 4): the secretariat and a chair of every campaign
// open all of them; a chair, vice-chair or member recorded in one campaign's council opens that campaign's only. And
// the chair alone approves.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mayApprove, mayReadCouncil } from '../../domain/permissions.ts';
import { campaignIdOf } from '../../features/council/members.ts';

/** The campaign a council request names, once the guard let it through. */
const campaignOfRequest = new WeakMap<FastifyRequest, number>();

/** preHandler of the council area: a campaign the person may not read is not found. */
export async function councilCampaignGuard(req: FastifyRequest, reply: FastifyReply) {
  const code = (req.params as { code?: string } | undefined)?.code;
  if (!code || !req.user) return;
  const id = await campaignIdOf(req.em, code);
  if (id === null) return; // the route answers "not found" itself
  if (!mayReadCouncil(req.user.grants, id)) return reply.callNotFound();
  campaignOfRequest.set(req, id);
}

/** Whether this person approves the campaign the request names. */
export const mayApproveHere = (req: FastifyRequest) => {
  const id = campaignOfRequest.get(req);
  return id !== undefined && mayApprove(req.user!.grants, id);
};

/** The campaigns of the council's start page: all of them, or only those of the person's councils. */
export function councilCampaignsOf<T extends { id: number }>(req: FastifyRequest, campaigns: T[]): T[] {
  return campaigns.filter((c) => mayReadCouncil(req.user!.grants, c.id));
}
