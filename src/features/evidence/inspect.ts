import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInflate, type Inflate } from 'node:zlib';
import { signerCommonName, type FoundSignature } from './signatures.ts';

/*
 * What an evidence file is, read from its bytes on disk, never from its name or the browser's word: the media type
 * from magic bytes (and, for Office files, the ZIP's central directory), and for PDFs the checks seed 003's appraisers
 * apply. Files are read in bounded windows (a few MB at most in memory), so a 20 MB upload is never held whole.
 */

export const mediaTypes = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpeg: 'image/jpeg',
  png: 'image/png',
} as const;
export type EvidenceKind = keyof typeof mediaTypes;

/** Extensions that claim a kind: a file whose name claims one kind and whose content is another is refused. */
export const kindOfExtension: Record<string, EvidenceKind> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
};

/** Opens in the browser (PDF, images) rather than downloading (Office files). */
export const inlineKinds: readonly EvidenceKind[] = ['pdf', 'jpeg', 'png'];

export function kindOfMediaType(mediaType: string): EvidenceKind | null {
  return (Object.keys(mediaTypes) as EvidenceKind[]).find((k) => mediaTypes[k] === mediaType) ?? null;
}

export interface PdfChecks {
  /** A signature dictionary with a ByteRange and a non-empty PKCS#7/CMS blob. Not cryptographically verified. */
  signed: boolean;
  /** `/Name` of the signature dictionary, else the CN of the signing certificate; several signers joined. */
  signer: string | null;
  /** Whether the last signature's ByteRange reaches the end of the file; null when unsigned. */
  signatureCoversWhole: boolean | null;
  looksScanned: boolean;
  /** The signature dictionaries with their CMS blobs, for `verifyPdfSignatures`. */
  signatures: FoundSignature[];
}

export interface Inspection extends PdfChecks {
  kind: EvidenceKind;
  mediaType: string;
}

/**
 * Seed 003's "số văn bản a, b": digits directly followed by one letter before the slash (`12a/KH-UBND`,
 * `15 b/QĐ-UBND`), the mark of a number inserted after the register was closed, usually back-dated.
 */
export function hasLetterSuffix(documentNumber: string): boolean {
  return /(?:^|[^\p{L}\p{N}])\d+\s?\p{L}\s*\//u.test(documentNumber.normalize('NFC'));
}

/** The kind and, for a PDF, its checks; null for anything the portal does not take. */
export async function inspectFile(file: string): Promise<Inspection | null> {
  const handle = await open(file, 'r');
  let kind: EvidenceKind | null;
  let size: number;
  try {
    size = (await handle.stat()).size;
    kind = await sniff(handle, size);
  } finally {
    await handle.close();
  }
  if (!kind) return null;
  const checks =
    kind === 'pdf'
      ? await inspectPdf(file, size)
      : { signed: false, signer: null, signatureCoversWhole: null, looksScanned: false, signatures: [] };
  return { kind, mediaType: mediaTypes[kind], ...checks };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await handle.read(buf, 0, buf.length, position);
  return buf.subarray(0, bytesRead);
}

// ---------------------------------------------------------------------------------------------------------------
// Media type

const pngMagic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function sniff(handle: FileHandle, size: number): Promise<EvidenceKind | null> {
  const head = await readAt(handle, 0, 1024);
  if (head.length < 8) return null;
  // The PDF specification lets readers accept the header anywhere in the first 1024 bytes; some producers prepend junk.
  if (head.indexOf('%PDF-') !== -1) return 'pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(pngMagic)) return 'png';
  if (head.readUInt32LE(0) === 0x04034b50) return officeKind(await zipEntryNames(handle, size));
  return null;
}

function officeKind(names: string[] | null): EvidenceKind | null {
  if (!names?.includes('[Content_Types].xml')) return null;
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  return null;
}

const maxCentralDirectory = 4 * 1024 * 1024;

/**
 * The entry names from a ZIP's central directory: the end record sits in the last 64 KB, and it points at the
 * directory. Only the directory is read, never the entries. ZIP64 is not supported (no Office file under the size
 * limit needs it); a malformed archive gives null.
 */
async function zipEntryNames(handle: FileHandle, size: number): Promise<string[] | null> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff || dirSize > maxCentralDirectory || dirOffset + dirSize > size)
    return null;
  const dir = await readAt(handle, dirOffset, dirSize);
  const names: string[] = [];
  let pos = 0;
  for (let n = 0; n < count; n++) {
    if (pos + 46 > dir.length || dir.readUInt32LE(pos) !== 0x02014b50) return null;
    const nameLength = dir.readUInt16LE(pos + 28);
    const extraLength = dir.readUInt16LE(pos + 30);
    const commentLength = dir.readUInt16LE(pos + 32);
    names.push(dir.toString('utf8', pos + 46, pos + 46 + nameLength));
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

/**
 * One pass over the raw file in 1 MB windows. Outside streams it looks at the object syntax (signature ByteRanges,
 * stream dictionaries, encryption); the streams that can hold page content (page contents, form XObjects, object
 * streams) are inflated on the fly and scanned for text-showing operators and font resources. Image data, fonts,
 * ICC profiles and the like are skipped unread. Inflated output is capped, so a compression bomb costs nothing.
 *
 * "Looks scanned" is: the file has raster images (image XObjects or inline images) and no page content shows any
 * text (no `Tj`/`TJ`/`'`/`"` after a string, which is what a text layer consists of; a scan has only `Do` of its
 * images). When some content could not be read (an unsupported filter, the cap), a font resource anywhere counts as
 * a text layer instead, so that doubt never raises the flag. Encrypted files are not judged. An OCR'd scan (an
 * invisible text layer over the image) has text and is not flagged; a file mixing typed and scanned pages is not
 * flagged either: the check is per file, not per page.
 */
export async function inspectPdf(file: string, size: number): Promise<PdfChecks> {
  const scan = new PdfScan();
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) await scan.push(chunk as Buffer);
  await scan.finish();
  const looksScanned = !scan.encrypted && scan.hasImage && !scan.hasTextShow && (!scan.undecoded || !scan.hasFont);
  const handle = await open(file, 'r');
  try {
    return { ...(await signatureChecks(handle, size, scan.byteRanges)), looksScanned };
  } finally {
    await handle.close();
  }
}

/** Text outside streams kept from one window to the next, so that a token cut by a window edge is still seen. */
const outsideCarry = 4096;
const maxInflated = 128 * 1024 * 1024;

const streamKeyword = Buffer.from('stream');
const endstreamKeyword = Buffer.from('endstream');

interface StreamPlan {
  /** Inflate the data (FlateDecode), pass it through (no filter), or skip it. */
  mode: 'inflate' | 'plain' | 'skip';
}

class PdfScan {
  byteRanges = new Map<string, [number, number, number, number]>();
  hasImage = false;
  hasFont = false;
  hasTextShow = false;
  encrypted = false;
  /** Some stream that may hold page content could not be read. */
  undecoded = false;

  private pending = Buffer.alloc(0);
  private inStream: StreamPlan | null = null;
  private inflater: Inflate | null = null;
  private inflaterDone: Promise<void> | null = null;
  private contentTail = '';
  private inflated = 0;

  async push(chunk: Buffer): Promise<void> {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let i = 0;
    for (;;) {
      if (this.inStream) {
        const end = buf.indexOf(endstreamKeyword, i);
        if (end === -1) {
          // Keep enough to recognise `endstream` cut by the window edge.
          const upto = Math.max(i, buf.length - endstreamKeyword.length);
          await this.streamData(buf.subarray(i, upto));
          buf = buf.subarray(upto);
          break;
        }
        await this.streamData(buf.subarray(i, end));
        await this.endStream();
        i = end + endstreamKeyword.length;
        continue;
      }
      const start = this.findStreamStart(buf, i);
      if (start === null) {
        this.outside(buf.toString('latin1', i));
        buf = buf.subarray(Math.max(i, buf.length - outsideCarry));
        break;
      }
      const before = buf.toString('latin1', i, start.keywordAt);
      this.outside(before);
      if (start.dataAt > buf.length) {
        // The keyword's line end is not in this window yet: look again with the next one.
        buf = buf.subarray(Math.max(i, start.keywordAt - outsideCarry));
        break;
      }
      this.beginStream(before.slice(-outsideCarry));
      i = start.dataAt;
    }
    // Copy: a subarray would pin the whole read window in memory.
    this.pending = Buffer.from(buf);
  }

  async finish(): Promise<void> {
    if (this.inStream) {
      await this.streamData(this.pending);
      await this.endStream();
    } else {
      this.outside(this.pending.toString('latin1'));
    }
    this.pending = Buffer.alloc(0);
  }

  /** The next `stream` keyword that opens a stream: right after a dictionary's `>>`, followed by a line end. */
  private findStreamStart(buf: Buffer, from: number): { keywordAt: number; dataAt: number } | null {
    let k = buf.indexOf(streamKeyword, from);
    while (k !== -1) {
      let b = k - 1;
      while (b >= from && (buf[b] === 0x20 || buf[b] === 0x0d || buf[b] === 0x0a || buf[b] === 0x09)) b--;
      if (b - 1 >= from && buf[b] === 0x3e && buf[b - 1] === 0x3e) {
        const after = k + streamKeyword.length;
        if (after >= buf.length) return { keywordAt: k, dataAt: Infinity };
        if (buf[after] === 0x0a) return { keywordAt: k, dataAt: after + 1 };
        if (buf[after] === 0x0d) {
          if (after + 1 >= buf.length) return { keywordAt: k, dataAt: Infinity };
          return { keywordAt: k, dataAt: buf[after + 1] === 0x0a ? after + 2 : after + 1 };
        }
      }
      k = buf.indexOf(streamKeyword, k + 1);
    }
    return null;
  }

  private outside(text: string): void {
    for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
      const range = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
      this.byteRanges.set(range.join(' '), range);
    }
    if (/\/Encrypt\s*(\d|<<)/.test(text)) this.encrypted = true;
    this.content(text, false);
  }

  /** Looks at the stream's own dictionary (the text since the last `obj`) to decide what to do with its data. */
  private beginStream(before: string): void {
    const objAt = before.lastIndexOf('obj');
    const dict = objAt >= 0 ? before.slice(objAt + 3) : before;
    const has = (re: RegExp) => re.test(dict);
    if (has(/\/Subtype\s*\/Image\b/)) {
      this.hasImage = true;
      this.inStream = { mode: 'skip' };
      return;
    }
    // Not page content: font programs, ICC profiles, functions, shadings, metadata, embedded files, xref streams.
    // Object streams are read: fonts live there in most PDFs since 1.5 (and their `/N` is a count, not an ICC's).
    const notContent =
      (!has(/\/Type\s*\/ObjStm\b/) && has(/\/Length[123]\b|\/N\s+\d|\/FunctionType\b|\/ShadingType\b|\/Predictor\b/)) ||
      has(/\/Type\s*\/(?:Metadata|EmbeddedFile|XRef)\b/) ||
      (has(/\/Subtype\s*\//) && !has(/\/Subtype\s*\/Form\b/));
    const filters = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict)?.[1].match(/\/[A-Za-z0-9]+/g) ?? [];
    let mode: StreamPlan['mode'] = 'skip';
    if (notContent) mode = 'skip';
    else if (filters.length === 0) mode = 'plain';
    else if (filters.length === 1 && (filters[0] === '/FlateDecode' || filters[0] === '/Fl')) mode = 'inflate';
    else this.undecoded = true;
    if (mode === 'inflate' && (this.hasTextShow || this.inflated >= maxInflated)) {
      if (!this.hasTextShow) this.undecoded = true;
      mode = 'skip';
    }
    this.inStream = { mode };
    this.contentTail = '';
    if (mode === 'inflate') this.startInflater();
  }

  private startInflater(): void {
    const inflater = createInflate();
    this.inflater = inflater;
    this.inflaterDone = new Promise((resolve) => {
      inflater.on('data', (out: Buffer) => {
        this.inflated += out.length;
        this.contentChunk(out);
        if (this.inflated >= maxInflated && !this.hasTextShow) {
          this.undecoded = true;
          inflater.destroy();
        }
      });
      // A damaged stream ends the reading of that stream only: what was inflated so far still counts.
      inflater.on('error', () => resolve());
      inflater.on('end', () => resolve());
      inflater.on('close', () => resolve());
    });
  }

  private async streamData(data: Buffer): Promise<void> {
    if (!this.inStream || !data.length) return;
    if (this.inStream.mode === 'plain') this.contentChunk(data);
    else if (this.inStream.mode === 'inflate' && this.inflater && !this.inflater.destroyed) {
      if (!this.inflater.write(data)) {
        const inflater = this.inflater;
        await new Promise<void>((resolve) => {
          inflater.once('drain', resolve);
          inflater.once('close', resolve);
        });
      }
    }
  }

  private async endStream(): Promise<void> {
    if (this.inflater) {
      if (!this.inflater.destroyed) this.inflater.end();
      await this.inflaterDone;
      this.inflater = null;
      this.inflaterDone = null;
    }
    this.inStream = null;
  }

  private contentChunk(data: Buffer): void {
    const text = this.contentTail + data.toString('latin1');
    this.content(text, true);
    this.contentTail = text.slice(-32);
  }

  private content(text: string, inStream: boolean): void {
    if (!this.hasFont && /\/Font(?![A-Za-z0-9])/.test(text)) this.hasFont = true;
    if (!inStream) return;
    // A text-showing operator follows its string operand: `(…) Tj`, `[…] TJ`, `<…> Tj`, `(…) '`, `… (…) "`.
    if (!this.hasTextShow && /[)\]>]\s*(?:T[jJ]|['"])(?![A-Za-z0-9_])/.test(text)) this.hasTextShow = true;
    if (!this.hasImage && /(?:^|\s)BI\s+\/[A-Za-z]/.test(text)) this.hasImage = true;
  }
}

/** Bytes that may follow a signed revision without changing the document (a trailing line end, padding). */
const maxIgnorableTail = 64;
const maxSignatureBlob = 2 * 1024 * 1024;
const dictContext = 8192;

async function signatureChecks(
  handle: FileHandle,
  size: number,
  ranges: Map<string, [number, number, number, number]>,
): Promise<Omit<PdfChecks, 'looksScanned'>> {
  const found: { end: number; name: string | null }[] = [];
  const dictionaries: FoundSignature[] = [];
  for (const [a, b, c, d] of ranges.values()) {
    if (a !== 0 || b <= 0 || c <= b || d < 0 || c + d > size || c - b > maxSignatureBlob) continue;
    const before = (await readAt(handle, Math.max(0, b - dictContext), Math.min(b, dictContext))).toString('latin1');
    const after = (await readAt(handle, c, Math.min(dictContext, size - c))).toString('latin1');
    const dict = `${before.slice(before.lastIndexOf('obj') + 1)} ${after.slice(0, after.includes('endobj') ? after.indexOf('endobj') : after.length)}`;
    if (!/\/Type\s*\/Sig\b|\/SubFilter\s*\/(?:adbe\.pkcs7|ETSI\.CAdES)/.test(dict)) continue;
    const blob = hexBlob((await readAt(handle, b, c - b)).toString('latin1'));
    if (!blob) continue;
    found.push({ end: c + d, name: pdfStringAfter(dict, '/Name') || signerCommonName(blob) });
    dictionaries.push({ range: [a, b, c, d], blob, dictionaryTime: pdfDateAfter(dict, '/M') });
  }
  if (!found.length) return { signed: false, signer: null, signatureCoversWhole: null, signatures: [] };
  const last = Math.max(...found.map((s) => s.end));
  const tail = size - last <= maxIgnorableTail ? await readAt(handle, last, size - last) : null;
  const coversWhole = tail !== null && /^[\s\0]*$/.test(tail.toString('latin1'));
  const names = [...new Set(found.map((s) => s.name).filter((n): n is string => !!n))];
  return {
    signed: true,
    signer: names.length ? names.join('; ').slice(0, 255) : null,
    signatureCoversWhole: coversWhole,
    signatures: dictionaries,
  };
}

/** The DER inside `<…>` of a signature's Contents, or null for a placeholder (all zeros) or anything else. */
function hexBlob(gap: string): Buffer | null {
  const m = /^\s*<([0-9A-Fa-f\s]*)>\s*$/.exec(gap);
  if (!m) return null;
  const hex = m[1].replace(/\s+/g, '');
  const bytes = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
  return bytes[0] === 0x30 && bytes.some((x, i) => i > 0 && x !== 0) ? bytes : null;
}

/** A PDF string value following a key, literal `(…)` or hex `<…>`; a name object (`/Name /X`) does not count. */
export function pdfStringAfter(dict: string, key: string): string | null {
  const at = new RegExp(`${key.replace('/', '\\/')}\\s*([(<])(?!<)`).exec(dict);
  if (!at) return null;
  const start = at.index + at[0].length;
  let bytes: number[] = [];
  if (at[1] === '<') {
    const end = dict.indexOf('>', start);
    if (end < 0) return null;
    bytes = [...Buffer.from(dict.slice(start, end).replace(/\s+/g, ''), 'hex')];
  } else {
    let depth = 1;
    const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
    for (let i = start; i < dict.length; i++) {
      const ch = dict[i];
      if (ch === '\\') {
        const next = dict[++i];
        if (next === undefined) break;
        if (next in escapes) bytes.push(escapes[next]);
        else if (/[0-7]/.test(next)) {
          const oct = /^[0-7]{1,3}/.exec(dict.slice(i))![0];
          bytes.push(parseInt(oct, 8) & 0xff);
          i += oct.length - 1;
        } else if (next === '\r' || next === '\n') {
          if (next === '\r' && dict[i + 1] === '\n') i++;
        } else bytes.push(next.charCodeAt(0));
        continue;
      }
      if (ch === '(') depth++;
      if (ch === ')' && --depth === 0) break;
      bytes.push(ch.charCodeAt(0));
    }
  }
  const text = decodePdfText(Buffer.from(bytes))
    .replace(/[\0-\x1f]+/g, ' ')
    .trim();
  return text || null;
}

/** UTF-16BE with its byte order mark, UTF-8 (PDF 2.0, and many Vietnamese tools anyway), else PDFDocEncoding ≈ Latin-1. */
function decodePdfText(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const utf8 = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(utf8).normalize('NFC');
  } catch {
    return bytes.toString('latin1');
  }
}

/** A PDF date (`D:20260610091200+07'00'`) after a key, as an ISO instant; null when absent or malformed. */
export function pdfDateAfter(dict: string, key: string): string | null {
  const text = pdfStringAfter(dict, key);
  const m = text && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(text);
  if (!m) return null;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5) || '00'}`;
  const iso = `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${zone}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
