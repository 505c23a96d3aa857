import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasLetterSuffix, inspectFile } from '../../src/features/evidence/inspect.ts';
import { LocalEvidenceStore, sweepGraceMs } from '../../src/features/evidence/store.ts';
import {
  makeDocx,
  makeP12,
  makePdf,
  makePng,
  makeXlsx,
  makeZip,
  pdfBytes,
  scannedPdf,
  signedPdf,
} from '../helpers/evidence.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cchc-inspect-'));
let n = 0;
/** Writes the bytes to a file and inspects it there, as an upload is. */
async function inspect(bytes: Buffer) {
  const file = path.join(dir, `f${n++}`);
  writeFileSync(file, bytes);
  return inspectFile(file);
}

let p12: Buffer;
beforeAll(() => {
  p12 = makeP12('Lê Đình Nga');
});

describe('the media type comes from the content', () => {
  it('knows PDF, DOCX, XLSX, JPEG and PNG', async () => {
    expect((await inspect(await pdfBytes()))?.mediaType).toBe('application/pdf');
    expect((await inspect(makeDocx()))?.kind).toBe('docx');
    expect((await inspect(makeXlsx()))?.kind).toBe('xlsx');
    expect((await inspect(makePng()))?.mediaType).toBe('image/png');
    expect(
      (await inspect(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)])))?.mediaType,
    ).toBe('image/jpeg');
  });

  it('refuses anything else, whatever it would be called', async () => {
    expect(await inspect(Buffer.from('Kế hoạch số 12/KH-UBND, chỉ là văn bản thường'))).toBeNull();
    expect(await inspect(Buffer.from('MZ\x90\x00 an executable'.padEnd(64, '\0'), 'latin1'))).toBeNull();
    expect(await inspect(makeZip({ 'readme.txt': 'a zip, not an Office file' }))).toBeNull();
    expect(await inspect(makeZip({ 'word/document.xml': '<w:document/>' }))).toBeNull(); // no [Content_Types].xml
    expect(await inspect(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]))).toBeNull(); // legacy .doc
    expect(await inspect(Buffer.alloc(0))).toBeNull();
  });
});

describe('digital signatures in PDFs', () => {
  it('tells a signed PDF from an unsigned one and reads the signer from /Name', async () => {
    const unsigned = await inspect(await pdfBytes());
    expect(unsigned).toMatchObject({ signed: false, signer: null, signatureCoversWhole: null });
    const signed = await inspect(await signedPdf(p12, 'Le Dinh Nga'));
    expect(signed).toMatchObject({ signed: true, signer: 'Le Dinh Nga', signatureCoversWhole: true });
  });

  it('reads the signer from the certificate when the signature has no name', async () => {
    expect(await inspect(await signedPdf(p12, ''))).toMatchObject({
      signed: true,
      signer: 'Lê Đình Nga',
      signatureCoversWhole: true,
    });
  });

  it('flags a signed PDF changed after signing, but not one with a trailing line end', async () => {
    const signed = await signedPdf(p12, 'Le Dinh Nga');
    const appended = Buffer.concat([
      signed,
      Buffer.from('\n9 0 obj\n(them vao sau khi ky)\nendobj\ntrailer\n<< /Size 10 >>\n%%EOF\n'),
    ]);
    expect(await inspect(appended)).toMatchObject({ signed: true, signatureCoversWhole: false });
    expect(await inspect(Buffer.concat([signed, Buffer.from('\r\n')]))).toMatchObject({
      signed: true,
      signatureCoversWhole: true,
    });
  });

  it('does not take an unsigned placeholder for a signature', async () => {
    const { pdflibAddPlaceholder } = await import('@signpdf/placeholder-pdf-lib');
    const doc = await makePdf();
    pdflibAddPlaceholder({ pdfDoc: doc, reason: 'x', contactInfo: '', name: 'Chua ky', location: '' });
    expect(await inspect(Buffer.from(await doc.save({ useObjectStreams: false })))).toMatchObject({ signed: false });
  });

  it('finds a signature far into a big file, read window by window', async () => {
    const big = await signedPdf(
      p12,
      'Le Dinh Nga',
      await makePdf({ text: 'Bao cao', image: makePng(1200, 1200, true) }),
    );
    expect(big.length).toBeGreaterThan(1_300_000);
    expect(await inspect(big)).toMatchObject({
      signed: true,
      signer: 'Le Dinh Nga',
      signatureCoversWhole: true,
      looksScanned: false,
    });
  });
});

describe('scanned PDFs', () => {
  it('flags an image-only PDF, not a text PDF nor a text PDF with a picture', async () => {
    expect((await inspect(await scannedPdf()))?.looksScanned).toBe(true);
    expect((await inspect(await pdfBytes()))?.looksScanned).toBe(false);
    expect((await inspect(await pdfBytes({ text: 'Co chu', image: makePng(32, 32) })))?.looksScanned).toBe(false);
  });

  it('flags a big scan whose content streams span several windows', async () => {
    const doc = await makePdf({ image: makePng(1200, 1200, true) });
    const second = await doc.embedPng(makePng(900, 900, true));
    doc.addPage([595, 842]).drawImage(second, { x: 0, y: 0, width: 595, height: 842 });
    const bytes = Buffer.from(await doc.save());
    expect(bytes.length).toBeGreaterThan(2_000_000);
    expect((await inspect(bytes))?.looksScanned).toBe(true);
  });

  it('finds the text of a later page after a big picture, with fonts in uncompressed objects too', async () => {
    const doc = await makePdf({ image: makePng(1200, 1200, true) });
    doc.addPage([595, 842]).drawText('Trang 2 co chu', { x: 50, y: 700 });
    expect((await inspect(Buffer.from(await doc.save({ useObjectStreams: false }))))?.looksScanned).toBe(false);
    expect((await inspect(Buffer.from(await doc.save())))?.looksScanned).toBe(false);
  });

  it('does not judge other kinds of file', async () => {
    expect(await inspect(makePng())).toMatchObject({ looksScanned: false, signed: false });
  });
});

describe('document numbers with a letter, "số văn bản a, b"', () => {
  it.each([
    ['12a/KH-UBND', true],
    ['15b/QĐ-UBND', true],
    ['Số 15b/QĐ-UBND', true],
    ['07 c/BC-UBND', true],
    ['12A/KH-UBND', true],
    ['12/KH-UBND', false],
    ['123/2024/QĐ-UBND', false],
    ['01/2024/TT-BNV', false],
    ['KH12a/UBND', false],
    ['', false],
  ])('%s → %s', (number, expected) => {
    expect(hasLetterSuffix(number)).toBe(expected);
  });
});

describe('the local store', () => {
  it('keeps one copy per content and sweeps only old orphans and stale uploads', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cchc-store-'));
    const store = new LocalEvidenceStore(root);
    const put = async (hash: string) => {
      const tmp = await store.tempPath();
      await writeFile(tmp, hash);
      await store.put(tmp, hash);
    };
    const [kept, orphan, young] = ['a', 'b', 'c'].map((c) => c.repeat(64));
    await put(kept);
    await put(kept);
    await put(orphan);
    await put(young);
    expect(await store.has(kept)).toBe(true);
    expect(store.pathOf(kept)).toBe(path.join(root, 'aa', 'aa', kept));
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);

    const old = new Date(Date.now() - sweepGraceMs - 60_000);
    const staleTemp = await store.tempPath();
    const liveTemp = await store.tempPath();
    await writeFile(staleTemp, 'dead upload');
    await writeFile(liveTemp, 'running upload');
    for (const file of [store.pathOf(kept), store.pathOf(orphan), staleTemp]) await utimes(file, old, old);
    await mkdir(path.join(root, 'zz'), { recursive: true }); // not a hash folder: left alone

    const result = await store.sweep(async (hashes) => new Set(hashes.filter((h) => h === kept)));
    expect(result).toEqual({ removed: 1, staleTemps: 1 });
    expect(await store.has(kept)).toBe(true);
    expect(await store.has(orphan)).toBe(false);
    expect(await store.has(young)).toBe(true); // unreferenced but young: its row may be about to commit
    expect(await readdir(path.join(root, 'tmp'))).toEqual([path.basename(liveTemp)]);
  });
});
