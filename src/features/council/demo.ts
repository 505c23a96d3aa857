// The demo's council and working group (issue 23, item 4), for either demo (the district of the tests, the province
// of a first start): seed 001's shape — the chair (the demo's chair), a vice-chair (head of Home Affairs) and a member
// (head of Justice); a working group led by the Home Affairs appraiser, with a secretary. Their sign-ins are printed
// with the others (src/server.ts).
import type { EntityManager } from '@mikro-orm/postgresql';

export interface CouncilDemoUser {
  username: string;
  fullName: string;
  role: string;
  works: string;
}

/** The people this adds, as the start prints them. */
export const councilDemoUsers: CouncilDemoUser[] = [
  { username: 'phochutich', fullName: 'Trần Văn Bình', role: 'vice-chair', works: 'Phó Chủ tịch Hội đồng' },
  { username: 'uyvien', fullName: 'Nguyễn Thị Hạnh', role: 'council-member', works: 'Thành viên Hội đồng' },
  { username: 'thuky', fullName: 'Phan Thị Thu', role: 'working-group', works: 'Thư ký Tổ công tác' },
];

/**
 * Records the council of the campaign `campaignCode`: `homeAffairs` and `justice` are the codes of the demo's agencies
 * of Home Affairs and Justice. Runs inside the demo seed's transaction, after its users and campaigns are flushed.
 */
export async function seedCouncilDemo(
  em: EntityManager,
  campaignCode: string,
  passwordHash: string,
  agencies: { homeAffairs: string; justice: string },
  today: string,
): Promise<void> {
  for (const u of councilDemoUsers)
    await em.execute(`insert into app_user (username, full_name, password_hash, created_at) values (?, ?, ?, now())`, [
      u.username,
      u.fullName,
      passwordHash,
    ]);
  const [campaign] = await em.execute<{ id: number }[]>('select id from campaign where code = ?', [campaignCode]);
  await em.execute('insert into council (campaign_id, decision_number, decision_date) values (?, ?, ?)', [
    campaign.id,
    `2150/QĐ-UBND`,
    today,
  ]);
  const members: [string, string, string, string | null, string][] = [
    ['council', 'chair', 'chutich', null, 'Phó Chủ tịch UBND'],
    ['council', 'vice-chair', 'phochutich', agencies.homeAffairs, 'Trưởng phòng Nội vụ'],
    ['council', 'member', 'uyvien', agencies.justice, 'Trưởng phòng Tư pháp'],
    ['working-group', 'leader', 'phochutich', agencies.homeAffairs, 'Trưởng phòng Nội vụ'],
    ['working-group', 'secretary', 'thuky', agencies.homeAffairs, 'Chuyên viên phụ trách CCHC'],
  ];
  for (const [body, position, username, agency, title] of members)
    await em.execute(
      `insert into council_member (campaign_id, body, position, user_id, agency_id, title)
       select ?, ?, ?, u.id, (select id from agency where code = ?), ? from app_user u where u.username = ?`,
      [campaign.id, body, position, agency, title, username],
    );
}
