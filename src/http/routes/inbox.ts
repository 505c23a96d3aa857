// The inbox: every notice the portal wrote for the signed-in person (src/features/notices.ts), newest first. Opening
// one is a POST (it marks the notice read), answered by a 303 to the page where the person acts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listNotices, markAllRead, noticesPerPage, openNotice, type NoticeRow } from '../../features/notices.ts';
import type { MessageKey } from '../../i18n/catalog.ts';
import { paging } from '../paging.ts';
import { paths } from '../paths.ts';
import { requireArea } from '../plugins/auth.ts';

/** The page where the person acts on a notice. */
export function noticeHref(n: Pick<NoticeRow, 'kind' | 'params'>): string {
  const campaign = String(n.params.campaign ?? '');
  const unit = String(n.params.unit ?? '');
  switch (n.kind) {
    case 'message':
    case 'selfAssessmentClosing':
    case 'reopened':
      return paths.unit.campaign(unit, campaign);
    case 'selfAssessmentOpened':
    case 'requested':
    case 'answersDue':
    case 'decided':
      return n.kind === 'selfAssessmentOpened'
        ? paths.unit.campaign(unit, campaign)
        : paths.unit.explanations(unit, campaign);
    case 'appraisalOpened':
    case 'appraisalClosing':
      return paths.appraisal.queue({ campaign });
    case 'answered':
      return paths.appraisal.queue({ campaign, unit, state: 'answered' });
    case 'returned':
      return paths.appraisal.queue({ campaign, unit, state: 'todo' });
    case 'returnedForCorrection':
      return paths.admin.campaign(campaign, {}, 'publication-h');
    case 'submitted':
      return paths.admin.campaignProgress(campaign);
    case 'review':
      return paths.council.campaign(campaign);
    case 'published':
    case 'corrected':
      return paths.published.unit(campaign, unit);
  }
}

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) }).catch({ page: 1 });

export default async function inboxRoutes(app: FastifyInstance) {
  const guard = requireArea(null);

  app.get<{ Querystring: Record<string, unknown> }>('/inbox', { onRequest: guard }, async (req, reply) => {
    const user = req.user!;
    const { page } = pageQuery.parse(req.query);
    const { rows, total, unread } = await listNotices(req.em, user.id, page);
    return reply.page(
      'inbox/index',
      {
        notices: rows.map((n) => ({
          ...n,
          text: req.t(`notice.${n.kind}` as MessageKey, { ...n.params, count: n.count }),
        })),
        unread,
        paging: paging(total, noticesPerPage, page, (n) => paths.inbox.index({ page: n })),
      },
      { title: req.t('inbox.title') },
    );
  });

  app.post<{ Params: { id: string } }>('/inbox/:id', { onRequest: guard }, async (req, reply) => {
    const notice = await openNotice(req.em, req.user!.id, req.params.id);
    if (!notice) return reply.callNotFound();
    return reply.redirect(noticeHref(notice), 303);
  });

  app.post('/inbox/read-all', { onRequest: guard }, async (req, reply) => {
    await markAllRead(req.em, req.user!.id);
    return reply.redirect(paths.inbox.index(), 303);
  });
}
