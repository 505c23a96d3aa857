import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { UnitSchema, UserSchema } from './people.ts';
import { CriterionScoreSchema } from './self-assessment.ts';

/** A named body of a unit that prepares criteria (HĐND, UB MTTQ, Ban TTND, Trạm Y tế …), with its contact person. */
export const UnitBodySchema = defineEntity({
  name: 'UnitBody',
  uniques: [{ properties: ['unit', 'name'] }],
  properties: {
    id: p.integer().primary(),
    unit: () => p.manyToOne(UnitSchema).deleteRule('cascade'),
    name: p.string().length(255),
    /** The person of the unit (an account) who acts for the body in the portal. */
    contact: () => p.manyToOne(UserSchema).nullable().deleteRule('set null'),
    /** Marked by the secretariat: the body's documents carry "không có ký số (được miễn)" instead of the unsigned flag. */
    cannotSignDigitally: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type UnitBody = InferEntity<typeof UnitBodySchema>;

/** One hand on a criterion: a person of the unit or one of its bodies, with an internal due date and their own note. */
export const CriterionAssignmentSchema = defineEntity({
  name: 'CriterionAssignment',
  properties: {
    id: p.integer().primary(),
    criterionScore: () => p.manyToOne(CriterionScoreSchema).deleteRule('cascade'),
    user: () => p.manyToOne(UserSchema).nullable().deleteRule('cascade').index(),
    body: () => p.manyToOne(UnitBodySchema).nullable().deleteRule('cascade').index(),
    dueDate: p.date().nullable(),
    note: p.text().default(''),
    noteUpdatedAt: p.datetime().nullable(),
    noteUpdatedBy: () => p.manyToOne(UserSchema).nullable().deleteRule('set null'),
    assignedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type CriterionAssignment = InferEntity<typeof CriterionAssignmentSchema>;
