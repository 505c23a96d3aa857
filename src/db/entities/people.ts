import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { languages } from '../../domain/language.ts';
import { roles } from '../../domain/workflow.ts';

export const UnitSchema = defineEntity({
  name: 'Unit',
  properties: {
    id: p.integer().primary(),
    code: p.string().length(64).unique(),
    name: p.string().length(255),
    kind: p.string().length(64).default(''),
    parent: () => p.manyToOne(UnitSchema).nullable(),
    /** The official administrative unit code (mã đơn vị hành chính), digits kept as text: "00004". */
    officialCode: p.string().length(16).nullable(),
    /** The dates from which and until which the unit exists (null: not recorded, or still exists). */
    existsFrom: p.date().nullable(),
    existsUntil: p.date().nullable(),
    active: p.boolean().default(true),
    /** Marked by the secretariat (issue 23): the unit's documents carry "không có ký số (được miễn)". */
    cannotSignDigitally: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Unit = InferEntity<typeof UnitSchema>;

/** The units a unit continues: the communes it was merged from, or its former self when renamed or re-coded. */
export const UnitPredecessorSchema = defineEntity({
  name: 'UnitPredecessor',
  properties: {
    unit: () => p.manyToOne(UnitSchema).primary().deleteRule('cascade'),
    predecessor: () => p.manyToOne(UnitSchema).primary(),
  },
});
export type UnitPredecessor = InferEntity<typeof UnitPredecessorSchema>;

/** The types a unit may have (xã, phường, đặc khu, sở …): data, which the secretariat may extend. */
export const UnitKindSchema = defineEntity({
  name: 'UnitKind',
  properties: {
    name: p.string().length(64).primary(),
    position: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type UnitKind = InferEntity<typeof UnitKindSchema>;

export const AgencySchema = defineEntity({
  name: 'Agency',
  properties: {
    id: p.integer().primary(),
    code: p.string().length(64).unique(),
    name: p.string().length(255),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Agency = InferEntity<typeof AgencySchema>;

export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.integer().primary(),
    username: p.string().length(64).unique(),
    fullName: p.string().length(255),
    passwordHash: p.string().length(255).hidden().lazy(),
    active: p.boolean().default(true),
    language: p.enum(languages).default('vi'),
    /** A temporary password (made by the secretariat): the person must choose their own at the next sign-in. */
    mustChangePassword: p.boolean().default(false),
    /** Where notices are mailed (src/features/mail.ts), and how: at once, a daily digest, or not at all. */
    email: p.string().length(254).nullable(),
    mailMode: p.enum(['immediate', 'digest', 'none'] as const).default('none'),
    createdAt: p.datetime().onCreate(() => new Date()),
    roles: () => p.oneToMany(RoleAssignmentSchema).mappedBy('user'),
  },
});
export type User = InferEntity<typeof UserSchema>;

export const RoleAssignmentSchema = defineEntity({
  name: 'RoleAssignment',
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(UserSchema).deleteRule('cascade'),
    role: p.enum(roles),
    unit: () => p.manyToOne(UnitSchema).nullable(),
    agency: () => p.manyToOne(AgencySchema).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type RoleAssignment = InferEntity<typeof RoleAssignmentSchema>;

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
export const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'user_session',
  properties: {
    id: p.string().length(64).primary(),
    user: () => p.manyToOne(UserSchema).deleteRule('cascade').index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  },
});
export type Session = InferEntity<typeof SessionSchema>;
