import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatDate, parseCalendarDate, todayInVietnam } from '../../domain/dates.ts';
import { findCampaign, listCampaigns } from '../../features/campaigns.ts';
import { daysUntil, needsOf } from '../../features/needs.ts';
import { approvalDecision, campaignOverview, preliminaryRanking } from '../../features/council/overview.ts';
import { approveCampaign } from '../../features/publication/publish.ts';
import { visitCounts } from '../../features/onsite/visits.ts';
import { stepConsequences } from '../../features/steps.ts';
import { loadSurvey } from '../../features/survey.ts';
import { loadReview } from '../../features/survey-online/review.ts';
import { translateErrors, translateMessage } from '../forms.ts';
import { paging } from '../paging.ts';
import { paths } from '../paths.ts';
import { progressPage } from './progress-page.ts';
import councilDocumentsRoutes from './council-documents.ts';
import { requireArea } from '../plugins/auth.ts';
import { agenciesOf } from '../../domain/permissions.ts';
import { publicationDue } from '../../features/appraisal/window.ts';
import { signedReportsOfCampaign } from '../../features/council/reports.ts';
import { councilCampaignGuard, councilCampaignsOf, mayApproveHere } from './council-access.ts';

/** Rows of the units table and of the preliminary ranking per page. */
const councilPageSize = 250;
const pageNumber = (v: unknown) => (typeof v === 'string' && /^[1-9]\d{0,4}$/.test(v) ? Number(v) : 1);

export default async function councilRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea('council'));
  // A campaign's council pages are its council's (and the secretariat's, and a chair of every campaign's): issue 23.
  app.addHook('preHandler', councilCampaignGuard);
  await app.register(councilDocumentsRoutes);

  app.get('/', async (req, reply) => {
    const campaigns = councilCampaignsOf(req, await listCampaigns(req.em));
    // The chair's home: what waits for them (an approval) comes first.
    const today = todayInVietnam();
    const needs = await needsOf(req.em, req.user!, today);
    return reply.page('council/index', { campaigns, needs, today, daysUntil }, { title: req.t('council.title') });
  });

  // The preliminary ranking on this page is confidential until publication: never stored by a cache.
  const isChair = (req: FastifyRequest) => mayApproveHere(req);

  const decisionOf = (req: FastifyRequest, campaignId: number) => approvalDecision(req.em, campaignId);

  const overviewPage = async (
    req: FastifyRequest<{ Params: { code: string }; Querystring: Record<string, string> }>,
    reply: FastifyReply,
    approval: { errors: Record<string, string>; values: Record<string, string> } = { errors: {}, values: {} },
    status = 200,
  ) => {
    const overview = await campaignOverview(req.em, req.params.code, todayInVietnam());
    if (!overview) return reply.callNotFound();
    const decision = await decisionOf(req, overview.campaign.id);
    reply.header('Cache-Control', 'private, no-store');
    // A province's units come in pages.
    const unitPages = paging(overview.units.length, councilPageSize, pageNumber(req.query?.units), (n) =>
      paths.council.campaign(overview.campaign.code, { units: n > 1 ? n : undefined }, 'units'),
    );
    return reply.page(
      'council/campaign',
      {
        ...overview,
        units: overview.units.slice(unitPages.from - 1, unitPages.to),
        unitPages,
        // The outstanding items a reader may open: those of the agencies they appraise for.
        appraisesFor: agenciesOf(req.user!.grants),
        onsite: await visitCounts(req.em, overview.campaign.id),
        publishDue: await publicationDue(req.em, overview.campaign.id, todayInVietnam()),
        signedReports: await signedReportsOfCampaign(req.em, overview.campaign.code),
        approval: { ...approval, mayApprove: isChair(req), decision },
      },
      { status, title: `${req.t('council.overview.title')}: ${overview.campaign.name}` },
    );
  };

  // The survey tallies behind the ranking's survey component: per unit the answers online and on paper.
  app.get<{ Params: { code: string } }>('/campaigns/:code/survey', async (req, reply) => {
    const survey = await loadSurvey(req.em, req.params.code);
    const review = await loadReview(req.em, req.params.code, { limit: 0 });
    if (!survey || !review) return reply.callNotFound();
    reply.header('Cache-Control', 'private, no-store');
    const counts = new Map(review.units.map((u) => [u.code, u]));
    return reply.page(
      'council/survey',
      { survey, counts },
      { title: `${req.t('surveyOnline.council.title')}: ${survey.campaign.name}` },
    );
  });

  /**
   * The preliminary ranking, confidential like the overview, in pages of 250 units. A campaign in blocks lists one
   * table per block (ranks and band counts within it), the blocks one after the other; the pages run over that whole
   * list, so a block cut by a page break goes on, under its heading again, on the next page.
   */
  app.get<{ Params: { code: string }; Querystring: Record<string, string> }>(
    '/campaigns/:code/ranking',
    async (req, reply) => {
      const found = await preliminaryRanking(req.em, req.params.code);
      if (!found) return reply.callNotFound();
      const { campaign, ranking } = found;
      reply.header('Cache-Control', 'private, no-store');
      const rows = ranking.ok ? ranking.rows : [];
      const rankingPages = paging(rows.length, councilPageSize, pageNumber(req.query?.page), (n) =>
        paths.council.ranking(campaign.code, { page: n > 1 ? n : undefined }),
      );
      const shown = rows.slice(rankingPages.from - 1, rankingPages.to);
      const blocks = ranking.ok ? ranking.blocks : [];
      // Where each block starts in the whole list (rows come block by block): the page its heading first appears on.
      let start = 0;
      const blockLinks = blocks.map((block, i) => {
        const first = start;
        start += block.units;
        const page = Math.floor(first / councilPageSize) + 1;
        return {
          ...block,
          first,
          anchor: `block-${i + 1}`,
          href: paths.council.ranking(campaign.code, { page: page > 1 ? page : undefined }, `block-${i + 1}`),
        };
      });
      const sections = blocks.length
        ? blockLinks.flatMap((block) => {
            // This block's rows on this page: where its run and the page's run of rows overlap.
            const from = Math.max(block.first, rankingPages.from - 1);
            const to = Math.min(block.first + block.units, rankingPages.to);
            if (from >= to) return [];
            return [{ block, rows: rows.slice(from, to), continued: from > block.first }];
          })
        : [{ block: null, rows: shown, continued: false }];
      return reply.page(
        'council/ranking',
        {
          campaign,
          rankingPages,
          blocks: blockLinks,
          sections,
          ranking: ranking.ok
            ? { ...ranking, rows: shown }
            : { ...ranking, issues: ranking.issues.map((issue) => translateMessage(req.t, issue)) },
          approval: { errors: {}, values: {}, mayApprove: isChair(req), decision: await decisionOf(req, campaign.id) },
          signedReports: await signedReportsOfCampaign(req.em, campaign.code),
        },
        { title: req.t('council.ranking.heading', { name: campaign.name }) },
      );
    },
  );

  /** Appraisal progress per agency then per appraiser, as the secretariat sees it (views/admin/campaigns/progress). */
  app.get<{ Params: { code: string } }>('/campaigns/:code/progress', async (req, reply) => {
    const campaign = await findCampaign(req.em, req.params.code);
    if (!campaign) return reply.callNotFound();
    return progressPage(req, reply, campaign, paths.council.campaign(campaign.code));
  });

  app.get<{ Params: { code: string }; Querystring: Record<string, string> }>('/campaigns/:code', async (req, reply) =>
    overviewPage(req, reply),
  );

  /**
   * The chair approves the council's ranking, recording the decision; the secretariat then publishes it. The first
   * press checks the decision (its date neither in the future nor before appraisal closed) and asks to confirm on a
   * page that states the consequences; only a POST with `confirm=yes` approves.
   */
  app.post<{ Params: { code: string }; Querystring: Record<string, string> }>(
    '/campaigns/:code/approval',
    async (req, reply) => {
      if (!isChair(req)) return reply.callNotFound();
      const form = z
        .object({
          decision: z.string().max(255).default(''),
          decisionDate: z.string().max(20).default(''),
          confirm: z.string().max(10).default(''),
        })
        .safeParse(req.body ?? {});
      const { confirm, ...values } = form.success ? form.data : { decision: '', decisionDate: '', confirm: '' };
      const date = values.decisionDate ? parseCalendarDate(values.decisionDate) : null;
      if (values.decisionDate && !date)
        return overviewPage(req, reply, { errors: { decisionDate: req.t('campaign.date.format') }, values }, 422);
      const today = todayInVietnam();
      const outcome = await approveCampaign(req.em, req.user!.id, req.params.code, values.decision, date, {
        today,
        dryRun: confirm !== 'yes',
      });
      if (!outcome.ok) return overviewPage(req, reply, { errors: translateErrors(req.t, outcome.errors), values }, 422);
      if (confirm !== 'yes') {
        const consequences = await stepConsequences(req.em, req.params.code, 'approval', today);
        if (!consequences) return reply.callNotFound();
        reply.header('Cache-Control', 'private, no-store');
        const label = req.t('approval.approve');
        return reply.page(
          'confirm/step',
          {
            consequences,
            action: paths.council.approval(req.params.code),
            label,
            effect: req.t('confirm.effect.approval'),
            hidden: values,
            details: [
              {
                label: req.t('confirm.decision'),
                value: req.t('confirm.decisionValue', { decision: values.decision.trim(), date: formatDate(date) }),
              },
            ],
            back: paths.council.ranking(req.params.code),
          },
          { title: req.t('confirm.title', { action: label }) },
        );
      }
      return reply.redirect(paths.council.campaign(req.params.code, {}, 'approval'), 303);
    },
  );
}
