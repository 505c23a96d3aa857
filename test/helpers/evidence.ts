import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';

// Evidence files made on the spot, so that the tests ship no binary fixtures.

/** A greyscale PNG; `noise` makes its pixels random, so that it does not compress (a big file on purpose). */
export function makePng(width = 8, height = 8, noise = false): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (grey) and the rest stay 0
  const rows = noise ? randomBytes((width + 1) * height) : Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // each row's filter byte: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF: typed text (a text layer, as an e-document has) and/or a picture (what a scanner makes). */
export async function makePdf(
  opts: { text?: string; image?: Buffer } = { text: 'Ke hoach so 12/KH-UBND' },
): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  if (opts.image) page.drawImage(await doc.embedPng(opts.image), { x: 0, y: 0, width: 595, height: 842 });
  if (opts.text)
    page.drawText(opts.text, { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc;
}

export async function pdfBytes(opts?: { text?: string; image?: Buffer }): Promise<Buffer> {
  return Buffer.from(await (await makePdf(opts)).save());
}

/** A PDF whose only page is a picture. */
export const scannedPdf = (size = 64) => pdfBytes({ image: makePng(size, size) });

/** A throw-away self-signed certificate in a P12, as a commune's digital-signature token would hold. */
export function makeP12(commonName: string, passphrase = 'test'): Buffer {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a1b2c3d';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  // forge encodes a UTF8String value itself: it takes the plain JavaScript string.
  const attrs = [
    { name: 'commonName', value: commonName, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
    { name: 'countryName', value: 'VN' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

/** Signs a PDF with the P12; `name` goes into the signature dictionary's /Name ('' leaves only the certificate's CN). */
export async function signedPdf(p12: Buffer, name: string, doc?: PDFDocument, passphrase = 'test'): Promise<Buffer> {
  const pdfDoc = doc ?? (await makePdf());
  pdflibAddPlaceholder({ pdfDoc, reason: 'Ky duyet', contactInfo: '', name, location: 'Truc Ninh' });
  // The signature dictionary must be a plain object in the file: its /Contents is found by byte offset.
  const bytes = Buffer.from(await pdfDoc.save({ useObjectStreams: false }));
  return Buffer.from(await new SignPdf().sign(bytes, new P12Signer(p12, { passphrase })));
}

/** A ZIP archive with stored (uncompressed) entries: enough to make DOCX and XLSX look-alikes and plain ZIPs. */
export function makeZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    // The local header and the central directory entry share a run of fields, two bytes further on in the latter.
    const header = (size: number, signature: number, sharedAt: number) => {
      const b = Buffer.alloc(size);
      b.writeUInt32LE(signature, 0);
      b.writeUInt16LE(20, 4);
      b.writeUInt32LE(crc, sharedAt);
      b.writeUInt32LE(data.length, sharedAt + 4);
      b.writeUInt32LE(data.length, sharedAt + 8);
      b.writeUInt16LE(nameBytes.length, sharedAt + 12);
      return b;
    };
    const local = header(30, 0x04034b50, 14);
    const central = header(46, 0x02014b50, 16);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const contentTypes =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
export const makeDocx = () => makeZip({ '[Content_Types].xml': contentTypes, 'word/document.xml': '<w:document/>' });
export const makeXlsx = () => makeZip({ '[Content_Types].xml': contentTypes, 'xl/workbook.xml': '<workbook/>' });
