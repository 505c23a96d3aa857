import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEventSchema } from './entities/index.ts';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entityType: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Adds an audit event to the unit of work: it commits with the change it records, or not at all. */
export function audit(em: EntityManager, entry: AuditEntry): void {
  em.create(AuditEventSchema, {
    actor: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: String(entry.entityId),
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
  });
}
