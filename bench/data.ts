// The benchmark's data set, generated reproducibly with set-based SQL (`insert … select … from generate_series`).
//
// Randomness is a counter-based PRNG in SQL: bench_u(key, stream) = hashint8extended(key, seed + stream) scaled to
// [0, 1). Every choice is a pure function of (seed, unit number, criterion id, stream), so the same seed gives the same
// rows whatever the order or chunking of the inserts. On top of the demo district (seedDemoIfEmpty: agencies, the
// demo criteria set, demo users) a data set of a given shape (`DataSetShape`: code prefixes, kinds of unit, blocks,
// its own criteria set or the demo one) adds, `<p>` being its campaign prefix and `<u>` its unit prefix:
//   - `units` units (<u>0001 …) under a province, of the shape's kinds (with their blocks, if any);
//   - campaign <p>-<year> in appraisal and <p>-<year-1> known by component points, as below.
// The national data set (`nationalShape`, generated first) is the one the figures 2–9 use:
//   - `units` communes (bx-0001 …) under a province;
//   - campaign bench-<year> in appraisal: every unit submitted, every leaf self-scored (answers valid under each
//     criterion's scoring rule, with explanations), evidence records, appraisal items (≈30 % accepted, 5 % adjusted
//     with a reason, the rest to do; appraiser-kind criteria decided by their agency), audit events, survey tallies;
//   - campaign bench-<year-1> known by component points only (published later as an imported past year, so that the
//     public campaign page shows the change of rank and index);
//   - campaign bench-open-<year> in self-assessment for unit bx-0001 with nothing scored yet;
//   - the users the benchmark signs in as.
// The province's data sets (`provinceCommunes`, `provinceDepartments`) live beside it in the same database: 170
// communes and wards in two blocks on the same criteria set, and 20 departments on a criteria set of their own.
import pg from 'pg';
import { format } from '../src/domain/decimal.ts';
import { declaredScore, ruleOf } from '../src/domain/declared.ts';
import { addDays } from '../src/domain/dates.ts';
import { quickReasons } from '../src/features/appraisal/decide.ts';

/** A kind of unit the data set is made of: its share of the units, the word its names start with, its block. */
export interface UnitKindShare {
  kind: string;
  /** Names are `<prefix><two syllables>` unless the shape gives fixed names. */
  prefix: string;
  share: number;
  /** The campaign block (khối) of units of this kind; null in a campaign without blocks. */
  block: string | null;
}

/** What one generated data set is made of; several live in one database, apart by their code prefixes. */
export interface DataSetShape {
  /** Unit codes are `<unitPrefix>0001` …; the prefixes of the data sets in one database must not overlap. */
  unitPrefix: string;
  /** Campaign codes are `<campaignPrefix>-<year>` and `<campaignPrefix>-<year-1>`. */
  campaignPrefix: string;
  campaignName: string;
  province: { code: string; name: string };
  /** The kinds of unit in order; a unit takes the first whose cumulative share its draw is below (the last takes the rest). */
  kinds: UnitKindShare[];
  /** Fixed unit names in order (a department's), instead of generated ones. */
  names?: string[];
  /** A copy of the demo criteria set under this name for this data set alone; by default the demo set itself. */
  ownCriteriaSet?: string;
  /** Only the national data set: the benchmark's users and campaign <campaignPrefix>-open-<year>. */
  benchUsers: boolean;
  /** Added to the seed, so that data sets of one run do not repeat each other's draws. */
  seedOffset: number;
}

export const nationalShape: DataSetShape = {
  unitPrefix: 'bx-',
  campaignPrefix: 'bench',
  campaignName: 'Chỉ số CCHC cấp xã tỉnh Bến Nghé',
  province: { code: 'bench-tinh', name: 'UBND tỉnh Bến Nghé (dữ liệu đo hiệu năng)' },
  kinds: [
    { kind: 'phường', prefix: 'Phường ', share: 0.08, block: null },
    { kind: 'thị trấn', prefix: 'Thị trấn ', share: 0.06, block: null },
    { kind: 'xã', prefix: 'Xã ', share: 1, block: null },
  ],
  benchUsers: true,
  seedOffset: 0,
};

const songLam = { code: 'pv-tinh', name: 'UBND tỉnh Sông Lam (dữ liệu đo hiệu năng)' };

/** A province after 1 July 2025: its communes and wards in two blocks, ranked apart. */
export const provinceCommunes: DataSetShape = {
  unitPrefix: 'px-',
  campaignPrefix: 'tinh-xa',
  campaignName: 'Chỉ số CCHC cấp xã tỉnh Sông Lam',
  province: songLam,
  kinds: [
    { kind: 'phường', prefix: 'Phường ', share: 0.3, block: 'Phường' },
    { kind: 'đặc khu', prefix: 'Đặc khu ', share: 0.02, block: 'Xã, đặc khu' },
    { kind: 'xã', prefix: 'Xã ', share: 1, block: 'Xã, đặc khu' },
  ],
  benchUsers: false,
  seedOffset: 1,
};

/** The same province's departments (sở, ban, ngành), in a campaign of their own on their own criteria set. */
export const provinceDepartments: DataSetShape = {
  unitPrefix: 'ps-',
  campaignPrefix: 'tinh-so',
  campaignName: 'Chỉ số CCHC các sở, ban, ngành tỉnh Sông Lam',
  province: songLam,
  kinds: [
    { kind: 'ban', prefix: 'Ban ', share: 0.1, block: null },
    { kind: 'sở', prefix: 'Sở ', share: 1, block: null },
  ],
  names: [
    'Sở Nội vụ',
    'Sở Tài chính',
    'Sở Tư pháp',
    'Sở Xây dựng',
    'Sở Nông nghiệp và Môi trường',
    'Sở Công Thương',
    'Sở Y tế',
    'Sở Giáo dục và Đào tạo',
    'Sở Khoa học và Công nghệ',
    'Sở Văn hóa, Thể thao và Du lịch',
    'Sở Dân tộc và Tôn giáo',
    'Sở Ngoại vụ',
    'Thanh tra tỉnh',
    'Văn phòng UBND tỉnh',
    'Ban Quản lý các khu công nghiệp',
    'Ban Quản lý dự án đầu tư xây dựng',
    'Đài Phát thanh và Truyền hình',
    'Trường Chính trị',
    'Văn phòng Đoàn ĐBQH và HĐND',
    'Công an tỉnh',
  ],
  ownCriteriaSet: 'Bộ tiêu chí Chỉ số CCHC các sở, ban, ngành (dữ liệu đo hiệu năng)',
  benchUsers: false,
  seedOffset: 2,
};

export interface GenerateOptions {
  units: number;
  /** Leaves wanted; the demo set has 111, more are added as plain-scored leaves spread over the fields. */
  leaves: number | null;
  seed: number;
  passwordHash: string;
  today: string;
  log: (line: string) => void;
}

/** One data set as generated: what every shape has. */
export interface DataSet {
  year: number;
  campaign: { id: number; code: string };
  previous: { id: number; code: string };
  criteriaSetId: number;
  leaves: number;
  nodes: number;
  fields: string[];
  units: number;
  /** The blocks of the campaign's units, in the order they first appear, with their sizes. */
  blocks: { name: string; units: number }[];
  agencies: { id: number; code: string; name: string; selfLeaves: number }[];
  counts: Record<string, number>;
  steps: { name: string; ms: number }[];
  totalMs: number;
}

export interface Generated {
  year: number;
  campaign: { id: number; code: string };
  previous: { id: number; code: string };
  open: { id: number; code: string };
  criteriaSetId: number;
  leaves: number;
  nodes: number;
  fields: string[];
  units: number;
  agencies: { id: number; code: string; name: string; selfLeaves: number }[];
  officer: string;
  sequentialAppraiser: { username: string; agencyId: number };
  appraisers: { username: string; agencyId: number; agencyCode: string }[];
  counts: Record<string, number>;
  steps: { name: string; ms: number }[];
  totalMs: number;
}

export const unitCode = (n: number, shape: DataSetShape = nationalShape) =>
  `${shape.unitPrefix}${String(n).padStart(4, '0')}`;
export const concurrentAppraisers = 50;

const syllables = [
  'An',
  'Bình',
  'Cát',
  'Đông',
  'Hòa',
  'Hưng',
  'Khánh',
  'Lạc',
  'Long',
  'Minh',
  'Nam',
  'Nghĩa',
  'Phú',
  'Phúc',
  'Quang',
  'Sơn',
  'Tân',
  'Thạnh',
  'Thành',
  'Thịnh',
  'Thuận',
  'Tiến',
  'Trung',
  'Trực',
  'Vĩnh',
  'Xuân',
  'Yên',
  'Đạo',
  'Hải',
  'Hồng',
  'Lợi',
  'Mỹ',
  'Ninh',
  'Phong',
  'Tường',
  'Việt',
];

const explanations = [
  'Kế hoạch số %1$s/KH-UBND ngày %2$s/01/2024 của UBND xã; kết quả thực hiện nêu tại mục %3$s, trang %4$s của Báo cáo số %1$s/BC-UBND.',
  'Đã ban hành Quyết định số %1$s/QĐ-UBND ngày %2$s/02/2024; tỷ lệ hoàn thành nêu tại mục %3$s (trang %4$s) của báo cáo kết quả CCHC năm.',
  'Báo cáo số %1$s/BC-UBND ngày %2$s/06/2024 về công tác CCHC 6 tháng; số liệu tại phụ lục %3$s, dòng %4$s; tài liệu đã ký số.',
  'Thông báo số %1$s/TB-UBND ngày %2$s/03/2024; biên bản kiểm tra kèm theo, nội dung tại mục %3$s, trang %4$s.',
  'Công văn số %1$s/UBND-VP ngày %2$s/09/2024 gửi UBND huyện; số liệu trên Hệ thống thông tin giải quyết TTHC kết xuất ngày %2$s/11/2024, trang %4$s.',
  'Nghị quyết số %1$s/NQ-ĐU ngày %2$s/01/2024 của Đảng ủy xã về lãnh đạo công tác CCHC; nội dung tại mục %3$s, trang %4$s.',
];

const chunkUnits = 250;

/** The national data set, with the benchmark's users. */
export async function generate(url: string, opts: GenerateOptions): Promise<Generated> {
  const set = await generateSet(url, opts, nationalShape);
  if (!set.extras) throw new Error('the national data set has the benchmark users');
  return { ...set, ...set.extras };
}

type Extras = Pick<Generated, 'open' | 'officer' | 'sequentialAppraiser' | 'appraisers'>;

/** One data set of the given shape; `extras` only where the shape has the benchmark's users. */
export async function generateSet(
  url: string,
  opts: GenerateOptions,
  shape: DataSetShape,
): Promise<DataSet & { extras: Extras | null }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const steps: { name: string; ms: number }[] = [];
  const started = performance.now();
  const q = async <T extends pg.QueryResultRow = Record<string, any>>(sql: string, params: unknown[] = []) =>
    (await db.query<T>(sql, params)).rows;
  async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    const value = await fn();
    const took = performance.now() - t;
    steps.push({ name, ms: took });
    opts.log(`  ${name}: ${(took / 1000).toFixed(1)} s`);
    return value;
  }
  /** Runs `fn(lo, hi)` over unit numbers in chunks, printing progress when there is more than one chunk. */
  async function chunked(name: string, fn: (lo: number, hi: number) => Promise<number>): Promise<number> {
    return step(name, async () => {
      let rows = 0;
      for (let lo = 1; lo <= opts.units; lo += chunkUnits) {
        const hi = Math.min(opts.units, lo + chunkUnits - 1);
        rows += await fn(lo, hi);
        if (opts.units > chunkUnits)
          opts.log(`    ${name}: units ${hi}/${opts.units}, ${rows.toLocaleString('en-US')} rows`);
      }
      return rows;
    });
  }

  try {
    const year = Number(opts.today.slice(0, 4));
    const [demo] = await q<{ id: number; criteria_set_id: number; precision: number; rounding: 'half-up' | 'down' }>(
      `select id, criteria_set_id, precision, rounding from campaign where code like 'truc-ninh-%' order by id limit 1`,
    );
    if (!demo) throw new Error('the demo campaign is missing (seedDemoIfEmpty first)');
    let setId = demo.criteria_set_id;
    const rules = { precision: (demo.precision === 3 ? 3 : 2) as 2 | 3, rounding: demo.rounding };

    await step('PRNG and criteria', async () => {
      await q(`create or replace function bench_u(k bigint, stream int) returns float8 language sql immutable parallel safe as
        $$ select (hashint8extended(k, ${Math.trunc(opts.seed + shape.seedOffset)}::bigint * 1000 + stream) & 9007199254740991)::float8 / 9007199254740992.0 $$`);
      if (shape.ownCriteriaSet) setId = await copyCriteriaSet(q, setId, shape.ownCriteriaSet);
      const criteria = await q<{ id: number; code: string; parent_id: number | null; position: number }>(
        'select id, code, parent_id, position from criterion where criteria_set_id = $1',
        [setId],
      );
      const parentIds = new Set(criteria.map((c) => c.parent_id));
      const leafCount = criteria.filter((c) => !parentIds.has(c.id)).length;
      const extra = opts.leaves === null ? 0 : opts.leaves - leafCount;
      if (opts.leaves !== null && extra < 0)
        opts.log(
          `  BENCH_LEAVES=${opts.leaves} is below the demo set's ${leafCount} leaves: the demo set is used as it is`,
        );
      if (extra > 0) {
        const fields = criteria.filter((c) => c.parent_id === null).sort((a, b) => Number(a.code) - Number(b.code));
        let position = Math.max(...criteria.map((c) => c.position));
        const next = new Map(
          fields.map((f) => [
            f.code,
            Math.max(0, ...criteria.filter((c) => c.parent_id === f.id).map((c) => Number(c.code.split('.')[1]))),
          ]),
        );
        const rows: { parent: number; code: string; position: number }[] = [];
        for (let i = 0; i < extra; i++) {
          const f = fields[i % fields.length]!;
          const n = next.get(f.code)! + 1;
          next.set(f.code, n);
          rows.push({ parent: f.id, code: `${f.code}.${n}`, position: ++position });
        }
        await q(
          `insert into criterion (criteria_set_id, parent_id, code, title, guidance, kind, min_score, max_score, scoring, evidence_required, agency_id, position)
           select $1, t.parent, t.code, 'Tiêu chí bổ sung ' || t.code || ': kết quả thực hiện nhiệm vụ CCHC theo kế hoạch (dữ liệu đo hiệu năng)',
                  'Hoàn thành đầy đủ, đúng hạn: tối đa 1 điểm; hoàn thành nhưng chậm: 0,5 điểm; không thực hiện: 0. Kiểm chứng: báo cáo đã ký số.',
                  'self', 0, 1, null, true, null, t.position
             from unnest($2::int[], $3::text[], $4::int[]) as t(parent, code, position)`,
          [setId, rows.map((r) => r.parent), rows.map((r) => r.code), rows.map((r) => r.position)],
        );
      }
      await q(
        `create temp table bench_leaf as
        select c.id, c.code, c.kind, c.position, c.max_score, c.min_score, c.scoring, c.evidence_required from criterion c
         where c.criteria_set_id = $1 and c.kind <> 'survey' and not exists (select 1 from criterion k where k.parent_id = c.id)`,
        [setId],
      );
      await q('alter table bench_leaf add primary key (id)');

      // Each leaf's possible answers, valid under its scoring rule, with the probability of each (cumulative lo/hi).
      const leaves = await q<{ id: number; scoring: string | null; min_score: string; max_score: string }>(
        'select id, scoring, min_score, max_score from bench_leaf',
      );
      const option = {
        id: [] as number[],
        lo: [] as number[],
        hi: [] as number[],
        score: [] as string[],
        level: [] as (string | null)[],
        achieved: [] as (number | null)[],
        total: [] as (number | null)[],
      };
      for (const leaf of leaves) {
        const l = { scoring: leaf.scoring, minScore: leaf.min_score, maxScore: leaf.max_score };
        const rule = ruleOf(l);
        const tries: { w: number; d: { score?: string; level?: string; achieved?: string; total?: string } }[] = [];
        if (rule?.kind === 'levels') {
          rule.levels.forEach((lv, i) => {
            tries.push({ w: i === 0 ? 0.75 : 0.25 / (rule.levels.length - 1), d: { level: lv.label } });
          });
        } else if (rule) {
          for (const [a, w] of [
            [100, 0.55],
            [96, 0.2],
            [88, 0.15],
            [60, 0.1],
          ] as const)
            tries.push({ w, d: { achieved: String(a), total: '100' } });
        } else if (Number(leaf.max_score) === 0 && Number(leaf.min_score) < 0) {
          tries.push({ w: 0.85, d: { score: '0' } }, { w: 0.15, d: { score: String(Number(leaf.min_score)) } });
        } else {
          const max = Number(leaf.max_score);
          tries.push(
            { w: 0.7, d: { score: String(max) } },
            { w: 0.2, d: { score: (Math.round(max * 50) / 100).toString() } },
            { w: 0.1, d: { score: '0' } },
          );
        }
        const valid = tries.flatMap((t) => {
          const out = declaredScore(l, t.d, rules);
          return out.ok ? [{ w: t.w, v: out.value }] : [];
        });
        const total = valid.reduce((s, t) => s + t.w, 0);
        let lo = 0;
        for (const t of valid) {
          option.id.push(leaf.id);
          option.lo.push(lo);
          option.hi.push(lo + t.w / total);
          option.score.push(format(t.v.score));
          option.level.push(t.v.level);
          option.achieved.push(t.v.achieved);
          option.total.push(t.v.total);
          lo += t.w / total;
        }
      }
      await q(
        `create temp table bench_option as
        select * from unnest($1::int[], $2::float8[], $3::float8[], $4::numeric[], $5::text[], $6::int[], $7::int[])
          as t(criterion_id, lo, hi, self_score, declared_level, declared_achieved, declared_total)`,
        [option.id, option.lo, option.hi, option.score, option.level, option.achieved, option.total],
      );
      await q('create index on bench_option (criterion_id, lo)');
      await q('analyze bench_leaf; analyze bench_option');
    });

    const [{ n: leafTotal }] = await q<{ n: number }>('select count(*)::int as n from bench_leaf');
    const [{ n: nodeTotal }] = await q<{ n: number }>(
      'select count(*)::int as n from criterion where criteria_set_id = $1',
      [setId],
    );
    const fields = (
      await q<{ code: string }>('select code from criterion where criteria_set_id = $1 and parent_id is null', [setId])
    )
      .map((r) => r.code)
      .sort((a, b) => Number(a) - Number(b));

    await step(`${opts.units} units`, async () => {
      // Data sets of one province share it.
      const [{ id: province }] = await q<{ id: number }>(
        `insert into unit (code, name, kind, parent_id, active, created_at) values ($1, $2, 'tỉnh', null, true, now())
         on conflict (code) do update set name = excluded.name returning id`,
        [shape.province.code, shape.province.name],
      );
      let upTo = 0;
      const kinds = shape.kinds.map((k, i) => {
        upTo = i === shape.kinds.length - 1 ? 2 : upTo + k.share;
        return { ...k, upTo };
      });
      await q(
        `insert into unit (code, name, kind, parent_id, active, created_at)
         select $5 || lpad(n::text, 4, '0'), coalesce(($8::text[])[n], k.prefix || s1 || ' ' || s2), k.kind, $2, true, now()
           from (select n, bench_u(n, 1) as r,
                        ($3::text[])[1 + floor(bench_u(n, 2) * array_length($3::text[], 1))::int] as s1,
                        ($3::text[])[1 + floor(bench_u(n, 3) * array_length($3::text[], 1))::int] as s2
                   from generate_series(1, $1::int) n) x
          cross join lateral (select t.kind, t.prefix from unnest($4::text[], $6::text[], $7::float8[]) with ordinality as t(kind, prefix, up_to, i)
                               where x.r < t.up_to order by t.i limit 1) k
          order by n`,
        [
          opts.units,
          province,
          syllables,
          kinds.map((k) => k.kind),
          shape.unitPrefix,
          kinds.map((k) => k.prefix),
          kinds.map((k) => k.upTo),
          shape.names ?? [],
        ],
      );
      await q(
        `create temp table bench_unit as select substr(code, length($1) + 1)::int as n, id as unit_id, null::int as sa_id
           from unit where starts_with(code, $1)`,
        [shape.unitPrefix],
      );
      await q('alter table bench_unit add primary key (n)');
    });

    const users = await step('campaigns, users, self-assessments', async () => {
      const dates = (offsets: number[]) => offsets.map((d) => addDays(opts.today, d));
      const organizer = shape.province.name.replace(/ \(.*\)$/, '');
      const insertCampaign = async (code: string, name: string, y: number, state: string, d: string[]) => {
        const [{ id }] = await q<{ id: number }>(
          `insert into campaign (code, name, year, organizer, decision, criteria_set_id, composition, bands, precision, rounding,
                                 self_assessment_opens, self_assessment_closes, appraisal_opens, appraisal_closes, explanation_days, publish_by,
                                 officer_may_submit, practice, state, created_at)
           select $1, $2, $3::int, $11::text, 'Kế hoạch số 88/KH-UBND ngày 15/10/' || $3::int || ' của ' || $11::text, $12::int, d.composition, d.bands,
                  d.precision, d.rounding, $4::date, $5::date, $6::date, $7::date, 3, $8::date, false, false, $9, now()
             from campaign d where d.id = $10 returning id`,
          [code, name, y, d[0], d[1], d[2], d[3], d[4], state, demo.id, organizer, setId],
        );
        return { id, code };
      };
      const campaign = await insertCampaign(
        `${shape.campaignPrefix}-${year}`,
        `${shape.campaignName} năm ${year}`,
        year,
        'appraisal',
        dates([-40, -20, -5, 10, 40]),
      );
      const previous = await insertCampaign(
        `${shape.campaignPrefix}-${year - 1}`,
        `${shape.campaignName} năm ${year - 1}`,
        year - 1,
        'council-review',
        dates([-405, -385, -370, -355, -325]),
      );
      // Units in the order of their numbers; in blocks by their kind when the shape has blocks.
      for (const c of [campaign, previous])
        await q(
          `insert into campaign_unit (campaign_id, unit_id, block)
           select $1, b.unit_id, k.block from bench_unit b join unit u on u.id = b.unit_id
             left join unnest($2::text[], $3::text[]) as k(kind, block) on k.kind = u.kind order by b.n`,
          [c.id, shape.kinds.map((k) => k.kind), shape.kinds.map((k) => k.block)],
        );
      const agencies = await q<{ id: number; code: string; name: string }>(
        'select id, code, name from agency order by id',
      );
      // The national data set's extras: the users the benchmark signs in as, and a campaign open for self-assessment.
      const benchUsers = async (): Promise<Extras> => {
        const open = await insertCampaign(
          `${shape.campaignPrefix}-open-${year}`,
          `Tự đánh giá CCHC bổ sung năm ${year} (đơn vị thử)`,
          year,
          'self-assessment',
          dates([-5, 10, 13, 17, 40]),
        );
        await q('insert into campaign_unit (campaign_id, unit_id) select $1, unit_id from bench_unit where n = 1', [
          open.id,
        ]);
        const usernames: string[] = [],
          names: string[] = [],
          roles: string[] = [],
          unitNs: (number | null)[] = [],
          agencyIds: (number | null)[] = [];
        const add = (u: string, name: string, role: string, unitN: number | null, agency: number | null) => {
          usernames.push(u);
          names.push(name);
          roles.push(role);
          unitNs.push(unitN);
          agencyIds.push(agency);
        };
        add('bench-canbo', 'Nguyễn Thị Thu Trang', 'officer', 1, null);
        add('bench-chutichxa', 'Lê Văn Bình', 'head', 1, null);
        const noiVu = agencies.find((a) => a.code === 'noi-vu') ?? agencies[0]!;
        add('bench-td-seq', 'Phạm Thị Hồng Nhung', 'appraiser', null, noiVu.id);
        const appraisers: Generated['appraisers'] = [];
        for (let i = 0; i < concurrentAppraisers; i++) {
          const a = agencies[i % agencies.length]!;
          const username = `bench-td-${String(i + 1).padStart(2, '0')}`;
          add(username, `Thẩm định viên ${i + 1}`, 'appraiser', null, a.id);
          appraisers.push({ username, agencyId: a.id, agencyCode: a.code });
        }
        await q(
          `insert into app_user (username, full_name, password_hash, active, language, created_at)
                 select u, f, $3, true, 'vi', now() from unnest($1::text[], $2::text[]) as t(u, f)`,
          [usernames, names, opts.passwordHash],
        );
        await q(
          `insert into role_assignment (user_id, role, unit_id, agency_id, created_at)
                 select u.id, t.role, b.unit_id, t.agency, now()
                   from unnest($1::text[], $2::text[], $3::int[], $4::int[]) as t(username, role, unit_n, agency)
                   join app_user u on u.username = t.username left join bench_unit b on b.n = t.unit_n`,
          [usernames, roles, unitNs, agencyIds],
        );
        const [{ id: openSa }] = await q<{ id: number }>(
          `insert into self_assessment (campaign_id, unit_id, state) select $1, unit_id, 'draft' from bench_unit where n = 1 returning id`,
          [open.id],
        );
        await q(
          `insert into criterion_score (self_assessment_id, criterion_id, not_applicable, explanation, version)
                 select $1, id, false, '', 1 from bench_leaf order by position`,
          [openSa],
        );
        return {
          open,
          officer: 'bench-canbo',
          sequentialAppraiser: { username: 'bench-td-seq', agencyId: noiVu.id },
          appraisers,
        };
      };
      const extras = shape.benchUsers ? await benchUsers() : null;
      const [{ id: head }] = await q<{ id: number }>(
        `select coalesce((select id from app_user where username = 'bench-chutichxa'), (select id from app_user where username = 'admin')) as id`,
      );
      await q(
        `insert into self_assessment (campaign_id, unit_id, state, submitted_at, submitted_by_id)
               select $1, unit_id, 'submitted', now() - interval '24 days' + bench_u(n, 20) * interval '3 days', $2 from bench_unit order by n`,
        [campaign.id, head],
      );
      await q(
        'update bench_unit b set sa_id = sa.id from self_assessment sa where sa.unit_id = b.unit_id and sa.campaign_id = $1',
        [campaign.id],
      );
      const selfLeaves = await q<{ agency_id: number; n: number }>(
        `with recursive ea(criterion_id, agency_id) as (
           select c.id, c.agency_id from criterion c where c.criteria_set_id = $1 and c.parent_id is null
           union all select c.id, coalesce(c.agency_id, ea.agency_id) from criterion c join ea on c.parent_id = ea.criterion_id)
         select ea.agency_id, count(*)::int as n from ea join bench_leaf l on l.id = ea.criterion_id where l.kind = 'self' group by ea.agency_id`,
        [setId],
      );
      return {
        campaign,
        previous,
        extras,
        agencies: agencies.map((a) => ({ ...a, selfLeaves: selfLeaves.find((s) => s.agency_id === a.id)?.n ?? 0 })),
        ids: Object.fromEntries(
          (
            await q<{ username: string; id: number }>(
              `select username, id from app_user where username in ('bench-canbo', 'thamdinh', 'admin')`,
            )
          ).map((r) => [r.username, r.id]),
        ) as Record<string, number>,
      };
    });
    const officerId = users.ids['bench-canbo'] ?? users.ids.admin!;
    const demoAppraiserId = users.ids.thamdinh ?? officerId;
    await q('analyze bench_unit');

    const key = '((b.n::bigint << 20) + l.id)';
    const counts: Record<string, number> = {};
    counts.criterion_score = await chunked(
      'criterion scores',
      async (lo, hi) =>
        (
          await db.query(
            `insert into criterion_score (self_assessment_id, criterion_id, self_score, declared_level, declared_achieved, declared_total,
                                    not_applicable, explanation, updated_by_id, updated_at, version)
       select b.sa_id, l.id, o.self_score, o.declared_level, o.declared_achieved, o.declared_total, false,
              case when l.kind = 'self' then format(($3::text[])[1 + floor(bench_u(${key}, 7) * array_length($3::text[], 1))::int],
                     1 + floor(bench_u(${key}, 8) * 250)::int, 1 + floor(bench_u(${key}, 9) * 28)::int,
                     1 + floor(bench_u(${key}, 10) * 9)::int, 1 + floor(bench_u(${key}, 11) * 40)::int) else '' end,
              case when l.kind = 'self' then $4::int end,
              case when l.kind = 'self' then now() - interval '32 days' + bench_u(${key}, 5) * interval '8 days' end,
              case when l.kind = 'self' then 2 + floor(bench_u(${key}, 6) * 3)::int else 1 end
         from bench_unit b cross join bench_leaf l
         left join lateral (select o.* from bench_option o where o.criterion_id = l.id and l.kind = 'self' and o.lo <= bench_u(${key}, 4)
                             order by o.lo desc limit 1) o on true
        where b.n between $1 and $2
        order by b.n, l.position`,
            [lo, hi, explanations, officerId],
          )
        ).rowCount ?? 0,
    );

    counts.evidence_file = await chunked(
      'evidence records',
      async (lo, hi) =>
        (
          await db.query(
            `insert into evidence_file (criterion_score_id, sha256, size, media_type, original_name, document_number, document_date, issuer,
                                  signed, signer, signature_covers_whole, looks_scanned, uploaded_by_id, uploaded_at)
       select cs.id, encode(sha256(convert_to('bench-' || cs.id || '-' || f, 'UTF8')), 'hex'), 40000 + floor(bench_u(k, 31) * 1500000)::bigint,
              case when pdf then 'application/pdf' else 'image/jpeg' end,
              case when pdf then 'Kế hoạch số ' || num || '-KH-UBND.pdf' else 'Ảnh chụp biên bản ' || num || '.jpg' end,
              num || '/KH-UBND', date '2024-01-02' + floor(bench_u(k, 33) * 300)::int, 'UBND xã',
              signed, case when signed then 'Chủ tịch UBND xã' end, case when signed then true end, pdf and bench_u(k, 35) < 0.1,
              $3, cs.updated_at
         from bench_unit b
         join criterion_score cs on cs.self_assessment_id = b.sa_id
         join bench_leaf l on l.id = cs.criterion_id
         cross join generate_series(1, 2) f
         cross join lateral (select ${key} * 4 + f as k) kk
         cross join lateral (select bench_u(k, 32) < 0.85 as pdf, (1 + floor(bench_u(k, 36) * 250)::int)::text as num) p
         cross join lateral (select pdf and bench_u(k, 34) < 0.8 as signed) s
        where b.n between $1 and $2 and l.kind = 'self' and l.evidence_required
          and bench_u(${key}, 30) < case when f = 1 then 0.85 else 0.15 end`,
            [lo, hi, officerId],
          )
        ).rowCount ?? 0,
    );

    counts.appraisal = await chunked(
      'appraisal items',
      async (lo, hi) =>
        (
          await db.query(
            `insert into appraisal (criterion_score_id, appraiser_id, appraised_score, declared_level, declared_achieved, declared_total, reason, state, updated_at, version)
       select cs.id, case when s.state = 'todo' then null else $3::int end,
              case when s.state = 'todo' then null when l.kind = 'appraiser' then ao.self_score when s.state = 'accepted' then cs.self_score else greatest(0, l.min_score) end,
              case when l.kind = 'appraiser' then ao.declared_level when s.state = 'accepted' then cs.declared_level end,
              case when l.kind = 'appraiser' then ao.declared_achieved when s.state = 'accepted' then cs.declared_achieved end,
              case when l.kind = 'appraiser' then ao.declared_total when s.state = 'accepted' then cs.declared_total end,
              case when l.kind = 'appraiser' then 'Theo số liệu theo dõi của cơ quan thẩm định.'
                   when s.state = 'adjusted' then ($4::text[])[1 + floor(bench_u(${key}, 42) * array_length($4::text[], 1))::int] else '' end,
              s.state, case when s.state <> 'todo' then now() - interval '4 days' + bench_u(${key}, 43) * interval '3 days' end,
              case when s.state = 'todo' then 1 else 2 end
         from bench_unit b
         join criterion_score cs on cs.self_assessment_id = b.sa_id
         join bench_leaf l on l.id = cs.criterion_id
         left join lateral (select o.* from bench_option o where o.criterion_id = l.id and l.kind = 'appraiser' and o.lo <= bench_u(${key}, 41)
                             order by o.lo desc limit 1) ao on true
         cross join lateral (select case when l.kind = 'appraiser' then 'adjusted' when bench_u(${key}, 40) < 0.30 then 'accepted'
                                         when bench_u(${key}, 40) < 0.35 then 'adjusted' else 'todo' end as state) s
        where b.n between $1 and $2
        order by b.n, l.position`,
            [lo, hi, demoAppraiserId, Object.values(quickReasons)],
          )
        ).rowCount ?? 0,
    );

    counts.audit_event = await chunked(
      'audit events',
      async (lo, hi) =>
        (
          await db.query(
            `insert into audit_event (at, actor_id, action, entity_type, entity_id, before, after, reason)
       select cs.updated_at, $3::int, 'criterion-score.saved', 'CriterionScore', cs.id::text, null,
              jsonb_build_object('selfScore', cs.self_score::text, 'level', cs.declared_level, 'achieved', cs.declared_achieved, 'total', cs.declared_total), null
         from bench_unit b join criterion_score cs on cs.self_assessment_id = b.sa_id
        where b.n between $1 and $2 and cs.updated_at is not null
       union all
       select a.updated_at, a.appraiser_id, 'appraisal.' || a.state, 'Appraisal', a.id::text, jsonb_build_object('state', 'todo'),
              jsonb_build_object('state', a.state, 'appraisedScore', a.appraised_score::text), nullif(a.reason, '')
         from bench_unit b join criterion_score cs on cs.self_assessment_id = b.sa_id join appraisal a on a.criterion_score_id = cs.id
        where b.n between $1 and $2 and a.state <> 'todo'`,
            [lo, hi, officerId],
          )
        ).rowCount ?? 0,
    );

    await step('survey tallies, past year component points', async () => {
      counts.survey_result =
        (
          await db.query(
            `insert into survey_result (campaign_id, unit_id, respondents, satisfied_answers, questions_per_respondent)
         select $1, unit_id, r, floor(r * 8 * (0.62 + 0.36 * bench_u(n, 51)))::int, 8
           from (select n, unit_id, 30 + floor(bench_u(n, 50) * 90)::int as r from bench_unit) x order by n`,
            [users.campaign.id],
          )
        ).rowCount ?? 0;
      counts.component_points =
        (
          await db.query(
            `insert into component_points (campaign_id, unit_id, key, points)
         select $1, unit_id, k.key, case k.key when 'appraisal' then round((40 + bench_u(n, 60) * 29.5)::numeric, 2) else round((18 + bench_u(n, 61) * 11.5)::numeric, 2) end
           from bench_unit cross join (values ('appraisal'), ('survey')) as k(key) order by n`,
            [users.previous.id],
          )
        ).rowCount ?? 0;
    });

    // Vacuumed as well as analysed: a database that has been up a while has had its pages marked all-visible by
    // autovacuum (which would vacuum these bulk inserts within a minute anyway), so that index-only scans are possible.
    await step('vacuum analyze', async () => {
      await q('vacuum analyze');
    });

    for (const t of [
      'unit',
      'criterion',
      'campaign',
      'self_assessment',
      'criterion_score',
      'appraisal',
      'evidence_file',
      'audit_event',
      'survey_result',
      'component_points',
      'app_user',
    ]) {
      const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from "${t}"`);
      counts[`table ${t}`] = n;
    }
    const blocks = await q<{ name: string; units: number }>(
      `select block as name, count(*)::int as units from campaign_unit where campaign_id = $1 and block is not null
        group by block order by min(id)`,
      [users.campaign.id],
    );
    return {
      year,
      campaign: users.campaign,
      previous: users.previous,
      extras: users.extras,
      criteriaSetId: setId,
      leaves: leafTotal,
      nodes: nodeTotal,
      fields,
      units: opts.units,
      blocks,
      agencies: users.agencies,
      counts,
      steps,
      totalMs: performance.now() - started,
    };
  } finally {
    await db.end();
  }
}

/**
 * A copy of a criteria set (every criterion, the tree kept by codes) under another name, for a data set of its own;
 * returns the new set's id. `q` runs one statement.
 */
async function copyCriteriaSet(
  q: <T extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<T[]>,
  from: number,
  name: string,
): Promise<number> {
  const [{ id }] = await q<{ id: number }>(
    `insert into criteria_set (name, year, decision, locked, created_at)
     select $2, year, decision, false, now() from criteria_set where id = $1 returning id`,
    [from, name],
  );
  await q(
    `insert into criterion (criteria_set_id, parent_id, code, title, guidance, kind, min_score, max_score, scoring, evidence_required, agency_id, position)
     select $2, null, code, title, guidance, kind, min_score, max_score, scoring, evidence_required, agency_id, position
       from criterion where criteria_set_id = $1 order by position`,
    [from, id],
  );
  await q(
    `update criterion n set parent_id = np.id
       from criterion o join criterion op on op.id = o.parent_id join criterion np on np.criteria_set_id = $2 and np.code = op.code
      where n.criteria_set_id = $2 and o.criteria_set_id = $1 and o.code = n.code`,
    [from, id],
  );
  return id;
}
