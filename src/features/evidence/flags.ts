import type { Translate } from '../../i18n/catalog.ts';
import type { EvidenceItem } from './upload.ts';

/**
 * Seed 003's checks of one file as [icon, words] pairs: a signature (and its signer), a file changed after signing,
 * an unsigned or scanned PDF, a document number with a letter suffix. Flags inform the appraiser; they never score.
 */
export function evidenceFlags(
  f: Pick<EvidenceItem, 'mediaType' | 'signed' | 'signer' | 'signatureCoversWhole' | 'looksScanned' | 'letterSuffix'>,
  t: Translate,
): [string, string][] {
  const flags: [string, string][] = [];
  if (f.mediaType === 'application/pdf') {
    if (f.signed && f.signatureCoversWhole === false) flags.push(['⚠', t('evidence.changedAfterSigning')]);
    else if (f.signed) flags.push(['✔', f.signer ? `${t('evidence.signed')} (${f.signer})` : t('evidence.signed')]);
    else flags.push(['⚠', t('evidence.unsigned')]);
    if (f.looksScanned) flags.push(['⚠', t('evidence.scanned')]);
  }
  if (f.letterSuffix) flags.push(['⚠', t('evidence.letterSuffix')]);
  return flags;
}
