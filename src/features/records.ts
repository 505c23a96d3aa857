// What the secretariat's records (units, agencies, users) share: form fields that read a missing field as empty, the
// active/inactive switch, the list filter and its word search, and the guard against a concurrent duplicate insert.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import { invalid, type Outcome } from './outcome.ts';

// Forms. A missing field reads as empty, so that it gets the field's own message rather than zod's type error.
export const asText = (v: unknown) => (typeof v === 'string' ? v : '');
export const text = () => z.string().trim().normalize('NFC');
export const choice = z.preprocess(asText, z.string().trim());

export const activeForm = z.object({
  active: z.preprocess(asText, z.enum(['true', 'false'], { error: 'people.active.invalid' })),
});

/** The pre-check gives the message; this catches the rare concurrent insert that slips between check and commit. */
export async function uniquely<T>(field: string, key: string, run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return invalid({ [field]: key });
    throw err;
  }
}

// Lists. Searches ignore case and diacritics; every list sorts as a Vietnamese reader expects.

export const statuses = ['active', 'inactive', 'all'] as const;
export type Status = (typeof statuses)[number];
export interface ListFilter {
  q: string;
  status: Status;
}

export function listFilter(query: unknown): ListFilter {
  const { q, status } = (query ?? {}) as Record<string, unknown>;
  return {
    q: typeof q === 'string' ? q.normalize('NFC').trim().slice(0, 100) : '',
    status: statuses.find((s) => s === status) ?? 'active',
  };
}

/** Each word must appear in one of the columns: "bo nhieu" finds "Bộc Nhiêu", whose words are not adjacent in it. */
export function matchWords(filter: ListFilter, table: string, columns: string[]): { sql: string; params: unknown[] } {
  const words = filter.q.split(/\s+/).filter(Boolean).slice(0, 8);
  const clauses = [filter.status === 'all' ? 'true' : `${table}.active = ${filter.status === 'active'}`];
  const params: unknown[] = [];
  for (const word of words) {
    // f_unaccent(lower(col)) is what the trigram index holds; ilike also covers a server whose lower() is ASCII-only.
    clauses.push(`(${columns.map((c) => `f_unaccent(lower(${table}.${c})) ilike f_unaccent(lower(?))`).join(' or ')})`);
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(...columns.map(() => pattern));
  }
  return { sql: clauses.join(' and '), params };
}
