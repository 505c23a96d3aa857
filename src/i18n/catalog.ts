import type { Language } from '../domain/language.ts';
import * as adminCampaigns from './messages/admin-campaigns.ts';
import * as adminCriteria from './messages/admin-criteria.ts';
import * as adminPeople from './messages/admin-people.ts';
import * as appraisal from './messages/appraisal.ts';
import * as core from './messages/core.ts';
import * as publication from './messages/publication.ts';
import * as published from './messages/published.ts';
import * as explanations from './messages/explanations.ts';
import * as council from './messages/council.ts';
import * as evidence from './messages/evidence.ts';
import * as survey from './messages/survey.ts';
import * as surveyOnline from './messages/survey-online.ts';
import * as unit from './messages/unit.ts';
import * as workbook from './messages/workbook.ts';
import * as rules from './messages/rules.ts';
import * as needs from './messages/needs.ts';
import * as steps from './messages/steps.ts';
import * as practice from './messages/practice.ts';
import * as notices from './messages/notices.ts';
import * as emulation from './messages/emulation.ts';
import * as onsite from './messages/onsite.ts';
import * as signatures from './messages/signatures.ts';
import * as weak from './messages/weak.ts';
import * as mail from './messages/mail.ts';
import * as docs from './messages/docs.ts';
import * as tus from './messages/tus.ts';
import * as hands from './messages/hands.ts';
import * as coappr from './messages/coappr.ts';
import * as council2 from './messages/council2.ts';
import * as reopen from './messages/reopen.ts';

// One catalog per area, so that each area's words live beside each other; every `en` must match its `vi` keys.
const vi = {
  ...core.vi,
  ...adminPeople.vi,
  ...adminCriteria.vi,
  ...adminCampaigns.vi,
  ...workbook.vi,
  ...unit.vi,
  ...evidence.vi,
  ...appraisal.vi,
  ...council.vi,
  ...explanations.vi,
  ...publication.vi,
  ...published.vi,
  ...survey.vi,
  ...surveyOnline.vi,
  ...rules.vi,
  ...needs.vi,
  ...steps.vi,
  ...practice.vi,
  ...notices.vi,
  ...emulation.vi,
  ...onsite.vi,
  ...signatures.vi,
  ...weak.vi,
  ...mail.vi,
  ...docs.vi,
  ...tus.vi,
  ...hands.vi,
  ...coappr.vi,
  ...council2.vi,
  ...reopen.vi,
};
const en: Record<Key, string> = {
  ...core.en,
  ...adminPeople.en,
  ...adminCriteria.en,
  ...adminCampaigns.en,
  ...workbook.en,
  ...unit.en,
  ...evidence.en,
  ...appraisal.en,
  ...council.en,
  ...explanations.en,
  ...publication.en,
  ...published.en,
  ...survey.en,
  ...surveyOnline.en,
  ...rules.en,
  ...needs.en,
  ...steps.en,
  ...practice.en,
  ...notices.en,
  ...emulation.en,
  ...onsite.en,
  ...signatures.en,
  ...weak.en,
  ...mail.en,
  ...docs.en,
  ...tus.en,
  ...hands.en,
  ...coappr.en,
  ...council2.en,
  ...reopen.en,
};
type Key = keyof typeof vi;

const catalogs: Record<Language, Record<Key, string>> = { vi, en };

export type MessageKey = Key;
export type Translate = (key: Key, params?: Record<string, string | number>) => string;

/** A parameter as the reader writes it: a number with the decimal comma in Vietnamese, the point in English. */
function written(value: string | number, lang: Language): string {
  if (typeof value !== 'number') return value;
  return lang === 'vi' ? String(value).replace('.', ',') : String(value);
}

export function translator(lang: Language): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key] ?? key;
    return params
      ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? written(params[name]!, lang) : m))
      : text;
  };
}
