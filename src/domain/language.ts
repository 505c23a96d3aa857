// The two languages the portal speaks: Vietnamese first, English as its twin.

export const languages = ['vi', 'en'] as const;
export type Language = (typeof languages)[number];
