import type { FastifyInstance } from 'fastify';
import { saveAssigneeNote } from '../../../features/self-assessment/hands.ts';
import { scoreRef } from '../../../features/self-assessment/unit-access.ts';
import { translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { anchorOf, contextOf, type UnitParams } from './shared.ts';

/** Issue 23: an assignee's note on a criterion they hold (for themselves, or for a body they act for). */
export default async function unitHandsRoutes(app: FastifyInstance) {
  app.post<{ Params: UnitParams }>('/:unit/campaigns/:code/criteria/:criterion/note', async (req, reply) => {
    const ctx = await contextOf(req);
    const ref = ctx && (await scoreRef(req.em, ctx, req.params.criterion!));
    if (!ctx || !ref) return reply.callNotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const assignment =
      typeof body.assignment === 'string' && /^\d{1,9}$/.test(body.assignment) ? Number(body.assignment) : 0;
    const note = typeof body.note === 'string' ? body.note.slice(0, 20_000) : '';
    const outcome = await saveAssigneeNote(req.em, ctx, ref.id, assignment, note);
    const back = paths.unit.criteria(
      ctx.unit.code,
      ctx.campaign.code,
      { field: ref.criterionCode.split('.')[0] },
      anchorOf(ref.criterionCode),
    );
    if (outcome.ok) return reply.redirect(back, 303);
    const status = outcome.kind === 'forbidden' ? 403 : outcome.kind === 'locked' ? 409 : 422;
    const errors =
      outcome.kind === 'invalid'
        ? translateErrors(req.t, outcome.errors)
        : { _form: req.t(outcome.kind === 'locked' ? 'hands.notes.locked' : 'errors.forbidden.title') };
    return reply.page(
      'unit/note',
      { ctx, code: ref.criterionCode, assignment, note, errors, back },
      { status, title: req.t('hands.notes.title') },
    );
  });
}
