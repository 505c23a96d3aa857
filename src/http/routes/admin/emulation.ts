// The emulation view: the secretariat writes the proposal that follows each band, and reads (or downloads as XLSX)
// every unit's band with its proposal, from the campaign's newest publication (src/features/emulation.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { foldDiacritics } from '../../../domain/text.ts';
import { emulationView, emulationXlsx, setEmulationRules } from '../../../features/emulation.ts';
import { contentDisposition } from '../../downloads.ts';
import { translateErrors, type FieldErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';

type P = { code: string };
type Q = { saved?: string };

export default async function emulationRoutes(app: FastifyInstance) {
  const page = async (
    req: FastifyRequest<{ Params: P; Querystring: Q }>,
    reply: FastifyReply,
    values: Record<string, unknown> | null = null,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const view = await emulationView(req.em, req.params.code);
    if (!view) return reply.callNotFound();
    const blocks = [...new Set(view.rows.map((r) => r.block))];
    return reply.page(
      'admin/campaigns/emulation',
      {
        view,
        blocks: blocks.map((block) => ({ name: block, rows: view.rows.filter((r) => r.block === block) })),
        values: values ?? Object.fromEntries(view.rules.map((r, i) => [`proposal${i}`, r.proposal])),
        errors: translateErrors(req.t, errors),
        saved: req.query.saved === '1',
      },
      { status, title: req.t('emulation.title') },
    );
  };

  app.get<{ Params: P; Querystring: Q }>('/campaigns/:code/emulation', (req, reply) => page(req, reply));

  app.post<{ Params: P; Querystring: Q }>('/campaigns/:code/emulation', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const view = await emulationView(req.em, req.params.code);
    if (!view) return reply.callNotFound();
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 5000) : '');
    const proposals = Object.fromEntries(view.rules.map((r, i) => [r.band, text(body[`proposal${i}`])]));
    const outcome = await setEmulationRules(req.em, req.user!.id, req.params.code, proposals);
    if (!outcome.ok) {
      if (outcome.kind === 'unknown') return reply.callNotFound();
      return page(req, reply, body, outcome.errors, 422);
    }
    return reply.redirect(paths.admin.emulation(req.params.code, { saved: 1 }), 303);
  });

  app.get<{ Params: P }>('/campaigns/:code/emulation.xlsx', async (req, reply) => {
    const view = await emulationView(req.em, req.params.code);
    if (!view) return reply.callNotFound();
    if (view.version === null) return reply.redirect(paths.admin.emulation(req.params.code), 303);
    const t = req.t;
    const data = await emulationXlsx(view, {
      sheet: t('emulation.sheet'),
      block: t('emulation.col.block'),
      rank: t('emulation.col.rank'),
      unit: t('emulation.col.unit'),
      index: t('emulation.col.index'),
      band: t('emulation.col.band'),
      proposal: t('emulation.col.proposal'),
    });
    const name = `${t('emulation.title')} - ${view.campaign.name}.xlsx`;
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header(
        'content-disposition',
        contentDisposition('attachment', name, foldDiacritics(`thi-dua-${view.campaign.code}.xlsx`)),
      )
      .send(data);
  });
}
