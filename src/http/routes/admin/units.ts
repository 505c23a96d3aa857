import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { FieldErrors, Outcome } from '../../../features/outcome.ts';
import { activeForm, listFilter, statuses, type ListFilter } from '../../../features/records.ts';
import {
  agencyEditForm,
  agencyForm,
  createAgency,
  createUnit,
  findAgency,
  findUnit,
  listAgencies,
  listUnits,
  predecessorCodes,
  setAgencyActive,
  setUnitActive,
  unitChoices,
  unitEditForm,
  unitForm,
  unitKinds,
  updateAgency,
  updateUnit,
} from '../../../features/units-and-agencies.ts';
import { formatDate } from '../../../domain/dates.ts';
import { formValues, parseForm, translateErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import type { MessageKey } from '../../../i18n/catalog.ts';

interface Listed {
  code: string;
  name: string;
  active: boolean;
}

/** What differs between units and agencies; their six pages and posts are otherwise the same. */
interface Register<R extends Listed, C extends z.ZodType, E extends z.ZodType> {
  /** The path below /admin and the views folder below admin/. */
  name: 'units' | 'agencies';
  fields: readonly string[];
  list(em: EntityManager, filter: ListFilter): Promise<unknown[]>;
  find(em: EntityManager, code: string): Promise<R | null>;
  /** The form's values for a stored record. */
  valuesOf(em: EntityManager, record: R): Promise<Record<string, string>>;
  /** Whatever else the form shows (choices), for a new record or an existing one. */
  formData(em: EntityManager, record: R | null): Promise<Record<string, unknown>>;
  createForm: C;
  create(em: EntityManager, actorId: number, input: z.infer<C>): Promise<Outcome<R>>;
  editForm: E;
  update(em: EntityManager, actorId: number, code: string, input: z.infer<E>): Promise<Outcome<R> | null>;
  setActive(em: EntityManager, actorId: number, code: string, active: boolean): Promise<Outcome<R> | null>;
}

const notices = ['created', 'updated', 'deactivated', 'reactivated'] as const;
type Notice = (typeof notices)[number];

/** Registers list, new, create, edit, update and (de)activation for one register. */
function registerRoutes<R extends Listed, C extends z.ZodType, E extends z.ZodType>(
  app: FastifyInstance,
  r: Register<R, C, E>,
) {
  const base = paths.admin.register(r.name);
  const key = (k: string) => `people.${r.name}.${k}` as MessageKey;

  const form = async (
    req: FastifyRequest,
    reply: FastifyReply,
    record: R | null,
    values: Record<string, string>,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const title = record ? req.t(key('edit'), { name: record.name }) : req.t(key('new'));
    const extra = await r.formData(req.em, record);
    return reply.page(
      `admin/${r.name}/form`,
      { ...extra, record, values, errors: translateErrors(req.t, errors), base, register: r.name },
      { status, title },
    );
  };
  // The notice travels in the address (stateless); the name is looked up so that the address carries no text.
  const done = (reply: FastifyReply, notice: Notice, code: string) =>
    reply.redirect(paths.admin.register(r.name, { done: notice, code }), 303);

  app.get<{ Querystring: { done?: string; code?: string } }>(`/${r.name}`, async (req, reply) => {
    const filter = listFilter(req.query);
    const rows = await r.list(req.em, filter);
    const notice = notices.find((n) => n === req.query.done);
    const named = notice && req.query.code ? await r.find(req.em, req.query.code) : null;
    const banner = notice && named ? req.t(`people.done.${notice}`, { name: named.name }) : null;
    return reply.page(
      `admin/${r.name}/index`,
      { rows, filter, statuses, banner, base },
      { title: req.t(key('title')) },
    );
  });

  app.get(`/${r.name}/new`, async (req, reply) => form(req, reply, null, formValues({}, r.fields)));

  app.post(`/${r.name}`, async (req, reply) => {
    const parsed = parseForm(r.createForm, req.body);
    const result = parsed.ok ? await r.create(req.em, req.user!.id, parsed.data) : parsed;
    if (!result.ok) return form(req, reply, null, formValues(req.body, r.fields), result.errors, 422);
    return done(reply, 'created', result.value.code);
  });

  app.get<{ Params: { code: string } }>(`/${r.name}/:code/edit`, async (req, reply) => {
    const record = await r.find(req.em, req.params.code);
    if (!record) return reply.callNotFound();
    return form(req, reply, record, await r.valuesOf(req.em, record));
  });

  app.post<{ Params: { code: string } }>(`/${r.name}/:code`, async (req, reply) => {
    const record = await r.find(req.em, req.params.code);
    if (!record) return reply.callNotFound();
    const parsed = parseForm(r.editForm, req.body);
    const result = parsed.ok ? await r.update(req.em, req.user!.id, record.code, parsed.data) : parsed;
    if (!result) return reply.callNotFound();
    if (!result.ok)
      return form(req, reply, record, { ...formValues(req.body, r.fields), code: record.code }, result.errors, 422);
    return done(reply, 'updated', record.code);
  });

  app.post<{ Params: { code: string } }>(`/${r.name}/:code/active`, async (req, reply) => {
    const record = await r.find(req.em, req.params.code);
    if (!record) return reply.callNotFound();
    const parsed = parseForm(activeForm, req.body);
    const result = parsed.ok
      ? await r.setActive(req.em, req.user!.id, record.code, parsed.data.active === 'true')
      : parsed;
    if (!result) return reply.callNotFound();
    if (!result.ok) return form(req, reply, record, await r.valuesOf(req.em, record), result.errors, 422);
    return done(reply, result.value.active ? 'reactivated' : 'deactivated', record.code);
  });
}

/** The secretariat's pages for units and agencies: /admin/units, /admin/agencies. */
export default async function unitsRoutes(app: FastifyInstance) {
  registerRoutes(app, {
    name: 'units',
    fields: ['code', 'name', 'kind', 'parent', 'officialCode', 'existsFrom', 'existsUntil', 'predecessors'],
    list: listUnits,
    find: findUnit,
    valuesOf: async (em, u) => ({
      code: u.code,
      name: u.name,
      kind: u.kind,
      parent: u.parent?.code ?? '',
      officialCode: u.officialCode ?? '',
      existsFrom: formatDate(u.existsFrom),
      existsUntil: formatDate(u.existsUntil),
      predecessors: (await predecessorCodes(em, u.id)).join('; '),
    }),
    formData: async (em, u) => ({
      parents: await unitChoices(em, { activeOnly: false, outside: u?.code }),
      kinds: await unitKinds(em),
    }),
    createForm: unitForm,
    create: createUnit,
    editForm: unitEditForm,
    update: updateUnit,
    setActive: setUnitActive,
  });

  registerRoutes(app, {
    name: 'agencies',
    fields: ['code', 'name'],
    list: listAgencies,
    find: findAgency,
    valuesOf: async (_em, a) => ({ code: a.code, name: a.name }),
    formData: async () => ({}),
    createForm: agencyForm,
    create: createAgency,
    editForm: agencyEditForm,
    update: updateAgency,
    setActive: setAgencyActive,
  });
}
