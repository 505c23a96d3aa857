import {
  constants,
  createHash,
  publicDecrypt,
  verify as verifySignature,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/*
 * PDF signatures verified, not just detected (issue 19). Two steps:
 *
 * 1. `verifyPdfSignatures` (once per distinct file content, stored with it): for each signature dictionary, the CMS
 *    blob is decoded with pkijs/asn1js; the bytes its ByteRange names are streamed from disk into a hash (never held
 *    whole), compared with the signed `messageDigest`, and the signature value is checked with the signer's
 *    certificate by Node's crypto (RSA PKCS#1 v1.5 and ECDSA; SHA-1/256/384/512). The signing time comes from an RFC
 *    3161 timestamp token when one is present and verifies, else from the signed `signingTime` attribute, else from
 *    the dictionary's /M. What was appended after each signature's revision is classified (a later signature, form
 *    filling and annotations, or anything else, which counts as changed content). The certificates and CRLs the
 *    signature carries are kept (and a timestamp's), so that trust can be judged again without the file.
 * 2. `judgeSignature` (whenever the result is shown): the chain is built from the signer's certificate through the
 *    carried certificates to one of the trust anchors the secretariat uploaded (none by default), each link's
 *    signature checked; the signer's certificate must be valid at the signing time; a carried CRL, signed by the
 *    certificate's issuer, that lists it revokes it. A timestamp's time counts only when its TSA chains to an anchor
 *    too (else the time the signer claimed stands). Trust therefore follows the secretariat's list at once.
 */

export type TimeSource = 'timestamp' | 'attribute' | 'dictionary';
/** What was added to the file after a signature's revision. */
export type LaterChange = 'none' | 'signature' | 'form' | 'content';

/** What one signature is, as read from the file: stored (JSON) with the file's SHA-256. */
export interface SignatureFacts {
  range: [number, number, number, number];
  /** The CMS blob could be decoded and its signer found. */
  readable: boolean;
  /** Node's name of the digest algorithm ('sha256'), or null when unknown. */
  digestAlgorithm: string | null;
  /** The signature algorithm is one this portal checks (RSA PKCS#1 v1.5, ECDSA). */
  supported: boolean;
  /** The bytes the ByteRange names hash to the signed message digest. */
  digestMatches: boolean;
  /** The signature value verifies with the signer certificate's public key. */
  signatureValid: boolean;
  /** SHA-1 anywhere in the signature. */
  weak: boolean;
  signerName: string | null;
  signerOrganisation: string | null;
  /** ISO instant. */
  signingTime: string | null;
  timeSource: TimeSource | null;
  /** An RFC 3161 timestamp token: null when there is none. */
  timestamp: 'valid' | 'invalid' | null;
  /** The time the signer claimed (signed attribute, else /M) and its source: what counts when the timestamp does not. */
  claimedTime: string | null;
  claimedTimeSource: TimeSource | null;
  /** Base64 DER of the certificates a valid timestamp token carries, the TSA's first: its chain is judged too. */
  timestampCertificates: string[];
  /** Base64 DER: the signer's certificate first, then the others the CMS carries. */
  certificates: string[];
  /** Base64 DER of the CRLs the CMS carries. */
  crls: string[];
  later: LaterChange;
}

/** Problems a signature can have, in the order they are told. */
export const signatureProblems = [
  'unreadable',
  'algorithm',
  'digest',
  'signature',
  'changed',
  'revoked',
  'expired',
  'notYetValid',
  'untrusted',
  'timestamp',
  'weak',
] as const;
export type SignatureProblem = (typeof signatureProblems)[number];

/** A signature as it is judged now, against the current trust anchors. */
export interface SignatureVerdict {
  valid: boolean;
  problems: SignatureProblem[];
  signerName: string | null;
  signerOrganisation: string | null;
  signingTime: Date | null;
  timeSource: TimeSource | null;
  later: LaterChange;
}

// ---------------------------------------------------------------------------------------------------------------
// Object identifiers

const digestOids: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms: the hash they imply (null: the signer info's digest algorithm), for RSA and ECDSA. */
const signatureOids: Record<string, { key: 'rsa' | 'ec'; hash: string | null }> = {
  '1.2.840.113549.1.1.1': { key: 'rsa', hash: null },
  '1.2.840.113549.1.1.5': { key: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { key: 'rsa', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
  '1.2.840.10045.2.1': { key: 'ec', hash: null },
  '1.2.840.10045.4.1': { key: 'ec', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { key: 'ec', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
};
const oid = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timestampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
  organisationalUnit: '2.5.4.11',
};

// ---------------------------------------------------------------------------------------------------------------
// Step 1: the facts, from the file

/** A signature dictionary found by the inspection: its ByteRange and the /M date, if any. */
export interface FoundSignature {
  range: [number, number, number, number];
  /** The CMS blob (DER) from /Contents. */
  blob: Buffer;
  /** /M of the dictionary, ISO; the weakest source of a signing time. */
  dictionaryTime: string | null;
}

/** Bytes that may follow a signed revision without changing the document (a trailing line end, padding). */
const maxIgnorableTail = 64;
/** What is appended after a revision is read for classification up to this size; more is "changed content". */
const maxLaterScan = 4 * 1024 * 1024;

/** Signatures verified per file at most. */
const maxSignatures = 10;

/** Verifies every signature of a PDF already inspected (`found` from its signature dictionaries). */
export async function verifyPdfSignatures(file: string, found: FoundSignature[]): Promise<SignatureFacts[]> {
  const out: SignatureFacts[] = [];
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const inOrder = [...found].sort((a, b) => a.range[2] + a.range[3] - (b.range[2] + b.range[3]));
    // Each signature streams the file once: a file claiming hundreds is verified for its first ones only (what was
    // appended after the last of them, other signatures included, is still classified).
    for (const sig of inOrder.slice(0, maxSignatures)) {
      // A blob no library can make sense of is an unreadable signature, never an error of the upload.
      const facts = await verifyOne(file, sig).catch(() => emptyFacts(sig));
      facts.later = await laterChange(handle, size, sig.range[2] + sig.range[3]);
      out.push(facts);
    }
  } finally {
    await handle.close();
  }
  return out;
}

function emptyFacts(sig: FoundSignature): SignatureFacts {
  return {
    range: sig.range,
    readable: false,
    digestAlgorithm: null,
    supported: false,
    digestMatches: false,
    signatureValid: false,
    weak: false,
    signerName: null,
    signerOrganisation: null,
    signingTime: sig.dictionaryTime,
    timeSource: sig.dictionaryTime ? 'dictionary' : null,
    timestamp: null,
    claimedTime: sig.dictionaryTime,
    claimedTimeSource: sig.dictionaryTime ? 'dictionary' : null,
    timestampCertificates: [],
    certificates: [],
    crls: [],
    later: 'none',
  };
}

interface Decoded {
  signedData: pkijs.SignedData;
  signer: pkijs.SignerInfo;
  cert: pkijs.Certificate | null;
}

function decodeSignedData(der: Uint8Array): Decoded | null {
  try {
    const asn = asn1js.fromBER(der);
    if (asn.offset === -1) return null;
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== oid.signedData) return null;
    const signedData = new pkijs.SignedData({ schema: info.content });
    const signer = signedData.signerInfos[0];
    if (!signer) return null;
    return { signedData, signer, cert: signerCertificate(signedData, signer) };
  } catch {
    return null;
  }
}

function signerCertificate(sd: pkijs.SignedData, si: pkijs.SignerInfo): pkijs.Certificate | null {
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = si.sid as unknown;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const exact = certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
    if (exact) return exact;
    // Some signers (node-forge among them) encode the issuer's name differently in the identifier than in the
    // certificate: the serial alone, when only one carried certificate has it. The signature check decides anyway.
    const bySerial = certs.filter((c) => c.serialNumber.isEqual(sid.serialNumber));
    return bySerial.length === 1 ? bySerial[0] : null;
  }
  // subjectKeyIdentifier [0]: compared with each certificate's SKI extension.
  if (sid instanceof asn1js.Primitive || sid instanceof asn1js.Constructed) {
    const want = Buffer.from(
      sid instanceof asn1js.Primitive ? sid.valueBlock.valueHexView : new Uint8Array(sid.valueBeforeDecodeView),
    ).toString('hex');
    return (
      certs.find((c) => {
        const ski = c.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue as asn1js.OctetString | undefined;
        return ski && want.endsWith(Buffer.from(ski.valueBlock.valueHexView).toString('hex'));
      }) ?? null
    );
  }
  return null;
}

/** The CN of the certificate that made a CMS signature (matched by its signer identifier), else null. */
export function signerCommonName(der: Buffer): string | null {
  const d = decodeSignedData(der);
  return d?.cert ? nameParts(d.cert).name : null;
}

const derOf = (cert: pkijs.Certificate | pkijs.CertificateRevocationList) =>
  Buffer.from(cert.toSchema(false).toBER(false));

function attribute(attrs: pkijs.SignedAndUnsignedAttributes | undefined, type: string): unknown {
  return attrs?.attributes.find((a) => a.type === type)?.values[0];
}

function nameParts(cert: pkijs.Certificate): { name: string | null; organisation: string | null } {
  const value = (type: string) => {
    const tv = cert.subject.typesAndValues.find((x) => x.type === type);
    const text = tv ? String((tv.value.valueBlock as { value?: unknown }).value ?? '').trim() : '';
    return text ? text.normalize('NFC').slice(0, 255) : null;
  };
  return { name: value(oid.commonName), organisation: value(oid.organisation) ?? value(oid.organisationalUnit) };
}

/** Node's public key of a pkijs certificate, or null when Node cannot read it. */
function publicKeyOf(cert: pkijs.Certificate): KeyObject | null {
  try {
    return new X509Certificate(derOf(cert)).publicKey;
  } catch {
    return null;
  }
}

/**
 * The signer info's own checks: the signed attributes' message digest against `contentDigest` (made with the signer
 * info's digest algorithm), and the signature over the signed attributes with the certificate's key.
 */
function checkSignerInfo(
  d: Decoded,
  contentDigest: (algorithm: string) => Promise<Buffer> | Buffer,
): Promise<{
  digestAlgorithm: string | null;
  supported: boolean;
  digestMatches: boolean;
  valid: boolean;
  weak: boolean;
}> {
  return (async () => {
    const si = d.signer;
    const digestAlgorithm = digestOids[si.digestAlgorithm.algorithmId] ?? null;
    const sigAlg = signatureOids[si.signatureAlgorithm.algorithmId];
    const hash = sigAlg?.hash ?? digestAlgorithm;
    const weak = digestAlgorithm === 'sha1' || hash === 'sha1';
    const supported = Boolean(digestAlgorithm && sigAlg && hash);
    if (!supported || !digestAlgorithm || !hash)
      return { digestAlgorithm, supported, digestMatches: false, valid: false, weak };
    const digest = await contentDigest(digestAlgorithm);
    const key = d.cert ? publicKeyOf(d.cert) : null;
    const signature = Buffer.from(si.signature.valueBlock.valueHexView);
    if (!si.signedAttrs) {
      // No signed attributes (old adbe.pkcs7.detached): the signature is over the content itself. The digest is all
      // there is to compare: an RSA signature's DigestInfo holds it.
      const valid = Boolean(key && verifyRawDigest(key, digest, signature));
      return { digestAlgorithm, supported, digestMatches: valid, valid, weak };
    }
    const md = attribute(si.signedAttrs, oid.messageDigest) as asn1js.OctetString | undefined;
    const digestMatches = Boolean(md && Buffer.from(md.valueBlock.valueHexView).equals(digest));
    let valid = false;
    if (key) {
      try {
        valid = verifySignature(hash, Buffer.from(si.signedAttrs.encodedValue), key, signature);
      } catch {
        valid = false;
      }
    }
    return { digestAlgorithm, supported, digestMatches, valid, weak };
  })();
}

/** An RSA signature over a precomputed digest: the DigestInfo recovered with the public key ends in the digest. */
function verifyRawDigest(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  if (key.asymmetricKeyType !== 'rsa') return false;
  try {
    // publicDecrypt undoes PKCS#1 v1.5 type 1 padding: what is left is the DigestInfo.
    const info = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return info.length >= digest.length && info.subarray(info.length - digest.length).equals(digest);
  } catch {
    return false;
  }
}

/** The hash of a file's bytes in `ranges`, streamed in 1 MB windows. */
async function hashRanges(file: string, algorithm: string, ranges: [number, number][]): Promise<Buffer> {
  const hash = createHash(algorithm);
  for (const [start, length] of ranges) {
    if (length <= 0) continue;
    for await (const chunk of createReadStream(file, {
      start,
      end: start + length - 1,
      highWaterMark: 1024 * 1024,
    }))
      hash.update(chunk as Buffer);
  }
  return hash.digest();
}

async function verifyOne(file: string, sig: FoundSignature): Promise<SignatureFacts> {
  const facts = emptyFacts(sig);
  const d = decodeSignedData(sig.blob);
  if (!d) return facts;
  facts.readable = d.cert !== null;
  const [a, b, c, len] = sig.range;
  const checked = await checkSignerInfo(d, (algorithm) =>
    hashRanges(file, algorithm, [
      [a, b],
      [c, len],
    ]),
  );
  facts.digestAlgorithm = checked.digestAlgorithm;
  facts.supported = checked.supported;
  facts.digestMatches = checked.digestMatches;
  facts.signatureValid = checked.valid;
  facts.weak = checked.weak;
  if (d.cert) {
    const { name, organisation } = nameParts(d.cert);
    facts.signerName = name;
    facts.signerOrganisation = organisation;
  }
  const certs = (d.signedData.certificates ?? []).filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate);
  facts.certificates = [...(d.cert ? [d.cert] : []), ...certs.filter((x) => x !== d.cert)].map((x) =>
    derOf(x).toString('base64'),
  );
  facts.crls = (d.signedData.crls ?? [])
    .filter((x): x is pkijs.CertificateRevocationList => x instanceof pkijs.CertificateRevocationList)
    .map((x) => derOf(x).toString('base64'));
  const attrTime = attribute(d.signer.signedAttrs, oid.signingTime);
  if (attrTime) {
    try {
      const time = new pkijs.Time({ schema: attrTime });
      facts.signingTime = time.value.toISOString();
      facts.timeSource = 'attribute';
      facts.claimedTime = facts.signingTime;
      facts.claimedTimeSource = 'attribute';
    } catch {
      // A malformed signingTime: the dictionary's /M stays.
    }
  }
  const token = attribute(d.signer.unsignedAttrs, oid.timestampToken);
  if (token) {
    const stamp = await verifyTimestamp(
      token as asn1js.AsnType,
      Buffer.from(d.signer.signature.valueBlock.valueHexView),
    );
    facts.timestamp = stamp ? 'valid' : 'invalid';
    if (stamp) {
      facts.signingTime = stamp.genTime.toISOString();
      facts.timeSource = 'timestamp';
      facts.timestampCertificates = stamp.certificates;
    }
  }
  return facts;
}

/**
 * An RFC 3161 timestamp token over a signature value: its TSTInfo's message imprint must be the hash of the value,
 * and the token's own signature must verify with the TSA's certificate it carries. The time it states and the
 * certificates it carries (the TSA's first, for the chain to be judged), or null.
 */
async function verifyTimestamp(
  token: asn1js.AsnType,
  signatureValue: Buffer,
): Promise<{ genTime: Date; certificates: string[] } | null> {
  try {
    const d = decodeSignedData(new Uint8Array((token as asn1js.BaseBlock).toBER(false)));
    if (!d || d.signedData.encapContentInfo.eContentType !== oid.tstInfo) return null;
    const eContent = d.signedData.encapContentInfo.eContent;
    if (!eContent) return null;
    const content = Buffer.from(eContent.getValue());
    const tst = new pkijs.TSTInfo({ schema: asn1js.fromBER(content).result });
    const imprintHash = digestOids[tst.messageImprint.hashAlgorithm.algorithmId];
    if (!imprintHash) return null;
    const imprint = createHash(imprintHash).update(signatureValue).digest();
    if (!imprint.equals(Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView))) return null;
    const checked = await checkSignerInfo(d, (algorithm) => createHash(algorithm).update(content).digest());
    if (!checked.digestMatches || !checked.valid || !d.cert) return null;
    const others = (d.signedData.certificates ?? []).filter(
      (x): x is pkijs.Certificate => x instanceof pkijs.Certificate && x !== d.cert,
    );
    return { genTime: tst.genTime, certificates: [d.cert, ...others].map((x) => derOf(x).toString('base64')) };
  } catch {
    return null;
  }
}

/**
 * What was appended after a revision ending at `end`. Each object of the appended part is classified by its
 * dictionary: signature dictionaries, signature fields and document security stores make a later signature; form
 * fields, widget annotations, appearance streams (form XObjects) and their fonts, the catalog, pages (whose /Annots
 * grow) and cross-reference data make form filling; anything else (a new content stream, an image, an object of no
 * known kind) is changed content. An appended part over 4 MB is taken as changed content unread.
 */
async function laterChange(handle: FileHandle, size: number, end: number): Promise<LaterChange> {
  const length = size - end;
  if (length <= maxIgnorableTail) {
    const tail = Buffer.alloc(Math.max(0, length));
    await handle.read(tail, 0, tail.length, end);
    if (/^[\s\0]*$/.test(tail.toString('latin1'))) return 'none';
  }
  if (length > maxLaterScan) return 'content';
  const buf = Buffer.alloc(length);
  await handle.read(buf, 0, length, end);
  return classifyAppended(buf.toString('latin1'));
}

export function classifyAppended(text: string): LaterChange {
  let kind: LaterChange = 'none';
  const raise = (k: LaterChange) => {
    const order: LaterChange[] = ['none', 'form', 'signature', 'content'];
    if (order.indexOf(k) > order.indexOf(kind)) kind = k;
  };
  // Stream data is removed first: only dictionaries are judged.
  const withoutStreams = text.replace(/stream\r?\n[\s\S]*?endstream/g, 'stream endstream');
  const objects = [...withoutStreams.matchAll(/\d+\s+\d+\s+obj\b([\s\S]*?)endobj/g)].map((m) => m[1]);
  const rest = withoutStreams.replace(/\d+\s+\d+\s+obj\b[\s\S]*?endobj/g, '');
  // Outside objects only the cross-reference table, the trailer and comments may appear.
  const leftover = rest
    .replace(/(?<![a-z])xref\b[\s\S]*?(?=trailer|startxref|$)/g, '')
    .replace(/trailer\s*<<[\s\S]*?>>/g, '')
    .replace(/startxref\s*\d+/g, '')
    .replace(/%[^\r\n]*/g, '')
    .trim();
  if (leftover) return 'content';
  for (const body of objects) {
    const has = (re: RegExp) => re.test(body);
    const isStream = has(/stream endstream/);
    if (has(/\/Type\s*\/Sig\b|\/FT\s*\/Sig\b|\/Type\s*\/DSS\b|\/Type\s*\/DocTimeStamp\b|\/Type\s*\/VRI\b/))
      raise('signature');
    else if (isStream) {
      if (has(/\/Subtype\s*\/Form\b|\/Type\s*\/XRef\b|\/Type\s*\/Metadata\b|\/Length1\b|\/Subtype\s*\/Type1C\b/))
        raise('form');
      else return 'content';
    } else if (
      has(
        /\/FT\s*\/(?:Tx|Btn|Ch)\b|\/Subtype\s*\/Widget\b|\/Type\s*\/(?:Catalog|Page|Pages|Annot|Font|FontDescriptor|Encoding)\b|\/Fields\s*\[|\/DR\s*<</,
      )
    )
      raise('form');
    else return 'content';
  }
  return kind;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 2: the judgement, against the trust anchors

/** A trust anchor as the secretariat uploaded it (DER). */
export interface TrustAnchor {
  der: Buffer;
}

const parseCert = (der: Buffer | string): X509Certificate | null => {
  try {
    return new X509Certificate(typeof der === 'string' ? Buffer.from(der, 'base64') : der);
  } catch {
    return null;
  }
};

/** Parsed trust anchors, to judge many signatures with one list. */
export function anchorSet(anchors: TrustAnchor[]): X509Certificate[] {
  return anchors.map((a) => parseCert(a.der)).filter((c): c is X509Certificate => c !== null);
}

const issuedBy = (child: X509Certificate, issuer: X509Certificate) => {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
};

const validAt = (cert: X509Certificate, at: Date) =>
  cert.validFromDate.getTime() <= at.getTime() && at.getTime() <= cert.validToDate.getTime();

export function judgeSignature(
  facts: SignatureFacts,
  anchors: X509Certificate[],
  now: Date = new Date(),
): SignatureVerdict {
  const problems = new Set<SignatureProblem>();
  // A timestamp counts only from a TSA whose chain leads to a trust anchor and whose certificate was valid then;
  // otherwise the time the signer claimed stands (as older facts without these fields have it).
  let signingTime = facts.signingTime ? new Date(facts.signingTime) : null;
  let timeSource = facts.timeSource;
  if (facts.timeSource === 'timestamp' && signingTime) {
    const tsa = facts.timestampCertificates?.map((c) => parseCert(c)).filter((c): c is X509Certificate => !!c) ?? [];
    const { trusted, chain } = tsa.length ? chainOf(tsa[0], tsa, anchors) : { trusted: false, chain: [] };
    if (!trusted || !chain.every((c) => validAt(c, signingTime!))) {
      signingTime = facts.claimedTime ? new Date(facts.claimedTime) : null;
      timeSource = facts.claimedTimeSource ?? null;
    }
  }
  const verdict = (): SignatureVerdict => {
    const list = signatureProblems.filter((p) => problems.has(p));
    return {
      // SHA-1 is told, but a signature made with it is not by that alone invalid.
      valid: list.every((p) => p === 'weak'),
      problems: list,
      signerName: facts.signerName,
      signerOrganisation: facts.signerOrganisation,
      signingTime,
      timeSource,
      later: facts.later,
    };
  };
  if (!facts.readable) {
    problems.add('unreadable');
    return verdict();
  }
  if (!facts.supported) problems.add('algorithm');
  else {
    if (!facts.digestMatches) problems.add('digest');
    if (!facts.signatureValid) problems.add('signature');
  }
  if (facts.later === 'content') problems.add('changed');
  if (facts.weak) problems.add('weak');
  if (facts.timestamp === 'invalid') problems.add('timestamp');
  const certs = facts.certificates.map((c) => parseCert(c));
  const signer = certs[0];
  if (!signer) {
    problems.add('unreadable');
    return verdict();
  }
  const at = signingTime ?? now;
  if (at.getTime() < signer.validFromDate.getTime()) problems.add('notYetValid');
  else if (at.getTime() > signer.validToDate.getTime()) problems.add('expired');
  // The chain: from the signer up through the carried certificates to an anchor; each link's signature checked.
  const carried = certs.filter((c): c is X509Certificate => c !== null);
  const { trusted, chain } = chainOf(signer, carried, anchors);
  if (!trusted) problems.add('untrusted');
  // Issuing certificates must have been valid at the signing time too.
  if (!problems.has('expired') && !problems.has('notYetValid') && chain.slice(1).some((c) => !validAt(c, at)))
    problems.add('expired');
  if (isRevoked(signer, chain[1] ?? anchors.find((t) => issuedBy(signer, t)) ?? null, facts.crls, at))
    problems.add('revoked');
  return verdict();
}

/** The chain from `leaf` up through the carried certificates, each link's signature checked, and whether it reaches an anchor. */
function chainOf(
  leaf: X509Certificate,
  carried: X509Certificate[],
  anchors: X509Certificate[],
): { trusted: boolean; chain: X509Certificate[] } {
  const chain: X509Certificate[] = [leaf];
  for (let depth = 0; depth < 10; depth++) {
    const current = chain[chain.length - 1];
    if (anchors.some((t) => t.fingerprint256 === current.fingerprint256 || issuedBy(current, t)))
      return { trusted: true, chain };
    const next = carried.find((c) => !chain.includes(c) && issuedBy(current, c));
    if (!next) break;
    chain.push(next);
  }
  return { trusted: false, chain };
}

/** Whether a carried CRL, signed by the signer certificate's issuer, lists it as revoked at or before `at`. */
function isRevoked(signer: X509Certificate, issuer: X509Certificate | null, crls: string[], at: Date): boolean {
  if (!issuer || !crls.length) return false;
  const serial = signer.serialNumber.toUpperCase().replace(/^0+(?=.)/, '');
  for (const b64 of crls) {
    try {
      const crl = new pkijs.CertificateRevocationList({
        schema: asn1js.fromBER(Buffer.from(b64, 'base64')).result,
      });
      const tbs = Buffer.from(crl.tbsView);
      const sigAlg = signatureOids[crl.signatureAlgorithm.algorithmId];
      if (!sigAlg?.hash) continue;
      const ok = verifySignature(
        sigAlg.hash,
        tbs,
        issuer.publicKey,
        Buffer.from(crl.signatureValue.valueBlock.valueHexView),
      );
      if (!ok) continue;
      for (const r of crl.revokedCertificates ?? []) {
        const s = Buffer.from(r.userCertificate.valueBlock.valueHexView)
          .toString('hex')
          .toUpperCase()
          .replace(/^0+(?=.)/, '');
        if (s === serial && r.revocationDate.value.getTime() <= at.getTime()) return true;
      }
    } catch {
      // An unreadable CRL says nothing.
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Trust anchors as uploaded

export interface AnchorInfo {
  der: Buffer;
  sha256: string;
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  ca: boolean;
}

/**
 * A certificate file as uploaded: PEM (one or more certificates), or DER (.cer, .crt, .der). Every certificate found,
 * or null when the bytes are no certificate.
 */
export function readCertificates(bytes: Buffer): AnchorInfo[] | null {
  const text = bytes.toString('latin1');
  const pems = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    Buffer.from(m[1].replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'),
  );
  const ders = pems.length ? pems : [bytes];
  const out: AnchorInfo[] = [];
  for (const der of ders) {
    const cert = parseCert(der);
    if (!cert) return null;
    const raw = cert.raw;
    out.push({
      der: raw,
      sha256: createHash('sha256').update(raw).digest('hex'),
      subject: oneLine(cert.subject),
      issuer: oneLine(cert.issuer),
      validFrom: cert.validFromDate,
      validTo: cert.validToDate,
      ca: cert.ca,
    });
  }
  return out.length ? out : null;
}

/** Node's multi-line distinguished name as one line, most specific first (CN=…, O=…, C=VN). */
function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).reverse().join(', ').slice(0, 1000);
}
