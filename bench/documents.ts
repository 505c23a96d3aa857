// Figure 12 (issue 18): every council document of the national publication, built as the council's download routes
// build them (src/features/documents/): the decision's appendix (DOCX and XLSX), the results report (DOCX), and
// every unit's appraisal minutes (DOCX) streamed into one ZIP that goes to a sink counting its bytes, one unit at a
// time. Timed per document; RSS sampled every 20 ms against the RSS just before, beside the targets below.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { MikroORM } from '@mikro-orm/postgresql';
import { buildAppendixDocx, buildAppendixXlsx } from '../src/features/documents/appendix.ts';
import { buildMinutesDocx, unitMinutes } from '../src/features/documents/minutes.ts';
import { buildResultsReportDocx, loadReportFacts } from '../src/features/documents/results-report.ts';
import { documentSource } from '../src/features/documents/source.ts';
import { zipStream } from '../src/features/documents/zip.ts';
import type { Report } from './report.ts';
import { int, kb, mb, ms, sec } from './stats.ts';

/**
 * Targets (set here; the issue names none): every document of a national publication within 3 minutes on this
 * machine, so that the secretariat waits for them as for a large download; and memory bounded like issue 12's
 * uploads, the peak at most 300 MB above the RSS before, whatever the number of units.
 */
const targetMs = 180_000;
const targetGrowth = 300 * 1024 * 1024;

export async function measureDocuments(
  orm: MikroORM,
  code: string,
  report: Report,
  log: (line: string) => void,
): Promise<void> {
  const em = orm.em.fork();
  const source = await documentSource(em, code);
  if (!source) throw new Error(`${code} has no publication`);
  const units = source.doc.units.length;
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const rows: string[][] = [];
  const timed = async (name: string, build: () => Promise<number>) => {
    const t = performance.now();
    const bytes = await build();
    const took = performance.now() - t;
    rows.push([name, sec(took), kb(bytes), mb(peak)]);
    log(`${name}: ${sec(took)}, ${kb(bytes)}`);
    return took;
  };
  let total = 0;
  let minutesMs = 0;
  /** Within the minutes: reading them (SQL, 200 units a batch), building each DOCX; criteria listed in all. */
  let readMs = 0;
  let buildMs = 0;
  let differences = 0;
  try {
    total += await timed('appendix (DOCX)', async () => (await buildAppendixDocx(source)).length);
    total += await timed('appendix (XLSX)', async () => (await buildAppendixXlsx(source)).length);
    total += await timed(
      'results report (DOCX)',
      async () => (await buildResultsReportDocx(source, await loadReportFacts(orm.em.fork(), source))).length,
    );
    minutesMs = await timed(`appraisal minutes of ${int(units)} units (DOCX each, one ZIP, streamed)`, async () => {
      let bytes = 0;
      let done = 0;
      const fork = orm.em.fork();
      async function* entries() {
        const read = unitMinutes(fork, source!);
        for (;;) {
          const r0 = performance.now();
          const next = await read.next();
          readMs += performance.now() - r0;
          if (next.done) return;
          const b0 = performance.now();
          const data = await buildMinutesDocx(source!, next.value);
          buildMs += performance.now() - b0;
          differences += next.value.differences.length;
          yield { name: `${next.value.code}.docx`, data };
          if (++done % 500 === 0) log(`  … minutes: ${done}/${units}`);
        }
      }
      await pipeline(
        Readable.from(zipStream(entries(), new Date(source.pub.publishedAt))),
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            bytes += chunk.length;
            callback();
          },
        }),
      );
      return bytes;
    });
    total += minutesMs;
  } finally {
    clearInterval(sampler);
  }
  const growth = peak - before;
  report.add(
    '12',
    `every council document of the national publication (${int(units)} units): appendix DOCX + XLSX, results report, ${int(units)} appraisal minutes in one ZIP, streamed (table 12)`,
    `${sec(total)} (minutes ${ms(minutesMs / units)} per unit: reading ${ms(readMs / units)}, DOCX ${ms(buildMs / units)}, the rest writing the ZIP; ${int(differences / units)} changed criteria per unit on average)`,
    `target (set with issue 18's figure): < ${sec(targetMs)}`,
    total < targetMs ? 'within' : 'NOT within',
  );
  report.add(
    '12',
    '… peak RSS while building them (sampled every 20 ms), above the RSS just before',
    `${mb(peak)} (+${mb(growth)})`,
    `before: ${mb(before)}; bound: before + ${mb(targetGrowth)}; process maxRSS so far (resourceUsage): ${mb(process.resourceUsage().maxRSS * 1024)}`,
    growth < targetGrowth ? 'within' : 'NOT within',
  );
  report.section(
    '12. Council documents of the national publication',
    ['document', 'time', 'size', 'RSS peak so far'],
    rows,
    'Built with the same feature functions as the council’s download routes, from the frozen publication; the ZIP goes to a sink that counts its bytes (a download), one unit’s minutes in memory at a time, read 200 units per batch.',
  );
}
