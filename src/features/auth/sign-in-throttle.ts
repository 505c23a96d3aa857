import { isIPv6 } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Sign-in throttling without lock-out (OWASP ASVS 5, V6.3): failed sign-ins are counted
 *  - per (address, account): repeated guesses at one account from one place wait longer and longer;
 *  - per address: guessing many accounts from one place is slowed down as well;
 *  - per account, across all addresses: a generous ceiling that slows a spread-out attack further, never blocking
 *    for good (every delay has a cap, and counters are forgotten after a quiet hour).
 * The owner at another address is not touched by a stranger's pair counter. Accounts are keyed by the username as
 * typed (normalized), not by a user id, so a made-up name is counted exactly like a real one. Each failure updates
 * all three rows in one INSERT … ON CONFLICT … RETURNING: concurrent failures cannot overwrite each other.
 */
export const throttleRules = {
  pair: { free: 5, baseSeconds: 5, capSeconds: 15 * 60 },
  address: { free: 30, baseSeconds: 5, capSeconds: 15 * 60 },
  account: { free: 100, baseSeconds: 30, capSeconds: 30 * 60 },
} as const;
export type ThrottleKind = keyof typeof throttleRules;

/** A counter whose last failure is older than this starts again from zero. */
export const forgetAfterMinutes = 60;

/** Seconds to wait after the latest failure, once `failures` have been counted. */
export function delaySeconds(kind: ThrottleKind, failures: number): number {
  const rule = throttleRules[kind];
  if (failures < rule.free) return 0;
  return Math.min(rule.capSeconds, rule.baseSeconds * 2 ** Math.min(30, failures - rule.free));
}

/** One key per client: an IPv4 address as it is, an IPv6 address by its /64 (what one subscriber usually holds). */
export function addressKey(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (!isIPv6(bare) || bare.includes('.')) return bare;
  const [head = '', tail = ''] = bare.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = bare.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

export interface ThrottleKeys {
  pair: string;
  address: string;
  account: string;
}

export function throttleKeys(ip: string, username: string): ThrottleKeys {
  const address = addressKey(ip);
  return { pair: `${address} ${username}`, address, account: username };
}

interface CounterRow {
  kind: ThrottleKind;
  failures: number;
  ago: number;
}

/** Seconds this try must still wait (0: go ahead), the longest of the three counters' delays. */
export async function waitBeforeTry(em: EntityManager, keys: ThrottleKeys): Promise<number> {
  const rows = await em.getConnection().execute<CounterRow[]>(
    `select kind, failures, extract(epoch from now() - last_at)::float8 as ago from sign_in_throttle
      where (kind, key) in (('pair', ?), ('address', ?), ('account', ?)) and last_at > now() - interval '${forgetAfterMinutes} minutes'`,
    [keys.pair, keys.address, keys.account],
  );
  // A counter below its free tries asks for no wait. `ago` can be slightly negative: now() is each transaction's start,
  // and a concurrent failure may have stamped a later one; without these guards such a race answered 429 for nothing.
  return Math.max(
    0,
    ...rows.map((r) => {
      const delay = delaySeconds(r.kind, r.failures);
      return delay > 0 ? Math.ceil(delay - Math.max(0, r.ago)) : 0;
    }),
  );
}

/** Counts one failure on all three counters at once; returns the counts after it. */
export async function recordFailure(em: EntityManager, keys: ThrottleKeys): Promise<Record<ThrottleKind, number>> {
  const conn = em.getConnection();
  // The rows in one fixed order in every statement, so that concurrent upserts take their row locks alike.
  const rows = await conn.execute<{ kind: ThrottleKind; failures: number }[]>(
    `insert into sign_in_throttle as t (kind, key, failures, last_at)
     values ('pair', ?, 1, now()), ('address', ?, 1, now()), ('account', ?, 1, now())
     on conflict (kind, key) do update
       set failures = case when t.last_at < now() - interval '${forgetAfterMinutes} minutes' then 1 else t.failures + 1 end,
           last_at = now()
     returning kind, failures`,
    [keys.pair, keys.address, keys.account],
  );
  await conn.execute(`delete from sign_in_throttle where last_at < now() - interval '1 day'`);
  return Object.fromEntries(rows.map((r) => [r.kind, r.failures])) as Record<ThrottleKind, number>;
}

/**
 * A right password clears its own (address, account) counter only: the per-address count still covers the other
 * accounts tried from there, and the per-account count the other addresses.
 */
export async function recordSuccess(em: EntityManager, keys: ThrottleKeys): Promise<void> {
  await em.getConnection().execute(`delete from sign_in_throttle where kind = 'pair' and key = ?`, [keys.pair]);
}
