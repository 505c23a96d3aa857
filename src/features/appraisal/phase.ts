import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The campaign's phase as a decision's transaction must see it: read under a share lock on the campaign row. Every
 * phase change (advanceCampaign, approveCampaign, publishCampaign) updates that row under `for update`, so it waits
 * for a decision under way to commit, and a decision started during a phase change waits for it and then reads the
 * new phase. A decision checked this way cannot land after the phase that allowed it has closed.
 */
export async function lockedPhase(tx: EntityManager, campaignId: number): Promise<string | null> {
  const [row] = await tx.execute<{ state: string }[]>('select state from campaign where id = ? for share', [
    campaignId,
  ]);
  return row?.state ?? null;
}
