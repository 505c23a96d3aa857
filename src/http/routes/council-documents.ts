// The council's documents made from a frozen publication (src/features/documents/): the page that lists them for a
// version, the decision's appendix (DOCX, XLSX), the results report (DOCX), each unit's appraisal minutes (DOCX) and
// all the minutes as one ZIP, streamed one unit at a time. The secretariat and the chair (the council area's guard).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findCampaign } from '../../features/campaigns.ts';
import { buildAppendixDocx, buildAppendixXlsx } from '../../features/documents/appendix.ts';
import { buildMinutesDocx, unitMinutes } from '../../features/documents/minutes.ts';
import { buildResultsReportDocx, loadReportFacts } from '../../features/documents/results-report.ts';
import { documentSource, fileNames, type DocumentSource } from '../../features/documents/source.ts';
import { zipStream } from '../../features/documents/zip.ts';
import { publicationVersions } from '../../features/publication/stored.ts';
import { contentDisposition } from '../downloads.ts';
import { paging } from '../paging.ts';
import { paths } from '../paths.ts';

const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Units per page of the documents page's table. */
const unitsPerPage = 250;
const positive = (v: unknown) => (typeof v === 'string' && /^[1-9]\d{0,5}$/.test(v) ? Number(v) : undefined);

type P = { code: string };
type VP = P & { version: string };
/** The documents of a whole campaign, by their address's last segment. */
const documentFiles = ['appendix.docx', 'appendix.xlsx', 'report.docx', 'minutes.zip'] as const;
type DocumentFile = (typeof documentFiles)[number];

export default async function councilDocumentsRoutes(app: FastifyInstance) {
  app.get<{ Params: P; Querystring: Record<string, string> }>('/campaigns/:code/documents', async (req, reply) => {
    const campaign = await findCampaign(req.em, req.params.code);
    if (!campaign) return reply.callNotFound();
    const asked = positive(req.query.v);
    const source = await documentSource(req.em, campaign.code, asked);
    if (asked !== undefined && !source) return reply.redirect(paths.council.documents(campaign.code), 303);
    const versions = source ? await publicationVersions(req.em, source.pub.campaignId) : [];
    const units = source?.doc.units ?? [];
    const version = source?.pub.version;
    const v = source && source.pub.version !== source.pub.latestVersion ? version : undefined;
    const unitPages = paging(units.length, unitsPerPage, positive(req.query.page) ?? 1, (n) =>
      paths.council.documents(campaign.code, { v, page: n > 1 ? n : undefined }, 'units'),
    );
    return reply.page(
      'council/documents',
      {
        campaign,
        source,
        versions,
        units: units.slice(unitPages.from - 1, unitPages.to),
        unitPages,
        blocks: units.some((u) => u.block !== null),
      },
      { title: `${req.t('docs.title')}: ${campaign.name}` },
    );
  });

  /** The publication of a download's address; a campaign without that version goes back to its documents page. */
  const sourceOf = async (req: FastifyRequest<{ Params: VP }>, reply: FastifyReply): Promise<DocumentSource | null> => {
    const version = positive(req.params.version);
    const source = version === undefined ? null : await documentSource(req.em, req.params.code, version);
    if (source) return source;
    const campaign = await findCampaign(req.em, req.params.code);
    if (campaign && version !== undefined) await reply.redirect(paths.council.documents(campaign.code), 303);
    else await reply.callNotFound();
    return null;
  };
  const attach = (reply: FastifyReply, type: string, names: { name: string; ascii: string }) =>
    reply
      .header('content-type', type)
      .header('content-disposition', contentDisposition('attachment', names.name, names.ascii));

  const download = async (req: FastifyRequest<{ Params: VP }>, reply: FastifyReply, file: DocumentFile) => {
    const s = await sourceOf(req, reply);
    if (!s) return reply;
    switch (file) {
      case 'appendix.docx':
        return attach(reply, docxType, fileNames('Phụ lục kết quả Chỉ số CCHC', s, 'docx')).send(
          await buildAppendixDocx(s),
        );
      case 'appendix.xlsx':
        return attach(reply, xlsxType, fileNames('Phụ lục kết quả Chỉ số CCHC', s, 'xlsx')).send(
          await buildAppendixXlsx(s),
        );
      case 'report.docx': {
        const facts = await loadReportFacts(req.em, s);
        return attach(reply, docxType, fileNames('Báo cáo kết quả Chỉ số CCHC', s, 'docx')).send(
          await buildResultsReportDocx(s, facts),
        );
      }
      default: {
        // One unit at a time: the minutes of a nation are never all in memory.
        const em = req.em;
        async function* entries() {
          for await (const m of unitMinutes(em, s!))
            yield { name: `${m.code} - Biên bản thẩm định - ${m.name}.docx`, data: await buildMinutesDocx(s!, m) };
        }
        return attach(reply, 'application/zip', fileNames('Biên bản thẩm định', s, 'zip')).send(
          Readable.from(zipStream(entries(), new Date(s.pub.publishedAt))),
        );
      }
    }
  };
  for (const file of documentFiles)
    app.get<{ Params: VP }>(`/campaigns/:code/documents/:version/${file}`, (req, reply) => download(req, reply, file));

  app.get<{ Params: VP & { unit: string } }>(
    '/campaigns/:code/documents/:version/units/:unit/minutes.docx',
    async (req, reply) => {
      const s = await sourceOf(req, reply);
      if (!s) return reply;
      const unit = s.doc.units.find((u) => u.code === req.params.unit);
      if (!unit) return reply.callNotFound();
      for await (const m of unitMinutes(req.em, s, [unit.code]))
        return attach(reply, docxType, fileNames('Biên bản thẩm định', s, 'docx', m.name)).send(
          await buildMinutesDocx(s, m),
        );
      return reply.callNotFound();
    },
  );
}
