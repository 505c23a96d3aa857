import type { FastifyInstance } from 'fastify';
import { setCannotSign, signingMarks } from '../../../features/self-assessment/hands.ts';
import { paths } from '../../paths.ts';

/**
 * Issue 23, seed 003's "trừ các văn bản của đơn vị không có ký số": the secretariat marks the units, and the bodies of a
 * unit, that cannot sign digitally; their evidence then reads "không có ký số (được miễn)" instead of the unsigned flag.
 * One form per unit: its own mark and its bodies'.
 */
export default async function signingRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { saved?: string } }>('/signing', async (req, reply) =>
    reply.page(
      'admin/signing',
      { rows: await signingMarks(req.em), saved: req.query.saved ?? null, errors: {} },
      { title: req.t('hands.signing.title') },
    ),
  );

  app.post('/signing', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const rows = await signingMarks(req.em);
    const row = rows.find((r) => r.unitCode === body.unit);
    if (!row) {
      const errors = { _form: req.t('hands.signing.unknown') };
      return reply.page(
        'admin/signing',
        { rows, saved: null, errors },
        { status: 422, title: req.t('hands.signing.title') },
      );
    }
    const actorId = req.user!.id;
    await setCannotSign(req.em, actorId, { unitCode: row.unitCode }, body.cannot === 'on');
    for (const b of row.bodies) await setCannotSign(req.em, actorId, { bodyId: b.id }, body[`body-${b.id}`] === 'on');
    return reply.redirect(`${paths.admin.signing({ saved: row.unitCode })}#s-${row.unitCode}`, 303);
  });
}
