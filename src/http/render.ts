import path from 'node:path';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../domain/language.ts';
import type { AssetTable } from './assets.ts';
import { formatDate, formatDateTime } from '../domain/dates.ts';
import { formatScore } from '../domain/decimal.ts';
import { blockName } from '../domain/text.ts';
import { evidenceFlags } from '../features/evidence/flags.ts';
import { translator, type Translate } from '../i18n/catalog.ts';
import { paths } from './paths.ts';

export const viewsDir = path.resolve(import.meta.dirname, '../../views');

export function createEta(production: boolean): Eta {
  return new Eta({ views: viewsDir, cache: production, autoEscape: true, autoTrim: [false, 'nl'] });
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language;
    t: Translate;
  }
  interface FastifyReply {
    /** The HTML of a page in the layout, or of its fragment for an htmx request that targets it. */
    renderPage(
      view: string,
      data?: Record<string, unknown>,
      opts?: { title?: string; fragment?: string },
    ): Promise<string>;
    /** Renders a page in the layout, or only its fragment for an htmx request that targets it. */
    page(
      view: string,
      data?: Record<string, unknown>,
      opts?: { status?: number; title?: string; fragment?: string },
    ): Promise<FastifyReply>;
  }
}

export const langCookie = 'cchc_lang';

export function languageOf(req: FastifyRequest): Language {
  const chosen = req.cookies[langCookie];
  if (chosen === 'vi' || chosen === 'en') return chosen;
  return req.user?.language ?? 'vi';
}

/** True when htmx asked for a swap of exactly this fragment (its root element carries the id). */
export function wantsFragment(req: FastifyRequest, id: string): boolean {
  return req.headers['hx-request'] === 'true' && String(req.headers['hx-target'] ?? '').endsWith(`#${id}`);
}

/** Sets the request's language once; also usable from an error raised before the usual hook ran. */
export function ensureLocale(req: FastifyRequest): Translate {
  if (!req.t) {
    req.lang = languageOf(req);
    req.t = translator(req.lang);
  }
  return req.t;
}

/**
 * Whether the page shows a practice campaign (Tập huấn), so that the layout carries its band: the campaign a page
 * names (`campaign`), a unit page's (`ctx.campaign`) or an appraisal item's (`item.campaign`).
 */
function practiceInView(data: Record<string, unknown>): boolean {
  const practiceOf = (v: unknown) =>
    typeof v === 'object' && v !== null && (v as { practice?: unknown }).practice === true;
  const inner = (key: string) => {
    const v = data[key];
    return typeof v === 'object' && v !== null ? (v as { campaign?: unknown }).campaign : undefined;
  };
  return data.practice === true || practiceOf(data.campaign) || practiceOf(inner('ctx')) || practiceOf(inner('item'));
}

export function registerRendering(app: FastifyInstance, assets: AssetTable) {
  app.decorateRequest('lang', 'vi');
  app.decorateRequest('t', null as unknown as Translate);
  app.addHook('onRequest', async (req) => {
    ensureLocale(req);
  });

  /** The page's HTML in the layout (or only its fragment for an htmx request that targets it), not yet sent. */
  app.decorateReply(
    'renderPage',
    async function (
      this: FastifyReply,
      view: string,
      data: Record<string, unknown> = {},
      opts: { title?: string; fragment?: string } = {},
    ) {
      const req = this.request;
      ensureLocale(req);
      const partial = opts.fragment ? wantsFragment(req, opts.fragment) : false;
      // One token per page: before the secret cookie exists, each call would mint a new secret and void the others.
      let csrfToken: string | undefined;
      return app.view(view, {
        ...data,
        practice: practiceInView(data),
        partial,
        title: opts.title ?? '',
        t: req.t,
        lang: req.lang,
        user: req.user,
        path: req.url,
        paths,
        asset: (name: string) => assets.url(name),
        csrf: () => (csrfToken ??= this.generateCsrf({ userInfo: req.sessionId ?? 'anonymous' })),
        date: formatDate,
        dateTime: formatDateTime,
        score: (v: string | number | null | undefined) => formatScore(v, req.lang),
        blockName,
        evidenceFlags: (f: Parameters<typeof evidenceFlags>[0]) => evidenceFlags(f, req.t),
      });
    },
  );

  app.decorateReply(
    'page',
    async function (
      this: FastifyReply,
      view: string,
      data: Record<string, unknown> = {},
      opts: { status?: number; title?: string; fragment?: string } = {},
    ) {
      const html = await this.renderPage(view, data, opts);
      const status = opts.status ?? this.statusCode;
      // A boosted form refused (4xx): the address stays the form's page, not the address the form posted to. (A boosted
      // link to a missing page still shows its own address.)
      const req = this.request;
      if (status >= 400 && req.method === 'POST' && req.headers['hx-boosted'] === 'true')
        this.header('HX-Push-Url', 'false');
      return this.code(status).header('Vary', 'HX-Request, Cookie').type('text/html; charset=utf-8').send(html);
    },
  );
}
