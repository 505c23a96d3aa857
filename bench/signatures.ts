// `npm run bench -- --only signatures` (issue 19): the CPU time and peak memory of verifying the signatures of a 20 MB
// signed PDF, as an upload does (inspection, then verification), against the bound of 200 ms of CPU. A test CA
// made here signs the file (RSA-2048, SHA-256, with an RFC 3161 timestamp token); each measurement runs in a fresh
// child process (this file with `--worker`), so that its peak RSS is the verification's alone, not the generator's.
// Writes bench/results-signatures.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectFile } from '../src/features/evidence/inspect.ts';
import { anchorSet, judgeSignature, verifyPdfSignatures } from '../src/features/evidence/signatures.ts';
import { Report } from './report.ts';
import { mb, medP95, summarize } from './stats.ts';

const mb1 = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The bound: a 20 MB PDF verified in under 200 ms of CPU. */
const cpuBoundMs = 200;
const runs = 7;

interface WorkerResult {
  /** CPU (user + system) of the verification alone: digest streamed over the ByteRange, CMS, timestamp. */
  verifyCpuMs: number;
  /** CPU of the whole upload-time path: the inspection's one pass (scan check, signature dictionaries) and verification. */
  totalCpuMs: number;
  rssBefore: number;
  /** Peak RSS once the inspection is done (before verification starts). */
  maxRssInspected: number;
  maxRss: number;
  valid: boolean;
}

async function worker(file: string, rootDer: string): Promise<void> {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const rssBefore = process.memoryUsage().rss;
  const t0 = cpu();
  const found = await inspectFile(file);
  const t1 = cpu();
  const maxRssInspected = process.resourceUsage().maxRSS * 1024;
  const facts = await verifyPdfSignatures(file, found?.signatures ?? []);
  const t2 = cpu();
  const verdict = facts.map((f) => judgeSignature(f, anchorSet([{ der: Buffer.from(rootDer, 'base64') }])));
  const result: WorkerResult = {
    verifyCpuMs: t2 - t1,
    totalCpuMs: t2 - t0,
    rssBefore,
    maxRssInspected,
    maxRss: process.resourceUsage().maxRSS * 1024,
    valid: verdict.length > 0 && verdict.every((v) => v.valid),
  };
  process.stdout.write(JSON.stringify(result));
}

/** Makes the signed file, measures it `runs` times in fresh processes, prints and writes the results; the exit code. */
export async function benchSignatures(): Promise<number> {
  const { caSignedPdfWith, makeTestCa } = await import('../test/helpers/signing.ts');
  const { makePdf, makePng } = await import('../test/helpers/evidence.ts');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cchc-bench-signatures-'));
  try {
    console.log('making a test CA and a 20 MB signed PDF (three pages of incompressible pictures under typed text)');
    const ca = await makeTestCa();
    const doc = await makePdf({
      text: 'Bao cao ket qua CCHC nam 2026 so 45/BC-UBND',
      image: makePng(2200, 2200, true),
    });
    for (let i = 0; i < 2; i++) {
      const page = doc.addPage([595, 842]);
      page.drawImage(await doc.embedPng(makePng(2200, 2200, true)), { x: 0, y: 0, width: 595, height: 842 });
    }
    const pdf = await caSignedPdfWith(doc, {
      signer: ca.signer,
      chain: [ca.intermediate],
      timestamp: { tsa: ca.tsa, chain: [ca.intermediate], genTime: new Date() },
    });
    const file = path.join(dir, 'signed.pdf');
    writeFileSync(file, pdf);
    const size = statSync(file).size;
    console.log(`signed PDF: ${mb1(size)}; verifying it ${runs} times, each in a fresh process`);
    const results: WorkerResult[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--worker', file, ca.root.der.toString('base64')],
        { encoding: 'utf8', maxBuffer: 1024 * 1024 },
      );
      results.push(JSON.parse(out) as WorkerResult);
    }
    if (!results.every((r) => r.valid)) throw new Error('the benchmark file did not verify as valid');
    const verify = summarize(results.map((r) => r.verifyCpuMs));
    const total = summarize(results.map((r) => r.totalCpuMs));
    const growth = summarize(results.map((r) => r.maxRss - r.rssBefore));
    // What verification adds to the peak the inspection already reached (0 when it stays below it).
    const verifyGrowth = summarize(results.map((r) => r.maxRss - r.maxRssInspected));
    const peak = summarize(results.map((r) => r.maxRss));
    const report = new Report();
    report.context.push(
      `${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}, Node ${process.version}; file ${mb1(size)} (3 pages, RSA-2048 SHA-256 signature with an RFC 3161 timestamp token, chain root → intermediate → signer).`,
      `${runs} runs, each in a fresh process; CPU is process.cpuUsage() (user + system) around the step; memory is the process's peak RSS (resourceUsage().maxRSS) and its growth over the RSS before the step.`,
    );
    report.add(
      '19',
      'signature verification CPU (digest streamed over the ByteRange, CMS, timestamp), median / p95',
      medP95(verify),
      `bound ${cpuBoundMs} ms`,
      `${(verify.median / cpuBoundMs).toFixed(2)}×`,
    );
    report.add(
      '19',
      'inspection + verification CPU (what an upload spends), median / p95',
      medP95(total),
      `bound ${cpuBoundMs} ms`,
      `${(total.median / cpuBoundMs).toFixed(2)}×`,
    );
    report.add(
      '19',
      'peak RSS growth while inspecting and verifying, median / max',
      `${mb1(growth.median)} / ${mb1(growth.max)}`,
      `file ${mb1(size)}`,
      `${(growth.max / size).toFixed(2)}× the file`,
    );
    report.add(
      '19',
      'peak RSS added by verification over the inspection’s, median / max',
      `${mb1(verifyGrowth.median)} / ${mb1(verifyGrowth.max)}`,
      `file ${mb1(size)}`,
    );
    report.add('19', 'peak RSS of the process, median', mb(peak.median));
    const markdown = report.markdown('Benchmark: signature verification (issue 19)', `Total: ${runs} runs.`);
    console.log(markdown);
    writeFileSync(new URL('./results-signatures.md', import.meta.url), markdown);
    return verify.median <= cpuBoundMs ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--worker') await worker(process.argv[3], process.argv[4]);
