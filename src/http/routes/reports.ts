// A unit's self-assessment report where it is judged (issue 23, item 2): the same DOCX/XLSX the unit gets, and its
// signed PDF, for the secretariat, the council and the appraisers of the unit's fields. Outside /unit/, with its own
// check (reportReaderContext): whoever may not read it finds nothing. Confidential: every opening is audited and the
// answer is never stored by a cache.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditReportOpening, reportReaderContext, signedReportOf } from '../../features/council/reports.ts';
import {
  buildReportDocx,
  buildReportXlsx,
  loadReport,
  reportFileNames,
} from '../../features/self-assessment/report.ts';
import { contentDisposition, sendStoredFile } from '../downloads.ts';
import { requireArea } from '../plugins/auth.ts';

type P = { code: string; unit: string };

const formats = {
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    build: buildReportDocx,
  },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', build: buildReportXlsx },
} as const;

export default async function reportRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireArea(null));
  const store = app.evidenceStore;

  for (const ext of Object.keys(formats) as (keyof typeof formats)[]) {
    app.get<{ Params: P }>(
      `/:code/:unit/report.${ext}`,
      async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply) => {
        const found = await reportReaderContext(req.em, req.user!, req.params.unit, req.params.code);
        if (!found) return reply.callNotFound();
        const data = await loadReport(req.em, found.ctx);
        const { name, ascii } = reportFileNames(data, ext);
        const body = await formats[ext].build(data);
        await auditReportOpening(req.em, req.user!, found.ctx, found.reader, ext);
        return reply
          .header('Content-Type', formats[ext].mediaType)
          .header('Content-Disposition', contentDisposition('attachment', name, ascii))
          .header('Cache-Control', 'private, no-store')
          .send(body);
      },
    );
  }

  app.get<{ Params: P }>('/:code/:unit/signed.pdf', { compress: false }, async (req, reply) => {
    const found = await reportReaderContext(req.em, req.user!, req.params.unit, req.params.code);
    if (!found) return reply.callNotFound();
    const signed = await signedReportOf(req.em, found.ctx.selfAssessment.id);
    if (!signed || !(await store.has(signed.sha256))) return reply.callNotFound();
    await auditReportOpening(req.em, req.user!, found.ctx, found.reader, 'signed');
    return sendStoredFile(reply, store, signed);
  });
}
