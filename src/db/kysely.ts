// Typed queries: Kysely (`em.getKysely()`), typed from the entities, built here and run through MikroORM's own
// `execute`, so that they take the entity manager's transaction and connection (the read replica for published pages)
// and show in its query log like every other statement (the tests count them there). A query Kysely cannot say stays
// raw SQL typed at the boundary.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { InferKyselyDB } from '@mikro-orm/sql';
import type { Compilable, Kysely } from 'kysely';
import type { entities } from './entities/index.ts';

/** The tables as Kysely sees them: table and column names as in PostgreSQL, numeric columns as strings. */
export type Database = InferKyselyDB<(typeof entities)[number]>;

/** A query builder typed by the tables; build with it, run with `rows` or `firstRow`. */
export const tables = (em: EntityManager): Kysely<Database> => em.getKysely<Database>();

/**
 * Runs a built query on the entity manager. Kysely numbers its parameters ($1, $2, …) in order; MikroORM's `execute`
 * takes `?`. A query here never holds a `?` of its own (Kysely passes every value as a parameter).
 */
export async function rows<R>(em: EntityManager, query: Compilable<R>): Promise<R[]> {
  const { sql, parameters } = query.compile();
  return em.execute<R[]>(sql.replace(/\$\d+/g, '?'), [...parameters]);
}

export async function firstRow<R>(em: EntityManager, query: Compilable<R>): Promise<R | null> {
  const [row] = await rows(em, query);
  return row ?? null;
}
