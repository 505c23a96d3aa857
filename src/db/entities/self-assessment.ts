import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { appraisalStates } from '../../domain/workflow.ts';
import { CampaignSchema } from './campaign.ts';
import { CriterionSchema } from './criteria.ts';
import { UnitSchema, UserSchema } from './people.ts';

export const SelfAssessmentSchema = defineEntity({
  name: 'SelfAssessment',
  uniques: [{ properties: ['campaign', 'unit'] }],
  properties: {
    id: p.integer().primary(),
    campaign: () => p.manyToOne(CampaignSchema).deleteRule('cascade'),
    unit: () => p.manyToOne(UnitSchema),
    state: p.enum(['draft', 'submitted'] as const).default('draft'),
    submittedAt: p.datetime().nullable(),
    submittedBy: () => p.manyToOne(UserSchema).nullable(),
    reopenReason: p.text().nullable(),
  },
});
export type SelfAssessment = InferEntity<typeof SelfAssessmentSchema>;

/** One unit's answer for one leaf criterion; `version` guards against overwriting a colleague's save. */
export const CriterionScoreSchema = defineEntity({
  name: 'CriterionScore',
  uniques: [{ properties: ['selfAssessment', 'criterion'] }],
  properties: {
    id: p.integer().primary(),
    selfAssessment: () => p.manyToOne(SelfAssessmentSchema).deleteRule('cascade'),
    criterion: () => p.manyToOne(CriterionSchema).deleteRule('cascade'),
    selfScore: p.decimal('string').precision(9).scale(3).nullable(),
    declaredLevel: p.string().length(255).nullable(),
    declaredAchieved: p.integer().nullable(),
    declaredTotal: p.integer().nullable(),
    notApplicable: p.boolean().default(false),
    explanation: p.text().default(''),
    updatedBy: () => p.manyToOne(UserSchema).nullable(),
    updatedAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type CriterionScore = InferEntity<typeof CriterionScoreSchema>;

/** Evidence metadata; the bytes live once per SHA-256 in the evidence store. */
export const EvidenceFileSchema = defineEntity({
  name: 'EvidenceFile',
  properties: {
    id: p.integer().primary(),
    criterionScore: () => p.manyToOne(CriterionScoreSchema).deleteRule('cascade').index(),
    explanationRequest: () => p.manyToOne(ExplanationRequestSchema).nullable(),
    sha256: p.string().length(64).index(),
    size: p.bigint('number'),
    mediaType: p.string().length(128),
    originalName: p.string().length(255),
    documentNumber: p.string().length(128).default(''),
    documentDate: p.date().nullable(),
    issuer: p.string().length(255).default(''),
    signed: p.boolean().default(false),
    signer: p.string().length(255).nullable(),
    signatureCoversWhole: p.boolean().nullable(),
    looksScanned: p.boolean().default(false),
    uploadedBy: () => p.manyToOne(UserSchema),
    /** The unit's body the file was sent for (issue 23), when not the unit itself. */
    bodyId: p.integer().nullable(),
    uploadedAt: p.datetime().onCreate(() => new Date()),
    removedAt: p.datetime().nullable(),
  },
});
export type EvidenceFile = InferEntity<typeof EvidenceFileSchema>;

export const AppraisalSchema = defineEntity({
  name: 'Appraisal',
  properties: {
    id: p.integer().primary(),
    criterionScore: () => p.oneToOne(CriterionScoreSchema).owner().deleteRule('cascade'),
    appraiser: () => p.manyToOne(UserSchema).nullable(),
    appraisedScore: p.decimal('string').precision(9).scale(3).nullable(),
    declaredLevel: p.string().length(255).nullable(),
    declaredAchieved: p.integer().nullable(),
    declaredTotal: p.integer().nullable(),
    reason: p.text().default(''),
    state: p.enum(appraisalStates).default('todo'),
    onSiteCheck: p.text().nullable(),
    updatedAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type Appraisal = InferEntity<typeof AppraisalSchema>;

export const ExplanationRequestSchema = defineEntity({
  name: 'ExplanationRequest',
  properties: {
    id: p.integer().primary(),
    appraisal: () => p.manyToOne(AppraisalSchema).deleteRule('cascade').index(),
    message: p.text(),
    dueDate: p.date(),
    requestedBy: () => p.manyToOne(UserSchema),
    requestedAt: p.datetime().onCreate(() => new Date()),
    answer: p.text().nullable(),
    answeredAt: p.datetime().nullable(),
    answeredBy: () => p.manyToOne(UserSchema).nullable(),
  },
});
export type ExplanationRequest = InferEntity<typeof ExplanationRequestSchema>;
