import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  addTrustAnchors,
  listTrustAnchors,
  removeTrustAnchor,
  uncheckedCount,
  verifyUnchecked,
} from '../../../features/evidence/verification.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import { translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { receiveSpreadsheet } from '../../uploads.ts';

/** A certificate file is small: a root with its PEM armour is a few KB. */
const maxBytes = 1024 * 1024;

const noticeSchema = z.object({
  added: z.coerce.number().int().min(0).max(1000).optional().catch(undefined),
  removed: z.coerce.number().int().min(1).max(1).optional().catch(undefined),
  verified: z.coerce.number().int().min(0).max(1000).optional().catch(undefined),
});

/** The secretariat's trust anchors (issue 19): the certificates signatures must chain to; none by default. */
export default async function trustAnchorRoutes(app: FastifyInstance) {
  const page = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, status = 200) => {
    const q = noticeSchema.parse(req.query ?? {});
    const notice =
      q.verified !== undefined
        ? req.t('signatures.anchors.verifiedCount', { n: q.verified })
        : q.added === undefined
          ? q.removed
            ? req.t('signatures.anchors.removed')
            : null
          : q.added
            ? req.t('signatures.anchors.addedCount', { n: q.added })
            : req.t('signatures.anchors.nothingNew');
    return reply.page(
      'admin/trust-anchors',
      {
        anchors: await listTrustAnchors(req.em),
        unchecked: await uncheckedCount(req.em),
        errors,
        notice: status === 200 ? notice : null,
        now: new Date(),
      },
      { status, title: req.t('signatures.anchors.title') },
    );
  };

  app.get('/trust-anchors', async (req, reply) => page(req, reply));

  app.post('/trust-anchors', { config: { csrfInMultipartBody: true } }, async (req, reply) => {
    const received = await receiveSpreadsheet(req, reply, maxBytes);
    if (!received.ok && received.reason === 'missing')
      return page(req, reply, { file: req.t('signatures.anchors.error.empty') }, 422);
    if (!received.ok) return page(req, reply, { file: req.t('signatures.anchors.error.tooLarge') }, 413);
    const outcome = await addTrustAnchors(req.em, received.data, req.user!.id);
    if (!outcome.ok) return page(req, reply, translateErrors(req.t, outcome.errors), 422);
    return reply.redirect(paths.admin.trustAnchors({ added: outcome.value.added }), 303);
  });

  /** Verifies signed PDFs never verified (those stored before verification existed), a batch per click. */
  app.post('/trust-anchors/verification', async (req, reply) => {
    const { done } = await verifyUnchecked(req.em, app.evidenceStore, req.user!.id);
    return reply.redirect(paths.admin.trustAnchors({ verified: done }), 303);
  });

  app.post<{ Params: { id: string } }>('/trust-anchors/:id/removal', async (req, reply) => {
    if (!/^\d{1,9}$/.test(req.params.id)) return reply.callNotFound();
    if (!(await removeTrustAnchor(req.em, Number(req.params.id), req.user!.id))) return reply.callNotFound();
    return reply.redirect(paths.admin.trustAnchors({ removed: 1 }), 303);
  });
}
