// What the methodology page explains: a published campaign's rules and its criteria tree with each node's maximum.
import type { EntityManager } from '@mikro-orm/postgresql';
import { firstRow, tables } from '../../db/kysely.ts';
import type { CriterionNode } from '../../domain/scoring.ts';
import { loadCriterionNodes } from '../criteria-sets.ts';

export interface Methodology {
  composition: { key: string; max: string }[];
  bands: { name: string; min: string; fieldFloorPercent?: string }[];
  precision: number;
  rounding: string;
  set: { name: string; decision: string };
  criteria: CriterionNode[];
}

export async function methodologyOf(em: EntityManager, campaignId: number): Promise<Methodology> {
  const c = await firstRow(
    em,
    tables(em)
      .selectFrom('campaign as c')
      .innerJoin('criteria_set as s', 's.id', 'c.criteria_set_id')
      .select([
        'c.composition',
        'c.bands',
        'c.precision',
        'c.rounding',
        's.name as set_name',
        's.decision as set_decision',
        'c.criteria_set_id',
      ])
      .where('c.id', '=', campaignId),
  );
  return {
    composition: c!.composition,
    bands: c!.bands,
    precision: c!.precision,
    rounding: c!.rounding,
    set: { name: c!.set_name, decision: c!.set_decision },
    criteria: await loadCriterionNodes(em, c!.criteria_set_id),
  };
}
