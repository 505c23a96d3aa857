import type { Language } from '../db/entities/people.ts';
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
import * as unit from './messages/unit.ts';
import * as workbook from './messages/workbook.ts';

// One catalog per area, so that each area's words live beside each other; every `en` must match its `vi` keys.
const vi = { ...core.vi, ...adminPeople.vi, ...adminCriteria.vi, ...adminCampaigns.vi, ...workbook.vi, ...unit.vi, ...evidence.vi, ...appraisal.vi, ...council.vi, ...explanations.vi, ...publication.vi, ...published.vi, ...survey.vi };
const en: Record<Key, string> = { ...core.en, ...adminPeople.en, ...adminCriteria.en, ...adminCampaigns.en, ...workbook.en, ...unit.en, ...evidence.en, ...appraisal.en, ...council.en, ...explanations.en, ...publication.en, ...published.en, ...survey.en };
type Key = keyof typeof vi;

const catalogs: Record<Language, Record<Key, string>> = { vi, en };

export type MessageKey = Key;
export type Translate = (key: Key, params?: Record<string, string | number>) => string;

export function translator(lang: Language): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
}

export const timeZone = 'Asia/Ho_Chi_Minh';

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });

/** dd/mm/yyyy for a calendar date ('2024-12-20') or an instant (a Date, or a timestamp as PostgreSQL prints it), in Vietnam's time. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? String(value) : dateFormat.format(instant);
}

export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? String(value) : `${timeFormat.format(instant)} ${dateFormat.format(instant)}`;
}

const isoDateInVietnam = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's calendar date in Vietnam, as yyyy-mm-dd. */
export function todayInVietnam(now: Date = new Date()): string {
  return isoDateInVietnam.format(now);
}

/** A decimal string ('96.120') in the reader's style, trailing zeros dropped: '96,12' in Vietnamese, '96.12' in English. */
export function formatScore(value: string | number | null | undefined, lang: Language): string {
  if (value === null || value === undefined || value === '') return '';
  // A score read from JSON (an audit event, a document) may arrive as a number; it prints the same.
  const [int, frac = ''] = String(value).split('.');
  const kept = frac.replace(/0+$/, '');
  return kept ? `${int}${lang === 'vi' ? ',' : '.'}${kept}` : int;
}
