import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { CampaignSchema } from './campaign.ts';
import { UserSchema } from './people.ts';

/** A frozen, published version of a campaign's results. Never updated: the database refuses it. */
export const PublicationSchema = defineEntity({
  name: 'Publication',
  uniques: [{ properties: ['campaign', 'version'] }],
  properties: {
    id: p.integer().primary(),
    campaign: () => p.manyToOne(CampaignSchema),
    version: p.integer(),
    decisionNumber: p.string().length(255).default(''),
    decisionDate: p.date().nullable(),
    approvedBy: () => p.manyToOne(UserSchema).nullable(),
    publishedAt: p.datetime(),
    correctionReason: p.text().nullable(),
    imported: p.boolean().default(false),
    /** The results document of docs/open-data.md, for queries (jsonb: key order is not kept). */
    results: p.json<Record<string, unknown>>(),
    /** The exact bytes served as results.json, .csv and .xlsx, and their SHA-256: what anyone can check a download against. */
    resultsJson: p.text(),
    resultsCsv: p.text(),
    resultsXlsx: p.blob(),
    sha256: p.string().length(64),
    csvSha256: p.string().length(64),
    xlsxSha256: p.string().length(64),
    /** The previous version's results.json hash: the versions form a chain that cannot be rewritten unnoticed. */
    previousSha256: p.string().length(64).nullable(),
  },
});
export type Publication = InferEntity<typeof PublicationSchema>;

/** One unit's row of a publication, for queries across versions and years (trends). */
export const PublishedResultSchema = defineEntity({
  name: 'PublishedResult',
  uniques: [{ properties: ['publication', 'unitCode'] }],
  properties: {
    id: p.integer().primary(),
    publication: () => p.manyToOne(PublicationSchema),
    unitCode: p.string().length(64).index(),
    unitName: p.string().length(255),
    /** The block (khối) it was ranked in; null when the campaign has none. */
    block: p.string().length(255).nullable(),
    /** Null, with the index and band, for a unit that did not submit its self-assessment (`status`). */
    rank: p.integer().nullable(),
    index: p.decimal('string').precision(9).scale(3).nullable(),
    band: p.string().length(64).nullable(),
    /** 'not-submitted' for a unit of a campaign run on the portal that never submitted; null for a real result. */
    status: p.string().length(32).nullable(),
    points: p.decimal('string').precision(9).scale(3).nullable(),
    applicableMax: p.decimal('string').precision(9).scale(3).nullable(),
    components: p.json<Record<string, number>>(),
    detail: p.json<Record<string, unknown>>(),
  },
});
export type PublishedResult = InferEntity<typeof PublishedResultSchema>;

/** Insert only: the database refuses UPDATE and DELETE. */
export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  indexes: [{ properties: ['entityType', 'entityId'] }],
  properties: {
    id: p.bigint('number').primary(),
    at: p.datetime().onCreate(() => new Date()),
    actor: () => p.manyToOne(UserSchema).nullable(),
    action: p.string().length(64),
    entityType: p.string().length(64),
    entityId: p.string().length(64),
    before: p.json<unknown>().nullable(),
    after: p.json<unknown>().nullable(),
    reason: p.text().nullable(),
  },
});
export type AuditEvent = InferEntity<typeof AuditEventSchema>;
