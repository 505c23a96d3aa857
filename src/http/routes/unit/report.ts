import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentDisposition } from '../../downloads.ts';
import { unitContext } from '../../../features/self-assessment/unit-access.ts';
import {
  buildReportDocx,
  buildReportXlsx,
  loadReport,
  reportFileNames,
  type ReportData,
} from '../../../features/self-assessment/report.ts';

type P = { unit: string; code: string };

const formats = {
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    build: buildReportDocx,
  },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', build: buildReportXlsx },
} satisfies Record<string, { mediaType: string; build: (d: ReportData) => Promise<Buffer> }>;

/**
 * The self-assessment report (Báo cáo tự đánh giá) as DOCX and XLSX. Registered inside the unit area (prefix `/unit`,
 * its guard applied); found through unitContext, so another unit's report is not found, and a contributor's report
 * holds only the criteria assigned to them (loadTree's restriction).
 */
export default async function unitReportRoutes(app: FastifyInstance) {
  for (const ext of Object.keys(formats) as (keyof typeof formats)[]) {
    app.get<{ Params: P }>(
      `/:unit/campaigns/:code/report.${ext}`,
      async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply) => {
        const ctx = await unitContext(req.em, req.user!, req.params.unit, req.params.code);
        if (!ctx) return reply.callNotFound();
        const data = await loadReport(req.em, ctx);
        const { name, ascii } = reportFileNames(data, ext);
        const body = await formats[ext].build(data);
        return reply
          .header('Content-Type', formats[ext].mediaType)
          .header('Content-Disposition', contentDisposition('attachment', name, ascii))
          .header('Cache-Control', 'private, no-store')
          .send(body);
      },
    );
  }
}
