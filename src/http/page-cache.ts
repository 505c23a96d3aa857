import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

interface Entry {
  html: Buffer;
  br?: Promise<Buffer>;
  gzip?: Promise<Buffer>;
}

/**
 * Rendered pages kept by a key that names everything they are drawn from (a published page's ETag and address), with
 * their compressed bytes made once: a page that cannot change is not rendered or compressed again per reader.
 * Bounded by total bytes, least recently used first out; each instance keeps its own, and all agree on the bytes.
 */
export class PageCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxBytes: number;
  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Sends the page for `key`, rendering it with `render` on a miss, in the best encoding the reader accepts. */
  async send(req: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<string>): Promise<FastifyReply> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      entry = { html: Buffer.from(await render(), 'utf8') };
      this.add(key, entry);
    }
    reply.type('text/html; charset=utf-8').header('Vary', 'Accept-Encoding, HX-Request, Cookie');
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (entry.html.length >= 1024 && /\bbr\b/.test(accepts)) {
      entry.br ??= brotli(entry.html, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: entry.html.length } });
      return reply.header('Content-Encoding', 'br').send(await entry.br);
    }
    if (entry.html.length >= 1024 && /\bgzip\b/.test(accepts)) {
      entry.gzip ??= gzipped(entry.html, { level: 9 });
      return reply.header('Content-Encoding', 'gzip').send(await entry.gzip);
    }
    return reply.send(entry.html);
  }

  private add(key: string, entry: Entry) {
    // Compressed forms are a fraction of the HTML: counting the HTML three times bounds them too.
    const size = entry.html.length * 3;
    if (size > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.html.length * 3;
    }
  }
}
