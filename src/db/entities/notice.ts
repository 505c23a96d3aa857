import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { CampaignSchema } from './campaign.ts';
import { UserSchema } from './people.ts';

/**
 * What the portal tells one person (src/features/notices.ts): a kind, the words' parameters, and a count for a group
 * of like events while unread (the partial unique index on recipient and group key, migration "notices").
 */
export const NoticeSchema = defineEntity({
  name: 'Notice',
  properties: {
    id: p.bigint().primary(),
    recipient: () => p.manyToOne(UserSchema).deleteRule('cascade'),
    kind: p.string().length(64),
    campaign: () => p.manyToOne(CampaignSchema).nullable().deleteRule('cascade'),
    groupKey: p.string().length(255),
    params: p.json<Record<string, string | number>>(),
    count: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
    readAt: p.datetime().nullable(),
    /** When the mail sweep put it in a delivery (src/features/mail.ts): it is never mailed twice. */
    mailedAt: p.datetime().nullable(),
  },
});
export type Notice = InferEntity<typeof NoticeSchema>;
