import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppraisalState } from '../../db/entities/index.ts';
import { intArray } from '../../db/sql.ts';
import { effectiveAgencyCte } from './scope.ts';

export interface QueueFilter {
  unit?: string;
  field?: string;
  state?: AppraisalState;
}

export interface QueueItem {
  id: number;
  state: AppraisalState;
  unitCode: string;
  unitName: string;
  code: string;
  title: string;
  maxScore: string;
  selfScore: string | null;
  notApplicable: boolean;
  appraisedScore: string | null;
  dueDate: string | null;
  overdue: boolean;
  flags: { unsigned: number; scanned: number; letter: number; files: number };
}

export interface AppraiserCampaign { id: number; code: string; name: string; state: string; criteriaSetId: number; appraisalCloses: string | null }

/** Campaigns whose appraisal this person takes part in: past its self-assessment, with submitted units. */
export async function appraisalCampaigns(em: EntityManager): Promise<AppraiserCampaign[]> {
  return em.execute(
    `select c.id, c.code, c.name, c.state, c.criteria_set_id as "criteriaSetId", to_char(c.appraisal_closes, 'YYYY-MM-DD') as "appraisalCloses"
       from campaign c where c.state in ('appraisal', 'council-review', 'approved', 'published') and not c.practice
        and exists (select 1 from self_assessment sa where sa.campaign_id = c.id and sa.state = 'submitted')
      order by c.year desc, c.name collate "vi-x-icu"`);
}

/** Needs the appraiser now: not yet decided, answered by the unit, or waiting past its due date. */
export const needsAction = (i: Pick<QueueItem, 'state' | 'overdue'>) => i.state === 'todo' || i.state === 'answered' || (i.state === 'waiting' && i.overdue);

/**
 * The appraiser's items in a campaign: every criterion of a submitted unit whose (inherited) agency is one of theirs,
 * in a stable order (unit name, then criterion position), with counts per state for the filter links.
 */
export async function loadQueue(em: EntityManager, campaign: AppraiserCampaign, agencyIds: number[], filter: QueueFilter, today: string, opts: { flags?: boolean } = {}) {
  // The evidence flags are for the queue's table; finding the next item needs only the order and the states.
  const flags = opts.flags ?? true;
  const rows = await em.execute<Record<string, any>[]>(
    `with recursive ${effectiveAgencyCte}
     select a.id, a.state, u.code as unit_code, u.name as unit_name, c.code, c.title, c.max_score, cs.self_score, cs.not_applicable,
            a.appraised_score, to_char(er.due_date, 'YYYY-MM-DD') as due_date,
            ${flags ? 'coalesce(f.files, 0) as files, coalesce(f.unsigned, 0) as unsigned, coalesce(f.scanned, 0) as scanned, coalesce(f.letter, 0) as letter' : '0 as files, 0 as unsigned, 0 as scanned, 0 as letter'}
       from appraisal a
       join criterion_score cs on cs.id = a.criterion_score_id
       join self_assessment sa on sa.id = cs.self_assessment_id and sa.state = 'submitted'
       join unit u on u.id = sa.unit_id
       join criterion c on c.id = cs.criterion_id
       join effective_agency ea on ea.criterion_id = c.id
       left join (select distinct on (r.appraisal_id) r.appraisal_id, r.due_date from explanation_request r where r.answered_at is null
                   order by r.appraisal_id, r.id desc) er on er.appraisal_id = a.id
       ${flags ? `left join lateral (
         select count(*)::int as files,
                count(*) filter (where ef.media_type = 'application/pdf' and not ef.signed)::int as unsigned,
                count(*) filter (where ef.looks_scanned)::int as scanned,
                count(*) filter (where ef.document_number ~ '^[0-9]+[a-zA-Z][/ ]')::int as letter
           from evidence_file ef where ef.criterion_score_id = cs.id and ef.removed_at is null) f on true` : ''}
      where sa.campaign_id = ? and ea.agency_id = any(?::int[])
        and not exists (select 1 from exemption e join criterion ec on ec.id = e.criterion_id
                         where e.campaign_id = sa.campaign_id and e.unit_id = u.id and (c.code = ec.code or c.code like ec.code || '.%'))
        and (?::text is null or u.code = ?) and (?::text is null or split_part(c.code, '.', 1) = ?)
      order by u.name collate "vi-x-icu", u.code, c.position`,
    [campaign.criteriaSetId, campaign.id, intArray(agencyIds), filter.unit ?? null, filter.unit ?? null, filter.field ?? null, filter.field ?? null],
  );
  const all: QueueItem[] = rows.map((r) => ({
    id: r.id, state: r.state, unitCode: r.unit_code, unitName: r.unit_name, code: r.code, title: r.title, maxScore: r.max_score,
    selfScore: r.self_score, notApplicable: r.not_applicable, appraisedScore: r.appraised_score, dueDate: r.due_date,
    overdue: r.state === 'waiting' && r.due_date !== null && r.due_date < today,
    flags: { files: r.files, unsigned: r.unsigned, scanned: r.scanned, letter: r.letter },
  }));
  const counts: Record<AppraisalState, number> = { todo: 0, accepted: 0, adjusted: 0, waiting: 0, answered: 0 };
  for (const i of all) counts[i.state]++;
  const items = filter.state ? all.filter((i) => i.state === filter.state) : all;
  return { all, items, counts };
}

/** The next item that needs the appraiser after `currentId` in queue order (wrapping round), never `currentId` itself. */
export function nextItem(all: readonly QueueItem[], currentId: number | null): QueueItem | null {
  const at = currentId === null ? -1 : all.findIndex((i) => i.id === currentId);
  for (let step = 1; step <= all.length; step++) {
    const candidate = all[(at + step + all.length) % all.length];
    if (candidate && candidate.id !== currentId && needsAction(candidate)) return candidate;
  }
  return null;
}

export function previousItem(all: readonly QueueItem[], currentId: number): QueueItem | null {
  const at = all.findIndex((i) => i.id === currentId);
  return at > 0 ? all[at - 1] : null;
}

/** The units and fields an appraiser's queue has, for its filters: a few rows, whatever the queue's length. */
export async function queueChoices(em: EntityManager, campaign: AppraiserCampaign, agencyIds: number[]) {
  const rows = await em.execute<{ unit_code: string; unit_name: string; field: string }[]>(
    `with recursive ${effectiveAgencyCte}
     select distinct u.code as unit_code, u.name as unit_name, split_part(c.code, '.', 1) as field
       from appraisal a
       join criterion_score cs on cs.id = a.criterion_score_id
       join self_assessment sa on sa.id = cs.self_assessment_id and sa.state = 'submitted'
       join unit u on u.id = sa.unit_id
       join criterion c on c.id = cs.criterion_id
       join effective_agency ea on ea.criterion_id = c.id
      where sa.campaign_id = ? and ea.agency_id = any(?::int[])`,
    [campaign.criteriaSetId, campaign.id, intArray(agencyIds)],
  );
  const collator = new Intl.Collator('vi');
  const units = [...new Map(rows.map((r) => [r.unit_code, r.unit_name])).entries()].sort((a, b) => collator.compare(a[1], b[1]) || a[0].localeCompare(b[0]));
  const fields = [...new Set(rows.map((r) => r.field))].sort((a, b) => Number(a) - Number(b));
  return { units, fields };
}
