import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { AgencySchema } from './people.ts';

export const CriteriaSetSchema = defineEntity({
  name: 'CriteriaSet',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(255),
    year: p.integer(),
    decision: p.string().length(255).default(''),
    locked: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    criteria: () => p.oneToMany(CriterionSchema).mappedBy('criteriaSet'),
  },
});
export type CriteriaSet = InferEntity<typeof CriteriaSetSchema>;

export const criterionKinds = ['self', 'survey', 'appraiser'] as const;
export type CriterionKind = (typeof criterionKinds)[number];

/** A node of the tree field → criterion → sub-criterion, any depth, named by its dotted code. */
export const CriterionSchema = defineEntity({
  name: 'Criterion',
  // Deferrable: moving a subtree or swapping siblings passes codes through each other within one transaction.
  uniques: [{ properties: ['criteriaSet', 'code'], deferMode: 'immediate' }],
  properties: {
    id: p.integer().primary(),
    criteriaSet: () => p.manyToOne(CriteriaSetSchema).deleteRule('cascade'),
    parent: () => p.manyToOne(CriterionSchema).nullable().deleteRule('cascade'),
    code: p.string().length(32),
    title: p.text(),
    guidance: p.text().default(''),
    kind: p.enum(criterionKinds).default('self'),
    minScore: p.decimal('string').precision(9).scale(3).default('0'),
    maxScore: p.decimal('string').precision(9).scale(3),
    /** Declared-figure rule in the workbook's syntax (`levels: Có=1; Không=0`, `ratio: …`, `proportional`); null = typed score. */
    scoring: p.text().nullable(),
    evidenceRequired: p.boolean().default(false),
    agency: () => p.manyToOne(AgencySchema).nullable(),
    position: p.integer().default(0),
  },
});
export type Criterion = InferEntity<typeof CriterionSchema>;
