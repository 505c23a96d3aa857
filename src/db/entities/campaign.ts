import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { CriteriaSetSchema, CriterionSchema } from './criteria.ts';
import { UnitSchema, UserSchema } from './people.ts';
import type { BandRule, CompositionPart } from '../../domain/rules-text.ts';
import { campaignStates } from '../../domain/workflow.ts';

export const CampaignSchema = defineEntity({
  name: 'Campaign',
  properties: {
    id: p.integer().primary(),
    code: p.string().length(64).unique(),
    name: p.string().length(255),
    year: p.integer(),
    organizer: p.string().length(255),
    decision: p.string().length(255).default(''),
    criteriaSet: () => p.manyToOne(CriteriaSetSchema),
    composition: p.json<CompositionPart[]>(),
    bands: p.json<BandRule[]>(),
    precision: p.smallint().default(2),
    rounding: p.enum(['half-up', 'down'] as const).default('half-up'),
    selfAssessmentOpens: p.date().nullable(),
    selfAssessmentCloses: p.date().nullable(),
    appraisalOpens: p.date().nullable(),
    appraisalCloses: p.date().nullable(),
    explanationDays: p.smallint().default(3),
    publishBy: p.date().nullable(),
    /** Days before a phase closes on which reminders are written (src/features/reminders.ts), e.g. "3,1". */
    reminderDays: p.string().length(50).default('3,1'),
    officerMaySubmit: p.boolean().default(false),
    practice: p.boolean().default(false),
    state: p.enum(campaignStates).default('draft'),
    /** The chair's approval: the decision that makes the council's ranking official. */
    approvalDecision: p.string().length(255).nullable(),
    approvalDate: p.date().nullable(),
    approvedBy: () => p.manyToOne(UserSchema).nullable(),
    approvedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    units: () => p.oneToMany(CampaignUnitSchema).mappedBy('campaign'),
  },
});
export type Campaign = InferEntity<typeof CampaignSchema>;

/** A unit assessed in a campaign, with its own deadline when the secretariat extended it. */
export const CampaignUnitSchema = defineEntity({
  name: 'CampaignUnit',
  uniques: [{ properties: ['campaign', 'unit'] }],
  properties: {
    id: p.integer().primary(),
    campaign: () => p.manyToOne(CampaignSchema).deleteRule('cascade'),
    unit: () => p.manyToOne(UnitSchema),
    deadlineExtendedTo: p.date().nullable(),
    extensionReason: p.text().nullable(),
    /** The block (khối) the unit is ranked in; null when the campaign has no blocks. */
    block: p.string().length(255).nullable(),
  },
});
export type CampaignUnit = InferEntity<typeof CampaignUnitSchema>;

/** Set by the secretariat: this criterion (and its subtree) leaves this unit's maximum. */
export const ExemptionSchema = defineEntity({
  name: 'Exemption',
  uniques: [{ properties: ['campaign', 'unit', 'criterion'] }],
  properties: {
    id: p.integer().primary(),
    campaign: () => p.manyToOne(CampaignSchema).deleteRule('cascade'),
    unit: () => p.manyToOne(UnitSchema),
    criterion: () => p.manyToOne(CriterionSchema).deleteRule('cascade'),
    reason: p.text().default(''),
  },
});
export type Exemption = InferEntity<typeof ExemptionSchema>;

export const SurveyResultSchema = defineEntity({
  name: 'SurveyResult',
  uniques: [{ properties: ['campaign', 'unit'] }],
  properties: {
    id: p.integer().primary(),
    campaign: () => p.manyToOne(CampaignSchema).deleteRule('cascade'),
    unit: () => p.manyToOne(UnitSchema),
    respondents: p.integer(),
    satisfiedAnswers: p.integer(),
    questionsPerRespondent: p.integer().default(8),
  },
});
export type SurveyResult = InferEntity<typeof SurveyResultSchema>;

/** Past years known only by their component points (the workbook's `components` sheet). */
export const ComponentPointsSchema = defineEntity({
  name: 'ComponentPoints',
  uniques: [{ properties: ['campaign', 'unit', 'key'] }],
  properties: {
    id: p.integer().primary(),
    campaign: () => p.manyToOne(CampaignSchema).deleteRule('cascade'),
    unit: () => p.manyToOne(UnitSchema),
    key: p.string().length(32),
    points: p.decimal('string').precision(9).scale(3),
  },
});
export type ComponentPoints = InferEntity<typeof ComponentPointsSchema>;
