import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

interface Asset {
  body: Buffer;
  br: Buffer;
  gzip: Buffer;
  type: string;
  etag: string;
}

const publicDir = path.resolve(import.meta.dirname, '../../public');
const require = createRequire(import.meta.url);

/** Files served under /assets, by logical name: a content hash goes into the served name. */
const sources: Record<string, { file: string; type: string }> = {
  'app.css': { file: path.join(publicDir, 'app.css'), type: 'text/css; charset=utf-8' },
  'htmx.js': { file: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'survey.css': { file: path.join(publicDir, 'survey.css'), type: 'text/css; charset=utf-8' },
  'favicon.svg': { file: path.join(publicDir, 'favicon.svg'), type: 'image/svg+xml' },
  'upload.js': { file: path.join(publicDir, 'upload.js'), type: 'text/javascript; charset=utf-8' },
  'evidence-panel.js': { file: path.join(publicDir, 'evidence-panel.js'), type: 'text/javascript; charset=utf-8' },
  'forms.js': { file: path.join(publicDir, 'forms.js'), type: 'text/javascript; charset=utf-8' },
  // tus-js-client's browser build, for resumable evidence uploads (evidence-resumable.js).
  'tus.js': { file: require.resolve('tus-js-client/dist/tus.min.js'), type: 'text/javascript; charset=utf-8' },
  'evidence-resumable.js': {
    file: path.join(publicDir, 'evidence-resumable.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

export interface AssetTable {
  /** The hashed address of a logical asset name, for templates: `/assets/app.1a2b3c4d.css`. */
  url(name: string): string;
}

/**
 * Reads, hashes and compresses every static file once at start-up, then serves them from memory with
 * `immutable` caching: the address changes whenever the content does.
 */
export function registerAssets(app: FastifyInstance): AssetTable {
  const byServedName = new Map<string, Asset>();
  const urls = new Map<string, string>();
  for (const [name, { file, type }] of Object.entries(sources)) {
    const body = readFileSync(file);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const ext = path.extname(name);
    const served = `${name.slice(0, -ext.length)}.${hash}${ext}`;
    byServedName.set(served, {
      body,
      br: brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }),
      gzip: gzipSync(body, { level: 9 }),
      type,
      etag: `"${hash}"`,
    });
    urls.set(name, `/assets/${served}`);
  }

  app.get<{ Params: { name: string } }>('/assets/:name', { compress: false }, async (req, reply) => {
    const asset = byServedName.get(req.params.name);
    if (!asset) return reply.callNotFound();
    reply
      .header('Content-Type', asset.type)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('ETag', asset.etag)
      .header('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (/\bbr\b/.test(accepts)) return reply.header('Content-Encoding', 'br').send(asset.br);
    if (/\bgzip\b/.test(accepts)) return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });

  return {
    url(name) {
      const url = urls.get(name);
      if (!url) throw new Error(`Unknown asset ${name}`);
      return url;
    },
  };
}
