import {
  AppraisalSchema,
  CriterionScoreSchema,
  EvidenceFileSchema,
  ExplanationRequestSchema,
  SelfAssessmentSchema,
} from './self-assessment.ts';
import {
  CampaignSchema,
  CampaignUnitSchema,
  ComponentPointsSchema,
  ExemptionSchema,
  SurveyResultSchema,
} from './campaign.ts';
import { CriteriaSetSchema, CriterionSchema } from './criteria.ts';
import {
  AgencySchema,
  RoleAssignmentSchema,
  SessionSchema,
  UnitKindSchema,
  UnitPredecessorSchema,
  UnitSchema,
  UserSchema,
} from './people.ts';
import { AuditEventSchema, PublicationSchema, PublishedResultSchema } from './publication.ts';
import { NoticeSchema } from './notice.ts';
import { CriterionAssignmentSchema, UnitBodySchema } from './hands.ts';

export * from './self-assessment.ts';
export * from './campaign.ts';
export * from './criteria.ts';
export * from './people.ts';
export * from './publication.ts';
export * from './notice.ts';
export * from './hands.ts';

export const entities = [
  UnitSchema,
  UnitKindSchema,
  UnitPredecessorSchema,
  AgencySchema,
  UserSchema,
  RoleAssignmentSchema,
  SessionSchema,
  CriteriaSetSchema,
  CriterionSchema,
  CampaignSchema,
  CampaignUnitSchema,
  ExemptionSchema,
  SurveyResultSchema,
  ComponentPointsSchema,
  SelfAssessmentSchema,
  CriterionScoreSchema,
  EvidenceFileSchema,
  AppraisalSchema,
  ExplanationRequestSchema,
  PublicationSchema,
  PublishedResultSchema,
  AuditEventSchema,
  NoticeSchema,
  UnitBodySchema,
  CriterionAssignmentSchema,
];
