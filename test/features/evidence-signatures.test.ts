import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evidenceFlags, signatureFlags } from '../../src/features/evidence/flags.ts';
import { inspectFile } from '../../src/features/evidence/inspect.ts';
import {
  anchorSet,
  classifyAppended,
  judgeSignature,
  readCertificates,
  verifyPdfSignatures,
  type SignatureFacts,
} from '../../src/features/evidence/signatures.ts';
import type { EvidenceItem } from '../../src/features/evidence/upload.ts';
import { translator } from '../../src/i18n/catalog.ts';
import { appendChangedContent, caSignedPdf, makeCrl, makeTestCa, signAgain, type TestCa } from '../helpers/signing.ts';

// Issue 19: every PDF signature verified against a test CA made here (root → intermediate → signers), the PDFs signed
// in the test with @signpdf and a CMS signer of our own (RSA, ECDSA, SHA-1, CRLs, an RFC 3161 timestamp token).

const dir = mkdtempSync(path.join(os.tmpdir(), 'cchc-signatures-'));
let n = 0;
async function factsOf(bytes: Buffer): Promise<SignatureFacts[]> {
  const file = path.join(dir, `f${n++}.pdf`);
  writeFileSync(file, bytes);
  const found = await inspectFile(file);
  expect(found?.kind).toBe('pdf');
  return verifyPdfSignatures(file, found!.signatures);
}

const vi = translator('vi');
const en = translator('en');

let ca: TestCa;
beforeAll(async () => {
  ca = await makeTestCa();
});

const trustRoot = () => anchorSet([{ der: ca.root.der }]);

/** The file as the pages see it: its verdicts, dates and checks, with the flags and the words in both languages. */
function shown(facts: SignatureFacts[], extra: Partial<EvidenceItem> = {}) {
  const anchors = trustRoot();
  const item = {
    mediaType: 'application/pdf',
    signed: true,
    signer: null,
    signatureCoversWhole: true,
    looksScanned: false,
    letterSuffix: false,
    documentDate: null,
    selfAssessmentCloses: null,
    answersRequest: false,
    ...extra,
    signatures: facts.map((f) => judgeSignature(f, anchors)),
  };
  return {
    verdicts: item.signatures,
    flags: signatureFlags(item),
    vi: evidenceFlags(item, vi).map(([icon, words]) => `${icon} ${words}`),
    en: evidenceFlags(item, en).map(([icon, words]) => `${icon} ${words}`),
  };
}

describe('a valid signature', () => {
  it('names the signer, the organisation and the time, checked to the trusted root', async () => {
    const signingTime = new Date('2026-06-10T02:12:00Z');
    const facts = await factsOf(await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate], signingTime }));
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      readable: true,
      digestAlgorithm: 'sha256',
      digestMatches: true,
      signatureValid: true,
      weak: false,
      signerName: 'Nguyễn Văn A',
      signerOrganisation: 'UBND xã B',
      signingTime: signingTime.toISOString(),
      timeSource: 'attribute',
      later: 'none',
    });
    const s = shown(facts, { documentDate: '2026-06-10' });
    expect(s.verdicts[0]).toMatchObject({ valid: true, problems: [] });
    expect(s.flags).toEqual([]);
    expect(s.vi).toEqual(['✔ Chữ ký hợp lệ — Nguyễn Văn A, UBND xã B, ký lúc 10/06/2026 09:12']);
    expect(s.en).toEqual(['✔ Valid signature — Nguyễn Văn A, UBND xã B, signed at 10/06/2026 09:12']);
  });

  it('verifies ECDSA the same way', async () => {
    const facts = await factsOf(await caSignedPdf({ signer: ca.ecdsa, chain: [ca.intermediate] }));
    expect(facts[0]).toMatchObject({ signatureValid: true, digestMatches: true, signerName: 'Phạm Thị E' });
    expect(shown(facts).verdicts[0]).toMatchObject({ valid: true, problems: [] });
  });

  it('trusts an intermediate uploaded alone, and nothing when no anchor is uploaded', async () => {
    const facts = await factsOf(await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate] }));
    expect(judgeSignature(facts[0], anchorSet([{ der: ca.intermediate.der }])).valid).toBe(true);
    expect(judgeSignature(facts[0], []).problems).toEqual(['untrusted']);
  });
});

describe('what fails, in plain words', () => {
  it('a byte changed inside the signed range: the digest no longer matches', async () => {
    const pdf = await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate] });
    const at = pdf.indexOf('Ke hoach') > 0 ? pdf.indexOf('Ke hoach') : 20;
    const tampered = Buffer.from(pdf);
    tampered[at < pdf.length ? 12 : at] ^= 0x01;
    const facts = await factsOf(tampered);
    expect(facts[0]).toMatchObject({ digestMatches: false, signatureValid: true });
    const s = shown(facts);
    expect(s.flags).toEqual(['invalid', 'changed']);
    expect(s.vi[0]).toBe(
      '✖ Chữ ký không hợp lệ — Nguyễn Văn A, UBND xã B: nội dung không khớp với chữ ký (tệp đã bị sửa)',
    );
    expect(s.en[0]).toBe(
      '✖ Invalid signature — Nguyễn Văn A, UBND xã B: the content does not match the signature (the file was changed)',
    );
    expect(s.vi).toContain('⚠ chữ ký không hợp lệ');
    expect(s.en).toContain('⚠ content changed after signing');
  });

  it('content appended after signing', async () => {
    const facts = await factsOf(
      appendChangedContent(await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate] })),
    );
    expect(facts[0]).toMatchObject({ digestMatches: true, signatureValid: true, later: 'content' });
    const s = shown(facts);
    expect(s.flags).toEqual(['changed']);
    expect(s.vi[0]).toContain('nội dung bị thêm hoặc sửa sau khi ký');
    expect(s.en[0]).toContain('content was added or changed after signing');
  });

  it('a certificate that had expired when the document was signed', async () => {
    const facts = await factsOf(await caSignedPdf({ signer: ca.expired, chain: [ca.intermediate] }));
    expect(facts[0]).toMatchObject({ signatureValid: true, digestMatches: true });
    const s = shown(facts);
    expect(s.flags).toEqual(['expired']);
    expect(s.vi[0]).toBe('✖ Chữ ký không hợp lệ — Trần Thị C, UBND xã B: chứng thư đã hết hạn khi ký');
    expect(s.en[0]).toBe('✖ Invalid signature — Trần Thị C, UBND xã B: the certificate had expired when signing');
  });

  it('a certificate revoked by a CRL of its issuer the signature carries', async () => {
    const crl = await makeCrl(ca.intermediate, [ca.revoked]);
    const facts = await factsOf(await caSignedPdf({ signer: ca.revoked, chain: [ca.intermediate], crls: [crl] }));
    const s = shown(facts);
    expect(s.verdicts[0].problems).toEqual(['revoked']);
    expect(s.flags).toEqual(['invalid']);
    expect(s.vi[0]).toContain('chứng thư đã bị thu hồi');
    expect(s.en[0]).toContain('the certificate was revoked');
    // The same CRL does not touch another signer.
    const other = await factsOf(await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate], crls: [crl] }));
    expect(shown(other).verdicts[0].valid).toBe(true);
  });

  it('a chain to a root nobody trusted says so, without hiding the rest', async () => {
    const facts = await factsOf(await caSignedPdf({ signer: ca.stranger, chain: [ca.otherRoot] }));
    const s = shown(facts);
    expect(s.verdicts[0]).toMatchObject({ valid: false, problems: ['untrusted'], signerName: 'Người Lạ' });
    expect(s.flags).toEqual(['untrusted']);
    expect(s.vi[0]).toMatch(
      /^⚠ Chữ ký đúng nhưng chứng thư chưa được tin cậy — Người Lạ, Không rõ, ký lúc \d\d\/\d\d\/\d{4} \d\d:\d\d$/,
    );
    expect(s.vi).toContain('⚠ chứng thư không được tin cậy');
    expect(s.en[0]).toContain('Signature intact, but the certificate is not trusted — Người Lạ, Không rõ, signed at');
    expect(s.en).toContain('⚠ certificate not trusted');
    // With another failure besides, the signature is invalid, and every reason is told.
    const expiredStranger = judgeSignature({ ...facts[0], later: 'content' }, trustRoot());
    expect(expiredStranger.problems).toEqual(['changed', 'untrusted']);
  });

  it('SHA-1 verifies but is flagged as weak', async () => {
    const facts = await factsOf(await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate], hash: 'sha1' }));
    expect(facts[0]).toMatchObject({ digestAlgorithm: 'sha1', weak: true, digestMatches: true, signatureValid: true });
    const s = shown(facts);
    expect(s.verdicts[0]).toMatchObject({ valid: true, problems: ['weak'] });
    expect(s.flags).toEqual(['weak']);
    expect(s.vi).toContain('⚠ ký bằng SHA-1 (yếu)');
    expect(s.en).toContain('⚠ signed with SHA-1 (weak)');
  });
});

describe('several signatures and timestamps', () => {
  it('two signatures: the first is followed only by a later signature, both valid', async () => {
    const first = await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate] });
    const both = await signAgain(first, { signer: ca.ecdsa, chain: [ca.intermediate] });
    const facts = await factsOf(both);
    expect(facts.map((f) => [f.signerName, f.digestMatches, f.signatureValid, f.later])).toEqual([
      ['Nguyễn Văn A', true, true, 'signature'],
      ['Phạm Thị E', true, true, 'none'],
    ]);
    const s = shown(facts);
    expect(s.verdicts.map((v) => v.valid)).toEqual([true, true]);
    expect(s.vi[0]).toContain('(sau đó có thêm chữ ký khác)');
    expect(s.en[0]).toContain('(another signature was added later)');
  });

  it('a timestamp token gives the signing time, and a certificate valid at that time is valid', async () => {
    const genTime = new Date('2026-03-02T01:30:00Z');
    const facts = await factsOf(
      await caSignedPdf({
        signer: ca.signer,
        chain: [ca.intermediate],
        signingTime: new Date('2020-01-01T00:00:00Z'), // the signer's own clock, which the token overrides
        timestamp: { tsa: ca.tsa, chain: [ca.intermediate], genTime },
      }),
    );
    expect(facts[0]).toMatchObject({ timestamp: 'valid', timeSource: 'timestamp', signingTime: genTime.toISOString() });
    const s = shown(facts);
    expect(s.verdicts[0].valid).toBe(true);
    expect(s.vi[0]).toBe('✔ Chữ ký hợp lệ — Nguyễn Văn A, UBND xã B, ký lúc 02/03/2026 08:30 (theo dấu thời gian)');
    expect(s.en[0]).toBe('✔ Valid signature — Nguyễn Văn A, UBND xã B, signed at 02/03/2026 08:30 (by timestamp)');
  });

  it('a timestamp from a TSA nobody trusted does not count: the time the signer claimed stands', async () => {
    const claimed = new Date('2020-01-01T00:00:00Z');
    const facts = await factsOf(
      await caSignedPdf({
        signer: ca.signer,
        chain: [ca.intermediate],
        signingTime: claimed,
        timestamp: { tsa: ca.stranger, chain: [ca.otherRoot], genTime: new Date('2026-03-02T01:30:00Z') },
      }),
    );
    expect(facts[0]).toMatchObject({ timestamp: 'valid', timeSource: 'timestamp', claimedTime: claimed.toISOString() });
    const verdict = judgeSignature(facts[0], trustRoot());
    expect(verdict).toMatchObject({ timeSource: 'attribute', signingTime: claimed, problems: ['notYetValid'] });
    // Once the secretariat trusts the TSA's root, its time counts.
    const both = anchorSet([{ der: ca.root.der }, { der: ca.otherRoot.der }]);
    expect(judgeSignature(facts[0], both)).toMatchObject({ timeSource: 'timestamp', valid: true });
  });

  it('signed after the document’s date, or after the self-assessment closed', async () => {
    const facts = await factsOf(
      await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate], signingTime: new Date('2026-06-10T02:12:00Z') }),
    );
    const s = shown(facts, { documentDate: '2026-06-01', selfAssessmentCloses: '2026-06-05' });
    expect(s.flags).toEqual(['afterDocumentDate', 'afterClose']);
    expect(s.vi).toContain('⚠ ký sau ngày ban hành (01/06/2026)');
    expect(s.en).toContain('⚠ signed after the self-assessment closed (05/06/2026)');
    // Evidence answering an explanation request comes after the close by design.
    expect(shown(facts, { selfAssessmentCloses: '2026-06-05', answersRequest: true }).flags).toEqual([]);
  });
});

describe('what was appended after a revision', () => {
  it('tells a later signature and form filling from changed content', () => {
    const sig = '\n12 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n';
    const widget = '13 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /V 12 0 R >>\nendobj\n';
    const field = '14 0 obj\n<< /FT /Tx /T (ho ten) /V (Nguyen Van A) >>\nendobj\n';
    const trailer = 'xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 15 /Prev 100 >>\nstartxref\n200\n%%EOF\n';
    expect(classifyAppended(sig + widget + trailer)).toBe('signature');
    expect(classifyAppended(`\n${field}${trailer}`)).toBe('form');
    expect(classifyAppended(`\n15 0 obj\n<< /Length 5 >>\nstream\nBT ET\nendstream\nendobj\n${trailer}`)).toBe(
      'content',
    );
    expect(classifyAppended(`\n9 0 obj\n(them vao)\nendobj\n${trailer}`)).toBe('content');
    expect(classifyAppended('garbage that is not PDF syntax')).toBe('content');
  });
});

describe('trust anchors as uploaded', () => {
  it('reads DER and PEM (several in one file), refuses anything else', () => {
    const der = readCertificates(ca.root.der);
    expect(der).toHaveLength(1);
    expect(der![0]).toMatchObject({ ca: true, subject: 'CN=Test Root CA (Ban Co yeu thu nghiem), C=VN' });
    expect(der![0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const pem = [ca.root, ca.intermediate]
      .map(
        (c) =>
          `-----BEGIN CERTIFICATE-----\n${c.der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`,
      )
      .join('');
    expect(readCertificates(Buffer.from(pem))?.map((c) => c.subject)).toEqual([
      'CN=Test Root CA (Ban Co yeu thu nghiem), C=VN',
      'CN=Test Public CA, O=CA thử nghiệm, C=VN',
    ]);
    expect(readCertificates(Buffer.from('not a certificate'))).toBeNull();
  });
});

describe('a damaged signature', () => {
  it('is unreadable or invalid, never an error, whichever byte of the blob is changed', async () => {
    const pdf = await caSignedPdf({ signer: ca.signer, chain: [ca.intermediate] });
    const text = pdf.toString('latin1');
    const start = text.indexOf('/Contents <') + '/Contents <'.length;
    const hexLength = text.indexOf('>', start) - start;
    let invalid = 0;
    // Every 97th hex digit of the DER (about 40 places spread over the certificates, attributes and signature value).
    for (let at = 0; at < Math.min(hexLength, 8000); at += 97) {
      const damaged = Buffer.from(pdf);
      damaged[start + at] = damaged[start + at] === 0x30 ? 0x31 : 0x30;
      const facts = await factsOf(damaged);
      // A blob that no longer starts as DER is no signature at all: the file reads as unsigned.
      if (!facts.length) continue;
      const verdict = judgeSignature(facts[0], trustRoot());
      if (verdict.valid) {
        // A change the signature does not cover (the unsigned part of the blob's padding) leaves it valid.
        expect(facts[0]).toMatchObject({ digestMatches: true, signatureValid: true });
      } else {
        expect(verdict.problems.length).toBeGreaterThan(0);
        invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(10);
  });
});
