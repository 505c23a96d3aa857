import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * The application's own database role.
 *
 * Migrations, the demo seed and the command line run as the database owner; the web app runs as a role that owns
 * nothing: it reads and writes the working tables, but may only read and add to the append-only ones. It cannot
 * change or delete an audit event or a publication, truncate them, or switch their guard triggers off (that needs
 * ownership), so a bug or an injected statement in the app cannot rewrite history.
 */
export const appendOnlyTables = ['audit_event', 'publication', 'published_result'] as const;

/** Tables the app never touches: the migrator's own bookkeeping. */
const ownerOnlyTables = ['mikro_orm_migrations'];

const roleNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export class AppRoleError extends Error {}

function quoted(role: string): string {
  if (!roleNamePattern.test(role))
    throw new AppRoleError(`"${role}" is not a usable role name (lowercase letters, digits and _ only)`);
  return `"${role}"`;
}

/** Creates `role` as a login role with `password` (or resets its password); the owner needs CREATEROLE for this. */
export async function ensureLoginRole(owner: MikroORM, role: string, password: string): Promise<void> {
  const conn = owner.em.getConnection();
  const [found] = await conn.execute<{ n: number }[]>('select count(*)::int as n from pg_roles where rolname = ?', [
    role,
  ]);
  const verb = found.n ? 'alter' : 'create';
  // A role's password cannot be a bound parameter in CREATE/ALTER ROLE; it is hex from randomBytes or the tests' constant.
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(password))
    throw new AppRoleError('the application role password must be 8–128 letters, digits, _ or -');
  await conn.execute(
    `${verb} role ${quoted(role)} with login nosuperuser nocreatedb nocreaterole noinherit password '${password}'`,
  );
}

/**
 * Gives `role` exactly what the app needs on this database's tables, then checks that it cannot change the
 * append-only tables. Runs at every start, after migrations, so tables added by a new migration are covered.
 */
export async function grantAppRole(owner: MikroORM, role: string): Promise<void> {
  const r = quoted(role);
  const conn = owner.em.getConnection();
  const appendOnly = appendOnlyTables.map((t) => `"${t}"`).join(', ');
  await owner.em.transactional(async (em) => {
    const tx = em.getConnection();
    await tx.execute(`grant usage on schema public to ${r}`);
    await tx.execute(`grant select, insert, update, delete on all tables in schema public to ${r}`);
    await tx.execute(`revoke update, delete, truncate, references, trigger on ${appendOnly} from ${r}`);
    await tx.execute(`revoke all on ${ownerOnlyTables.map((t) => `"${t}"`).join(', ')} from ${r}`);
    await tx.execute(`grant usage, select on all sequences in schema public to ${r}`);
    // The one way a practice campaign's publications and audit events go (migrations/…_practice_campaigns.ts).
    await tx.execute(`grant execute on function discard_practice_records(integer, boolean) to ${r}`);
  });
  await checkAppRole(conn, role);
}

/** Refuses a role that could rewrite history: a superuser, an owner of the tables, or one granted more than it should. */
export async function checkAppRole(conn: ReturnType<MikroORM['em']['getConnection']>, role: string): Promise<void> {
  const [info] = await conn.execute<{ superuser: boolean; owns: number }[]>(
    `select r.rolsuper or r.rolbypassrls as superuser,
            (select count(*)::int from pg_tables t where t.schemaname = 'public' and t.tableowner = r.rolname) as owns
       from pg_roles r where r.rolname = ?`,
    [role],
  );
  if (!info) throw new AppRoleError(`the database role "${role}" does not exist`);
  if (info.superuser)
    throw new AppRoleError(
      `the database role "${role}" is a superuser: the app must run as a role that cannot change the audit log`,
    );
  if (info.owns)
    throw new AppRoleError(
      `the database role "${role}" owns tables: the app must not run as the owner, which can switch the audit log's guards off`,
    );
  for (const table of appendOnlyTables) {
    const [can] = await conn.execute<{ change: boolean }[]>(
      `select has_table_privilege(?, ?, 'UPDATE') or has_table_privilege(?, ?, 'DELETE') or has_table_privilege(?, ?, 'TRUNCATE') as change`,
      [role, table, role, table, role, table],
    );
    if (can.change)
      throw new AppRoleError(
        `the database role "${role}" may change or delete rows of ${table} (through a grant or a membership): revoke it`,
      );
  }
}

/** `url` with another user and password: how the app reaches the same database as its own role. */
export function urlAs(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}
