import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);

/** A page's address: the language it is written in and the URL. */
const addressOf = (req: FastifyRequest) => `${req.lang} ${req.url}`;
const header = (reply: FastifyReply, name: string) => {
  const value = reply.getHeader(name);
  return value === undefined ? undefined : String(value);
};
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
  /**
   * The key last sent for each address (language and URL) and its caching headers: while the database is away, what
   * a reader last got at an address is all the cache can still answer there (`sendKept`).
   */
  private addresses = new Map<string, { key: string; etag: string | undefined; cacheControl: string | undefined }>();
  private bytes = 0;
  private readonly maxBytes: number;
  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Sends the page for `key`, rendering it with `render` on a miss, in the best encoding the reader accepts. */
  async send(
    req: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: () => Promise<string>,
  ): Promise<FastifyReply> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      entry = { html: Buffer.from(await render(), 'utf8') };
      this.add(key, entry);
    }
    this.addresses.delete(addressOf(req));
    this.addresses.set(addressOf(req), {
      key,
      etag: header(reply, 'etag'),
      cacheControl: header(reply, 'cache-control'),
    });
    return this.sendEntry(req, reply, entry);
  }

  /**
   * Without the database: sends the page last rendered for this address (304 when the reader has it), as it was sent,
   * and says true; false when none is kept (the caller answers as it would have).
   */
  async sendKept(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const kept = this.addresses.get(addressOf(req));
    const entry = kept && this.entries.get(kept.key);
    if (!kept || !entry) return false;
    if (kept.cacheControl) reply.header('Cache-Control', kept.cacheControl);
    if (kept.etag) {
      reply.header('ETag', kept.etag);
      const tags = String(req.headers['if-none-match'] ?? '')
        .split(',')
        .map((t) => t.trim().replace(/^W\//, ''));
      if (tags.includes(kept.etag.replace(/^W\//, ''))) {
        await reply.code(304).header('Vary', 'Accept-Encoding, HX-Request, Cookie').send();
        return true;
      }
    }
    await this.sendEntry(req, reply.code(200), entry);
    return true;
  }

  private async sendEntry(req: FastifyRequest, reply: FastifyReply, entry: Entry): Promise<FastifyReply> {
    reply.type('text/html; charset=utf-8').header('Vary', 'Accept-Encoding, HX-Request, Cookie');
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (entry.html.length >= 1024 && /\bbr\b/.test(accepts)) {
      entry.br ??= brotli(entry.html, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: entry.html.length },
      });
      return reply.header('Content-Encoding', 'br').send(await entry.br);
    }
    if (entry.html.length >= 1024 && /\bgzip\b/.test(accepts)) {
      entry.gzip ??= gzipped(entry.html, { level: 9 });
      return reply.header('Content-Encoding', 'gzip').send(await entry.gzip);
    }
    return reply.send(entry.html);
  }

  private add(key: string, entry: Entry) {
    // Addresses whose page has left the cache are forgotten with it: the map stays as small as the cache.
    if (this.addresses.size > 4 * this.entries.size + 1000) {
      for (const [address, kept] of this.addresses) if (!this.entries.has(kept.key)) this.addresses.delete(address);
    }
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
