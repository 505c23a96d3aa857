import { formatDate, timeZone, todayInVietnam } from '../../domain/dates.ts';
import type { MessageKey, Translate } from '../../i18n/catalog.ts';
import type { SignatureProblem, SignatureVerdict } from './signatures.ts';
import type { EvidenceItem } from './upload.ts';

type FlagInput = Pick<
  EvidenceItem,
  | 'mediaType'
  | 'signed'
  | 'signer'
  | 'signatureCoversWhole'
  | 'looksScanned'
  | 'letterSuffix'
  | 'signatures'
  | 'documentDate'
  | 'selfAssessmentCloses'
  | 'answersRequest'
> & { signingExempt?: boolean };

/** Issue 19's flags beside seed 003's, from a file's verified signatures and its dates. */
export const signatureFlagKinds = [
  'invalid',
  'expired',
  'untrusted',
  'changed',
  'weak',
  'afterDocumentDate',
  'afterClose',
] as const;
export type SignatureFlag = (typeof signatureFlagKinds)[number];

const flagOfProblem: Record<SignatureProblem, SignatureFlag[]> = {
  unreadable: ['invalid'],
  algorithm: ['invalid'],
  digest: ['invalid', 'changed'],
  signature: ['invalid'],
  changed: ['changed'],
  revoked: ['invalid'],
  expired: ['expired'],
  notYetValid: ['expired'],
  untrusted: ['untrusted'],
  timestamp: ['invalid'],
  weak: ['weak'],
};

/** The signing day in Vietnam, ISO. */
const dayOf = (at: Date) => todayInVietnam(at);

/** A file's signature flags: none for a file whose signatures were never verified. */
export function signatureFlags(f: FlagInput): SignatureFlag[] {
  if (!f.signatures?.length) return [];
  const flags = new Set<SignatureFlag>();
  for (const s of f.signatures) for (const p of s.problems) for (const flag of flagOfProblem[p]) flags.add(flag);
  // The first signature (the document's own) against the document's date and the self-assessment's close.
  const first = f.signatures[0].signingTime;
  if (first && f.documentDate && dayOf(first) > f.documentDate) flags.add('afterDocumentDate');
  if (first && f.selfAssessmentCloses && !f.answersRequest && dayOf(first) > f.selfAssessmentCloses)
    flags.add('afterClose');
  return signatureFlagKinds.filter((k) => flags.has(k));
}

const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });

/** One signature in words: "Chữ ký hợp lệ — Nguyễn Văn A, UBND xã B, ký lúc 10/06/2026 09:12", or what failed. */
export function signatureBadge(s: SignatureVerdict, t: Translate): [string, string] {
  const who = [s.signerName, s.signerOrganisation].filter(Boolean).join(', ') || t('signatures.unknownSigner');
  const when = s.signingTime
    ? `${formatDate(s.signingTime)} ${time.format(s.signingTime)}${s.timeSource === 'timestamp' ? ` ${t('signatures.byTimestamp')}` : ''}`
    : null;
  const later = s.later === 'signature' || s.later === 'form' ? ` (${t(`signatures.later.${s.later}`)})` : '';
  if (s.valid) {
    const words = when ? t('signatures.valid', { who, time: when }) : t('signatures.validNoTime', { who });
    return ['✔', words + later];
  }
  // Only the chain is not trusted: the signature itself holds, and who signed when is still told.
  if (s.problems.every((p) => p === 'untrusted' || p === 'weak')) {
    const words = when ? t('signatures.untrusted', { who, time: when }) : t('signatures.untrustedNoTime', { who });
    return ['⚠', words + later];
  }
  const problems = s.problems.map((p) => t(`signatures.problem.${p}` as MessageKey)).join('; ');
  return ['✖', t('signatures.invalid', { who, problems })];
}

/**
 * Seed 003's and issue 19's checks of one file as [icon, words] pairs: each verified signature's badge (or, for a file
 * never verified, the signature dictionary's presence), a file changed after signing, an unsigned or scanned PDF, a
 * document number with a letter suffix, a signature after the document's date or the close. Flags inform the
 * appraiser; they never score.
 */
export function evidenceFlags(f: FlagInput, t: Translate): [string, string][] {
  const flags: [string, string][] = [];
  if (f.mediaType === 'application/pdf') {
    if (f.signatures?.length) {
      for (const s of f.signatures) flags.push(signatureBadge(s, t));
      for (const flag of signatureFlags(f)) {
        if (flag === 'afterDocumentDate')
          flags.push(['⚠', t('signatures.flag.afterDocumentDate', { date: formatDate(f.documentDate) })]);
        else if (flag === 'afterClose')
          flags.push(['⚠', t('signatures.flag.afterClose', { date: formatDate(f.selfAssessmentCloses) })]);
        else flags.push(['⚠', t(`signatures.flag.${flag}`)]);
      }
    } else if (f.signed && f.signatureCoversWhole === false) flags.push(['⚠', t('evidence.changedAfterSigning')]);
    else if (f.signed)
      flags.push(['⚠', f.signer ? `${t('signatures.notVerified')} (${f.signer})` : t('signatures.notVerified')]);
    // Issue 23: a unit or body the secretariat marked as unable to sign is told so, not flagged.
    else if (f.signingExempt) flags.push(['ℹ', t('hands.evidence.exempt')]);
    else flags.push(['⚠', t('evidence.unsigned')]);
    if (f.looksScanned) flags.push(['⚠', t('evidence.scanned')]);
  }
  if (f.letterSuffix) flags.push(['⚠', t('evidence.letterSuffix')]);
  return flags;
}
