// A small HTTP client for the benchmark, over node:http with keep-alive: it counts the bytes as they travel
// (compressed body, response headers), decodes brotli/gzip only when the caller needs the text, and keeps cookies
// like a browser (the same approach as test/helpers/app.ts's Browser, over a real socket).
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Status line and headers as sent, in bytes. */
  headerBytes: number;
  /** Body bytes as transferred (compressed when the server compressed it). */
  bodyBytes: number;
  /** The body as transferred. */
  raw: Buffer;
  /** The decoded body (empty when `decode: false`). */
  body: Buffer;
  /** Client-side time from sending to the last byte. */
  ms: number;
  text(): string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string;
  /** Decode the body (default true); load loops that only count bytes skip it. */
  decode?: boolean;
  timeoutMs?: number;
}

export class Client {
  readonly base: URL;
  readonly agent: http.Agent;
  constructor(baseUrl: string, maxSockets = 16) {
    this.base = new URL(baseUrl);
    if (this.base.hostname !== '127.0.0.1' && this.base.hostname !== 'localhost')
      throw new Error(`loopback only: ${baseUrl}`);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            let headerBytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              headerBytes += Buffer.byteLength(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`);
            const encoding = res.headers['content-encoding'];
            let body = Buffer.alloc(0);
            if (opts.decode !== false) {
              body = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              headerBytes,
              bodyBytes: raw.length,
              raw,
              body,
              ms: performance.now() - started,
              text: () => body.toString('utf8'),
            });
          });
        },
      );
      req.setTimeout(opts.timeoutMs ?? 60_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      req.on('error', reject);
      if (opts.body !== undefined) req.write(opts.body);
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** A signed-in (or anonymous) person: a cookie jar over a client; every request asks for brotli like a browser. */
export class Session {
  cookies = new Map<string, string>();
  readonly client: Client;
  constructor(client: Client, cookies?: [string, string][]) {
    this.client = client;
    if (cookies) this.cookies = new Map(cookies);
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    opts: { form?: Record<string, string>; headers?: Record<string, string>; decode?: boolean } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { 'accept-encoding': 'br, gzip', accept: 'text/html', ...opts.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    let body: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    }
    const res = await this.client.request(method, path, { headers, body, decode: opts.decode });
    const setCookie = res.headers['set-cookie'] ?? [];
    for (const line of setCookie) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const attr = attrs.map((a) => a.trim().toLowerCase());
      const expired =
        value === '' ||
        attr.includes('max-age=0') ||
        attr.some((a) => a.startsWith('expires=') && Date.parse(a.slice(8)) < Date.now());
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  post(path: string, form: Record<string, string>, headers?: Record<string, string>) {
    return this.request('POST', path, { form, headers });
  }

  /** GET the sign-in form for its CSRF token, then POST it: a real session, as a browser gets one. */
  async signIn(username: string, password: string): Promise<void> {
    const page = await this.get('/sign-in');
    const res = await this.post('/sign-in', { _csrf: csrfToken(page.text()), username, password });
    if (res.status !== 303) throw new Error(`sign-in as ${username} failed: HTTP ${res.status}`);
  }
}

export function csrfToken(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

export function hiddenValue(html: string, name: string): string | null {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return m ? m[1]! : null;
}

/** Stylesheets, scripts and icons a page refers to (what a browser fetches on a cold load). */
export function assetsOf(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<link\b[^>]*\brel="(?:stylesheet|icon)"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0]);
    if (href) found.add(href[1]!);
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  return [...found].filter((u) => u.startsWith('/'));
}
