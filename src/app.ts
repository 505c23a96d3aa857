import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import view from '@fastify/view';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ServerOptions } from 'node:http';
import type { Config } from './config.ts';
import { evidenceStoreFor, type ConfiguredEvidenceStore } from './features/evidence/store.ts';
import { registerAssets } from './http/assets.ts';
import { encodeLocation } from './http/forms.ts';
import auth from './http/plugins/auth.ts';
import { limitConcurrentUploads } from './http/uploads.ts';
import { createEta, ensureLocale, registerRendering, viewsDir } from './http/render.ts';
import {
  disallowedCharactersError,
  holdsDisallowed,
  isInvalidInputError,
  requestForLog,
  requestHoldsDisallowed,
  softenBreaks,
} from './http/request-guards.ts';
import { databaseAway, isDatabaseUnavailable } from './http/unavailable.ts';
import adminRoutes from './http/routes/admin/index.ts';
import appraisalRoutes from './http/routes/appraisal.ts';
import authRoutes from './http/routes/auth.ts';
import councilRoutes from './http/routes/council.ts';
import practiceRoutes from './http/routes/practice.ts';
import followupRoutes from './http/routes/followup.ts';
import reportRoutes from './http/routes/reports.ts';
import homeRoutes from './http/routes/home.ts';
import inboxRoutes from './http/routes/inbox.ts';
import publicRoutes from './http/routes/public.ts';
import publishedRoutes from './http/routes/published/index.ts';
import surveyFormRoutes from './http/routes/survey-form.ts';
import unitRoutes from './http/routes/unit/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's own identity map. */
    em: EntityManager;
  }
  interface FastifyInstance {
    orm: MikroORM;
    /** Where the public pages of published campaigns read (a read replica), or null to read with `orm`. */
    publicOrm: MikroORM | null;
    config: Config;
    /** Where evidence bytes live: the local folder, or the S3-compatible bucket when EVIDENCE_S3_BUCKET is set. */
    evidenceStore: ConfiguredEvidenceStore;
    /** Every route as registered, for the authorization matrix test: a new route cannot be forgotten there. */
    routeTable: { method: string; url: string; public: boolean }[];
  }
}

export interface AppOptions {
  config: Config;
  orm: MikroORM;
  /** A read replica for the published pages (PUBLIC_DATABASE_URL); they only read frozen publications. */
  publicOrm?: MikroORM | null;
  logger?: FastifyServerOptions['logger'];
}

/** The whole portal as one Fastify instance; server.ts only listens and closes. */
export async function buildApp({ config, orm, publicOrm = null, logger }: AppOptions): Promise<FastifyInstance> {
  // The request log keeps addresses without their secrets (a `_csrf` an old upload form put in the address, a `next`): redactUrl.
  const logOptions =
    logger === false
      ? false
      : { level: config.LOG_LEVEL, ...(typeof logger === 'object' ? logger : {}), serializers: { req: requestForLog } };
  const app = Fastify({
    logger: logOptions,
    // The client's address is the socket's unless TRUST_PROXY names the proxy whose X-Forwarded-For to believe.
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ...serverTimeouts(config),
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorate('orm', orm);
  app.decorate('publicOrm', publicOrm);
  const routeTable: { method: string; url: string; public: boolean }[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routeTable.push({ method, url: route.url, public: route.config?.public === true });
  });
  app.decorate('config', config);
  const evidenceStore = await evidenceStoreFor(config);
  app.decorate<ConfiguredEvidenceStore>('evidenceStore', evidenceStore);
  app.addHook('onClose', async () => {
    if ('close' in evidenceStore) evidenceStore.close();
  });
  app.decorateRequest('em', null as unknown as EntityManager);
  app.addHook('onRequest', async (req) => {
    req.em = orm.em.fork();
  });

  // External plugins.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    hsts: config.COOKIE_SECURE,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { 1: 5 } },
  });
  await app.register(cookie, { secret: config.SESSION_SECRET });
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: config.evidenceMaxBytes, files: 10, fields: 20 } });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: config.COOKIE_SECURE },
    getUserInfo: (req) => req.sessionId ?? 'anonymous',
    csrfOpts: { hmacKey: config.SESSION_SECRET },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body === 'object' ? body._csrf : undefined;
      if (typeof fromBody === 'string') return fromBody;
      // A multipart body is read only by its handler: upload routes check the token of its first field themselves
      // (csrfInMultipartBody, see src/http/body-token.ts); one in the address is still taken.
      const fromQuery = (req.query as Record<string, unknown> | undefined)?._csrf;
      return typeof fromQuery === 'string' ? fromQuery : (req.headers['x-csrf-token'] as string | undefined);
    },
  });
  await app.register(view, {
    engine: { eta: createEta(config.NODE_ENV === 'production') },
    root: viewsDir,
    production: config.NODE_ENV === 'production',
  });

  // NUL and other control characters are refused before anything reads them (a 400 with the usual page): in the
  // address and headers here, in form fields once the body is parsed (Word's line and page breaks become \n first).
  // Multipart fields are read by their handlers; should one reach the database, the error handler answers 400.
  app.addHook('onRequest', async (req) => {
    if (requestHoldsDisallowed(req)) throw disallowedCharactersError();
  });
  app.addHook('preValidation', async (req) => {
    req.body = softenBreaks(req.body);
    if (holdsDisallowed(req.body)) throw disallowedCharactersError();
  });
  app.addHook('onSend', async (req, reply, payload) => {
    // A Location header carries ASCII only: anything else (a Vietnamese letter in a path) goes percent-encoded.
    const location = reply.getHeader('location');
    if (typeof location === 'string' && /[^\x21-\x7e]/.test(location))
      reply.header('location', encodeLocation(location));
    // What a signed-in person is sent is theirs alone (their name, a CSRF token, their unit's files): no cache keeps it.
    // Neither does one keep a response that sets a cookie (a stale session cleared on the public home page).
    const cacheControl = String(reply.getHeader('cache-control') ?? '');
    if (req.user || (reply.hasHeader('set-cookie') && /public/i.test(cacheControl)))
      reply.header('cache-control', 'private, no-store');
    return payload;
  });

  // The app's own plugins.
  const assets = registerAssets(app);
  await app.register(auth, { orm, secureCookies: config.COOKIE_SECURE });
  registerRendering(app, assets);
  app.addHook('preHandler', async (req, reply) => {
    // A 404 changes nothing, so it needs no token: a POST to an area the person lacks is then a 404 like a GET,
    // not a "form expired" (an area guard answers in onRequest, before the body and its token are read).
    // An evidence upload carries its token in its body, read by the handler (receiveEvidence checks it before using
    // anything it sent): a token in the address would show in the browser's address bar after a refusal.
    const inBody = req.routeOptions.config?.csrfInMultipartBody === true && req.isMultipart();
    if (req.method !== 'GET' && req.method !== 'HEAD' && !req.routeOptions.config?.skipCsrf && !req.is404 && !inBody) {
      await new Promise<void>((resolve, reject) =>
        app.csrfProtection(req, reply, (err?: Error) => (err ? reject(err) : resolve())),
      );
    }
  });
  limitConcurrentUploads(app, config.UPLOADS_PER_USER);

  app.setNotFoundHandler(async (req, reply) =>
    reply.page(
      'errors/error',
      { heading: req.t('errors.notFound.title'), body: req.t('errors.notFound.body') },
      { status: 404, title: req.t('errors.notFound.title') },
    ),
  );
  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    if (isDatabaseUnavailable(error)) return databaseAway(error, req, reply);
    // The database refusing what was sent (a NUL in a multipart field, text where a number goes) is the sender's error.
    const invalidInput = isInvalidInputError(error);
    const status = invalidInput
      ? 400
      : error.statusCode && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ code: error.code, status }, invalidInput ? 'the database refused the input' : error.message);
    const kind = error.code?.startsWith('FST_CSRF')
      ? 'csrf'
      : ['CCHC_DISALLOWED_CHARACTER', '22021', '08P01'].includes(String(error.code))
        ? 'characters'
        : status === 413
          ? 'tooLarge'
          : status === 403
            ? 'forbidden'
            : status === 404
              ? 'notFound'
              : status >= 500
                ? 'server'
                : 'bad';
    ensureLocale(req);
    const heading = req.t(`errors.${kind}.title` as 'errors.bad.title');
    return reply.page(
      'errors/error',
      { heading, body: req.t(`errors.${kind}.body` as 'errors.bad.body') },
      { status: kind === 'csrf' ? 403 : status, title: heading },
    );
  });

  // Routes.
  await app.register(publicRoutes);
  await app.register(publishedRoutes);
  await app.register(surveyFormRoutes);
  await app.register(authRoutes);
  await app.register(homeRoutes);
  await app.register(inboxRoutes);
  await app.register(unitRoutes, { prefix: '/unit' });
  await app.register(appraisalRoutes, { prefix: '/appraisal' });
  await app.register(councilRoutes, { prefix: '/council' });
  await app.register(adminRoutes, { prefix: '/admin' });
  await app.register(practiceRoutes, { prefix: '/practice' });
  await app.register(followupRoutes, { prefix: '/followup' });
  await app.register(reportRoutes, { prefix: '/reports' });
  return app;
}

/**
 * The HTTP server's limits in time: headers, silence on the connection, the whole request; checked every second.
 * Headers and the whole request get a 408, a silent connection is closed.
 */
function serverTimeouts(config: Config): { connectionTimeout: number; requestTimeout: number; http: ServerOptions } {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000;
  return {
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_SECONDS * 1000,
    requestTimeout,
    http: {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeout,
      connectionsCheckingInterval: 1000,
    },
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    skipCsrf?: boolean;
    /** A multipart form whose `_csrf` field comes first in its body: the handler checks it (see receiveEvidence). */
    csrfInMultipartBody?: boolean;
    /** A page the same for everyone (published campaigns, open data): the session is never looked up or written. */
    public?: boolean;
  }
}
