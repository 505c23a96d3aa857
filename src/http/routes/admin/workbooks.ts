import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  exportWorkbook,
  importWorkbook,
  workbookTemplate,
  type LimitExceeded,
  type WorkbookIssue,
} from '../../../features/workbook/index.ts';
import type { FieldErrors } from '../../../features/outcome.ts';
import { translateIssues } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { limitMessage, receiveSpreadsheet } from '../../uploads.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendXlsx(reply: FastifyReply, name: string, data: Buffer): FastifyReply {
  // The workbook holds unpublished results: no shared cache may keep it.
  return reply
    .type(xlsxType)
    .header('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .header('Cache-Control', 'no-store')
    .send(data);
}

/** The secretariat's pages for the campaign workbook: upload, download, template. */
export default async function workbooksRoutes(app: FastifyInstance) {
  const importPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    found: { errors?: FieldErrors; issues?: WorkbookIssue[]; warnings?: WorkbookIssue[] } = {},
    status = 200,
  ) =>
    reply.page(
      'admin/workbooks/import',
      { errors: {}, issues: [], warnings: [], maxMb: app.config.WORKBOOK_MAX_MB, ...found },
      { status, title: req.t('workbook.import.title') },
    );

  app.get('/workbooks/import', async (req, reply) => importPage(req, reply));

  app.post('/workbooks/import', { config: { csrfInMultipartBody: true } }, async (req, reply) => {
    const received = await receiveSpreadsheet(req, reply, app.config.workbookMaxBytes);
    if (!received.ok && received.reason === 'missing')
      return importPage(req, reply, { errors: { file: req.t('workbook.import.required') } }, 422);
    // Over a limit: the reading stopped there, nothing was written; the message names the limit.
    const overLimit = (limit: LimitExceeded) =>
      importPage(req, reply, { errors: { file: limitMessage(req.t, req.lang, limit) } }, 413);
    if (!received.ok) return overLimit(received.limit);
    const result = await importWorkbook(req.em, received.data, { actorId: req.user!.id });
    if (!result.ok && result.limit) return overLimit(result.limit);
    if (!result.ok) {
      const errors = { _form: req.t('workbook.import.failed', { count: result.errors.length }) };
      return importPage(
        req,
        reply,
        { errors, issues: translateIssues(req.t, result.errors), warnings: translateIssues(req.t, result.warnings) },
        422,
      );
    }
    return reply.redirect(paths.admin.campaign(result.summary.code), 303);
  });

  app.get('/workbooks/template.xlsx', async (_req, reply) =>
    sendXlsx(reply, 'mau-ky-danh-gia.xlsx', await workbookTemplate()),
  );

  app.get<{ Params: { code: string } }>('/campaigns/:code/workbook.xlsx', async (req, reply) => {
    const data = await exportWorkbook(req.em, req.params.code);
    if (!data) return reply.callNotFound();
    return sendXlsx(reply, `${req.params.code}.xlsx`, data);
  });
}
