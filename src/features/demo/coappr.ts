// Demo co-appraisal (issue 23): as seed 002 has it, the Văn phòng HĐND-UBND co-appraises ("phối hợp thẩm định") the
// e-document criterion (7.4, documents exchanged electronically) within the field the information agency appraises.
import type { EntityManager } from '@mikro-orm/postgresql';

export const demoCoAppraisal = { criterion: '7.4', agency: 'van-phong' } as const;

/** Sets the demo's co-appraising agency on the demo criteria set of `campaignId` (called once by the demo seed). */
export async function seedDemoCoAppraisal(em: EntityManager, campaignId: number): Promise<void> {
  await em.execute(
    `insert into criterion_co_agency (criterion_id, agency_id)
     select c.id, a.id from campaign k join criterion c on c.criteria_set_id = k.criteria_set_id join agency a on a.code = ?
      where k.id = ? and c.code = ? on conflict do nothing`,
    [demoCoAppraisal.agency, campaignId, demoCoAppraisal.criterion],
  );
}
