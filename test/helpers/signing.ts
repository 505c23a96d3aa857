import { createHash, KeyObject, sign as nodeSign, type webcrypto } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { PDFDocument } from 'pdf-lib';
import { makePdf } from './evidence.ts';

// A test certificate authority made on the spot (root, intermediate, signers), and a CMS signer for @signpdf that can
// sign with RSA or ECDSA, with SHA-1 or SHA-256, carry CRLs and ask a test timestamp authority for a token: what the
// signatures verification (src/features/evidence/signatures.ts) must tell apart. Nothing here is a fixture file.

const subtle = globalThis.crypto.subtle;
const day = 86_400_000;

export interface TestCert {
  cert: pkijs.Certificate;
  der: Buffer;
  privateKey: CryptoKey;
  nodeKey: KeyObject;
  keyType: 'rsa' | 'ec';
}

let serial = 1000;

async function keyPair(keyType: 'rsa' | 'ec'): Promise<CryptoKeyPair> {
  return (await (keyType === 'rsa'
    ? subtle.generateKey(
        { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['sign', 'verify'],
      )
    : subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']))) as CryptoKeyPair;
}

/** A distinguished name, one attribute per RDN (pkijs alone would put them all in one multi-valued RDN). */
function name(parts: { cn: string; o?: string }): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: asn1js.BaseBlock) =>
    new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), value] })] });
  const seq = new asn1js.Sequence({
    value: [
      rdn('2.5.4.6', new asn1js.PrintableString({ value: 'VN' })),
      ...(parts.o ? [rdn('2.5.4.10', new asn1js.Utf8String({ value: parts.o }))] : []),
      rdn('2.5.4.3', new asn1js.Utf8String({ value: parts.cn })),
    ],
  });
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(seq.toBER(false)).result });
}

/** A certificate: self-signed when `issuer` is absent; a CA when `ca`. */
export async function makeCert(opts: {
  cn: string;
  o?: string;
  issuer?: TestCert;
  ca?: boolean;
  keyType?: 'rsa' | 'ec';
  notBefore?: Date;
  notAfter?: Date;
}): Promise<TestCert> {
  const keyType = opts.keyType ?? 'rsa';
  const keys = await keyPair(keyType);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial++ });
  const subject = name(opts);
  cert.subject = subject;
  cert.issuer = opts.issuer ? opts.issuer.cert.subject : subject;
  cert.notBefore.value = opts.notBefore ?? new Date(Date.now() - 400 * day);
  cert.notAfter.value = opts.notAfter ?? new Date(Date.now() + 365 * day);
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: Boolean(opts.ca) }).toSchema().toBER(false),
    }),
  ];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  await cert.sign(opts.issuer ? opts.issuer.privateKey : keys.privateKey, 'SHA-256');
  const der = Buffer.from(cert.toSchema(true).toBER(false));
  return {
    cert: new pkijs.Certificate({ schema: asn1js.fromBER(der).result }),
    der,
    privateKey: keys.privateKey,
    nodeKey: KeyObject.from(keys.privateKey as unknown as webcrypto.CryptoKey),
    keyType,
  };
}

/** A CRL of `issuer` listing `revoked` as revoked a day ago. */
export async function makeCrl(issuer: TestCert, revoked: TestCert[]): Promise<pkijs.CertificateRevocationList> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuer.cert.subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: new Date(Date.now() - day) });
  crl.revokedCertificates = revoked.map(
    (r) =>
      new pkijs.RevokedCertificate({
        userCertificate: r.cert.serialNumber,
        revocationDate: new pkijs.Time({ type: 0, value: new Date(Date.now() - day) }),
      }),
  );
  await crl.sign(issuer.privateKey, 'SHA-256');
  return new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(crl.toSchema(true).toBER(false)).result });
}

/** A test CA: a root, an intermediate under it, and the signers seed 003's cases need. */
export interface TestCa {
  root: TestCert;
  intermediate: TestCert;
  signer: TestCert;
  expired: TestCert;
  revoked: TestCert;
  ecdsa: TestCert;
  tsa: TestCert;
  otherRoot: TestCert;
  stranger: TestCert;
}

export async function makeTestCa(): Promise<TestCa> {
  const root = await makeCert({
    cn: 'Test Root CA (Ban Co yeu thu nghiem)',
    ca: true,
    notBefore: new Date(Date.now() - 3000 * day),
  });
  const intermediate = await makeCert({
    cn: 'Test Public CA',
    o: 'CA thử nghiệm',
    issuer: root,
    ca: true,
    notBefore: new Date(Date.now() - 2000 * day),
  });
  const signer = await makeCert({ cn: 'Nguyễn Văn A', o: 'UBND xã B', issuer: intermediate });
  const expired = await makeCert({
    cn: 'Trần Thị C',
    o: 'UBND xã B',
    issuer: intermediate,
    notBefore: new Date(Date.now() - 1200 * day),
    notAfter: new Date(Date.now() - 800 * day),
  });
  const revoked = await makeCert({ cn: 'Lê Văn D', o: 'UBND xã B', issuer: intermediate });
  const ecdsa = await makeCert({ cn: 'Phạm Thị E', o: 'UBND phường F', issuer: intermediate, keyType: 'ec' });
  const tsa = await makeCert({ cn: 'Test TSA', issuer: intermediate });
  const otherRoot = await makeCert({ cn: 'Unknown Root', ca: true });
  const stranger = await makeCert({ cn: 'Người Lạ', o: 'Không rõ', issuer: otherRoot });
  return { root, intermediate, signer, expired, revoked, ecdsa, tsa, otherRoot, stranger };
}

// ---------------------------------------------------------------------------------------------------------------
// CMS

const hashOid: Record<string, string> = { sha1: '1.3.14.3.2.26', sha256: '2.16.840.1.101.3.4.2.1' };
const sigOid = (key: 'rsa' | 'ec', hash: string) =>
  key === 'rsa'
    ? { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11' }[hash]!
    : { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2' }[hash]!;

function algorithm(id: string, withNull: boolean): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({
    algorithmId: id,
    ...(withNull ? { algorithmParams: new asn1js.Null() } : {}),
  });
}

/** A SignedData over `digest` of content that is detached (PDF) or encapsulated (`eContent`, a timestamp's TSTInfo). */
function signedData(opts: {
  signer: TestCert;
  chain: TestCert[];
  hash: string;
  digest: Buffer;
  contentType: string;
  eContent?: Buffer;
  signingTime?: Date;
  crls?: pkijs.CertificateRevocationList[];
  unsigned?: (signature: Buffer) => pkijs.Attribute[];
}): Buffer {
  const attrs = [
    new pkijs.Attribute({
      type: '1.2.840.113549.1.9.3',
      values: [new asn1js.ObjectIdentifier({ value: opts.contentType })],
    }),
    ...(opts.signingTime
      ? [
          new pkijs.Attribute({
            type: '1.2.840.113549.1.9.5',
            values: [new asn1js.UTCTime({ valueDate: opts.signingTime })],
          }),
        ]
      : []),
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: opts.digest })] }),
  ];
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs });
  const toSign = Buffer.from(new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }).toBER(false));
  const signature = nodeSign(opts.hash, toSign, opts.signer.nodeKey);
  const info = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: opts.signer.cert.issuer,
      serialNumber: opts.signer.cert.serialNumber,
    }),
    digestAlgorithm: algorithm(hashOid[opts.hash], true),
    signedAttrs,
    signatureAlgorithm: algorithm(sigOid(opts.signer.keyType, opts.hash), opts.signer.keyType === 'rsa'),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const unsigned = opts.unsigned?.(signature);
  if (unsigned?.length) info.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: unsigned });
  const sd = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [algorithm(hashOid[opts.hash], true)],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: opts.contentType,
      ...(opts.eContent ? { eContent: new asn1js.OctetString({ valueHex: opts.eContent }) } : {}),
    }),
    certificates: [opts.signer, ...opts.chain].map((c) => c.cert),
    signerInfos: [info],
  });
  if (opts.crls?.length) sd.crls = opts.crls;
  return Buffer.from(
    new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) }).toSchema().toBER(false),
  );
}

/** An RFC 3161 token from the test TSA over a signature value, stating `genTime`. */
function timestampToken(tsa: TestCert, chain: TestCert[], signature: Buffer, genTime: Date): asn1js.BaseBlock {
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '1.2.3.4.1',
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: algorithm(hashOid.sha256, true),
      hashedMessage: new asn1js.OctetString({ valueHex: createHash('sha256').update(signature).digest() }),
    }),
    serialNumber: new asn1js.Integer({ value: serial++ }),
    genTime,
  });
  const content = Buffer.from(tst.toSchema().toBER(false));
  const der = signedData({
    signer: tsa,
    chain,
    hash: 'sha256',
    digest: createHash('sha256').update(content).digest(),
    contentType: '1.2.840.113549.1.9.16.1.4',
    eContent: content,
  });
  return asn1js.fromBER(der).result as asn1js.BaseBlock;
}

export interface SignOptions {
  signer: TestCert;
  /** The certificates carried besides the signer's (usually the intermediate, sometimes the root). */
  chain: TestCert[];
  hash?: 'sha1' | 'sha256';
  crls?: pkijs.CertificateRevocationList[];
  /** Ask the test TSA for a token stating this time. */
  timestamp?: { tsa: TestCert; chain: TestCert[]; genTime: Date };
  /** The signed signingTime attribute (default: now). */
  signingTime?: Date;
}

export class TestSigner extends Signer {
  private readonly opts: SignOptions;

  constructor(opts: SignOptions) {
    super();
    this.opts = opts;
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const hash = this.opts.hash ?? 'sha256';
    const ts = this.opts.timestamp;
    return signedData({
      signer: this.opts.signer,
      chain: this.opts.chain,
      hash,
      digest: createHash(hash).update(pdfBuffer).digest(),
      contentType: '1.2.840.113549.1.7.1',
      signingTime: this.opts.signingTime ?? new Date(),
      crls: this.opts.crls,
      unsigned: ts
        ? (signature) => [
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.16.2.14',
              values: [timestampToken(ts.tsa, ts.chain, signature, ts.genTime)],
            }),
          ]
        : undefined,
    });
  }
}

/** A one-page PDF signed with the test CA (a full save with the placeholder, as most signing tools make it). */
export async function caSignedPdf(opts: SignOptions & { text?: string }): Promise<Buffer> {
  return caSignedPdfWith(await makePdf({ text: opts.text ?? 'Ke hoach so 12/KH-UBND' }), opts);
}

/** A PDF made by the caller, signed with the test CA. */
export async function caSignedPdfWith(doc: PDFDocument, opts: SignOptions): Promise<Buffer> {
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: 'Ky duyet',
    contactInfo: '',
    name: '',
    location: 'Truc Ninh',
    signatureLength: 16384,
  });
  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  return Buffer.from(await new SignPdf().sign(bytes, new TestSigner(opts)));
}

/** Signs an already signed PDF once more, as an incremental update that leaves the first signature's bytes as they are. */
export async function signAgain(pdf: Buffer, opts: SignOptions): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: 'Ky phe duyet',
    contactInfo: '',
    name: '',
    location: 'Truc Ninh',
    signatureLength: 16384,
  });
  return Buffer.from(await new SignPdf().sign(withPlaceholder, new TestSigner(opts)));
}

/** An incremental update that replaces page 1's content after signing: what a forger appends. */
export function appendChangedContent(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const size = Number(/\/Size\s+(\d+)/g.exec(text.slice(text.lastIndexOf('trailer')))?.[1] ?? '100');
  const stream = 'BT /F1 14 Tf 50 780 Td (Ke hoach so 99/KH-UBND) Tj ET';
  const update = `\n${size} 0 obj\n<< /Length ${stream.length} >>\nstream\n${stream}\nendstream\nendobj\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}
