// Open data (docs/open-data.md): the stored bytes, as they were hashed, at stable addresses.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  findPublication,
  mediaTypes,
  publicationFile,
  type OpenDataFormat,
  type StoredPublication,
} from '../../../features/publication/stored.ts';
import { cacheable, pageCache, publicationFor, publicRoute, versionedFileCache } from './common.ts';

export default async function openData(app: FastifyInstance) {
  const sendFile = async (
    req: FastifyRequest,
    reply: FastifyReply,
    pub: StoredPublication | null,
    format: string,
    versioned: boolean,
  ) => {
    if (!pub || !(format === 'json' || format === 'csv' || format === 'xlsx')) return reply.callNotFound();
    const f = format as OpenDataFormat;
    const sha = f === 'json' ? pub.sha256 : f === 'csv' ? pub.csvSha256 : pub.xlsxSha256;
    reply.header('Content-Disposition', `attachment; filename="${pub.campaignCode}-v${pub.version}-results.${f}"`);
    if (cacheable(req, reply, `"${sha}"`, versioned ? versionedFileCache : pageCache, false)) return reply;
    return reply.type(mediaTypes[f]).send(await publicationFile(req.em, pub.id, f));
  };
  app.get<{ Params: { code: string; format: string } }>(
    '/open-data/:code/results.:format',
    publicRoute,
    async (req, reply) =>
      sendFile(req, reply, await findPublication(req.em, req.params.code), req.params.format, false),
  );
  app.get<{ Params: { code: string; version: string; format: string } }>(
    '/open-data/:code/v/:version/results.:format',
    publicRoute,
    async (req, reply) =>
      sendFile(req, reply, await publicationFor(req.em, req.params.code, req.params.version), req.params.format, true),
  );
}
