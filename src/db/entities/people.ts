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
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Unit = InferEntity<typeof UnitSchema>;

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
