// One unit's published results: index, components, fields and criteria (with the appraisal's changes), and its trend.
import type { FastifyInstance } from 'fastify';
import { dec, precisionOf } from '../../../domain/decimal.ts';
import { compareCriterionCodes, parentCode } from '../../../domain/scoring.ts';
import { newestPublicationId } from '../../../features/published/campaigns.ts';
import { previousCampaign, publishedRanks } from '../../../features/published/campaign-page.ts';
import {
  criterionTitles,
  publishedUnitDetail,
  successorsOf,
  unitTrend,
} from '../../../features/published/unit-page.ts';
import { formatDate } from '../../../domain/dates.ts';
import { publicationDocument } from '../../../features/publication/stored.ts';
import { paths } from '../../paths.ts';
import { barRows, lineChart } from '../../charts.ts';
import { criterionTexts, publishedUnitWeakPoints } from '../../../features/published/weak-points.ts';
import { unitWeakView } from '../../weak-points.ts';
import { buildPlanDocx, planFileNames } from '../../../features/published/improvement-plan.ts';
import { contentDisposition } from '../../downloads.ts';
import {
  cacheable,
  changeText,
  componentLabel,
  fixed,
  headOf,
  pageCache,
  pageTag,
  publicationFor,
  publicRoute,
  renderedPages,
  short,
} from './common.ts';
import { hasPublishedSurvey } from '../../../features/survey-online/published.ts';

export default async function unitPage(app: FastifyInstance) {
  app.get<{ Params: { code: string; unit: string }; Querystring: Record<string, unknown> }>(
    '/campaigns/:code/units/:unit',
    publicRoute,
    async (req, reply) => {
      const { em, t, lang } = req;
      const pub = await publicationFor(em, req.params.code, req.query.v);
      if (!pub) return reply.callNotFound();
      const detail = await publishedUnitDetail(em, pub.id, req.params.unit);
      if (!detail) return reply.callNotFound();
      const v = pub.version === pub.latestVersion ? undefined : pub.version;
      const newest = await newestPublicationId(em);
      const tag = pageTag('unit', lang, pub, newest, { v, unit: req.params.unit });
      if (cacheable(req, reply, tag, pageCache, true)) return reply;
      return renderedPages.send(req, reply, `${tag}|${req.url}`, async () => {
        const doc = await publicationDocument(em, pub.id);
        const unit = doc.units.find((u) => u.code === req.params.unit)!;
        const places = precisionOf(doc.campaign.precision);
        const head = headOf(t, doc, pub);

        const trendRows = await unitTrend(em, unit.code);
        const trend = trendRows.map((r) => ({
          ...r,
          indexText: r.index === null ? '' : fixed(dec(r.index), precisionOf(r.precision), lang),
          current: r.code === doc.campaign.code,
        }));
        // A year the unit did not submit is a state, not a point on the line.
        const scoredYears = trend.filter((r) => r.index !== null);
        const trendChart = lineChart({
          id: 'trend-chart',
          title: t('pub.unit.trend.chart', {
            unit: unit.name,
            list: scoredYears.map((r) => `${r.year}: ${r.indexText}`).join(', '),
          }),
          points: scoredYears.map((r) => ({ label: String(r.year), value: Number(r.index), text: r.indexText })),
        });

        // The units it was formed from (merged, or its former self when renamed), each with its own published
        // results: the history before this unit existed, named as such, never summed into a figure nobody published.
        const formedFrom = await Promise.all(
          (unit.predecessors ?? []).map(async (p) => ({
            code: p.code,
            name: p.name,
            results: (await unitTrend(em, p.code))
              .filter((r) => r.year < doc.campaign.year)
              .map((r) => ({
                year: r.year,
                href: paths.published.unit(r.code, p.code),
                text:
                  r.index === null
                    ? t('pub.notSubmitted')
                    : `${fixed(dec(r.index), precisionOf(r.precision), lang)} — ${r.band}`,
              })),
          })),
        );

        // What a former unit became (merged into, or renamed as): where its history goes on.
        const becameWhat = (await successorsOf(em, unit.code)).map((s) => ({
          name: s.name,
          href: s.campaignCode ? paths.published.unit(s.campaignCode, s.code) : null,
          since: s.existsFrom ? formatDate(s.existsFrom) : null,
        }));

        // The change against the previous campaign, as the ranking's column says it (hidden there on a phone).
        const previous = unit.rank === null ? null : await previousCampaign(em, pub, doc.campaign.year);
        const change =
          previous && unit.rank !== null && unit.index !== null
            ? {
                year: previous.year,
                text: await (async () => {
                  const was = (await publishedRanks(em, previous.publication_id)).get(unit.code);
                  // A unit formed since last year (a merger) was not ranked itself: it is new, not "—".
                  if (!was && formedFrom.length) return t('pub.change.newUnit');
                  return changeText(
                    t,
                    lang,
                    was,
                    { rank: unit.rank!, index: dec(unit.index!) },
                    places,
                    previous.precision,
                  );
                })(),
              }
            : null;

        const titles = await criterionTitles(em, pub.campaignId);
        const criteria = detail.criteria ?? {};
        const codes = Object.keys(criteria).sort(compareCriterionCodes);
        const isParent = new Set(codes.map(parentCode).filter((c): c is string => c !== null));
        const fields = unit.fields.map((f) => {
          const beneath = codes
            .filter((c) => c.startsWith(`${f.code}.`))
            .map((code) => {
              const c = criteria[code]!;
              const leaf = !isParent.has(code);
              const differs =
                leaf && c.applicable && c.self !== null && c.score !== null && dec(c.self) !== dec(c.score);
              return {
                code,
                title: titles.get(code) ?? '',
                depth: code.split('.').length - 2,
                leaf,
                applicable: c.applicable,
                max: short(c.max, lang),
                self: short(c.self, lang),
                score: short(c.score, lang),
                differs,
                reason: differs ? (c.reason ?? '') : '',
              };
            });
          return {
            code: f.code,
            title: f.title,
            score: short(f.score, lang),
            max: short(f.applicableMax, lang),
            self: short(f.selfScore, lang),
            applicable: f.applicableMax > 0,
            criteria: beneath,
            differences: beneath.filter((c) => c.differs).length,
          };
        });
        const fieldChart =
          unit.fields.length === 0
            ? ''
            : barRows({
                id: 'fields-chart',
                title: t('pub.unit.fields.chart', {
                  list: fields.map((f) => `${f.code}: ${f.score} / ${f.max}`).join(', '),
                }),
                rows: unit.fields.map((f, i) => ({
                  label: f.code,
                  value: f.score,
                  max: f.applicableMax,
                  text: `${fields[i]!.score} / ${fields[i]!.max}`,
                })),
                labelWidth: 40,
                textWidth: 90,
              });

        // Where it lost points, against its block and its past (none for a unit that did not submit).
        const weakPage =
          unit.rank === null || unit.fields.length === 0
            ? null
            : await publishedUnitWeakPoints(em, pub, unit.code, places);
        const weak = weakPage
          ? unitWeakView(
              t,
              lang,
              weakPage,
              await criterionTexts(em, pub.campaignId),
              new Map(unit.fields.map((f) => [f.code, f.title])),
            )
          : null;

        return reply.renderPage(
          'published/unit',
          {
            head,
            surveyLink: await hasPublishedSurvey(em, doc.campaign.code),
            unit: {
              code: unit.code,
              name: unit.name,
              notSubmitted: unit.rank === null,
              change,
              rank: unit.rank,
              total: doc.units.filter((u) => u.rank !== null && (u.block ?? null) === (unit.block ?? null)).length,
              block: unit.block ?? null,
              band: unit.band,
              index: unit.index === null ? '' : fixed(dec(unit.index), places, lang),
              points: unit.points === null ? null : short(unit.points, lang),
              applicableMax: unit.applicableMax === null ? null : short(unit.applicableMax, lang),
              components: doc.composition.map((c) => ({
                label: componentLabel(t, c.key),
                max: short(c.max, lang),
                value: unit.components[c.key] === undefined ? '—' : fixed(dec(unit.components[c.key]!), places, lang),
              })),
            },
            trend,
            trendChart,
            formedFrom,
            becameWhat,
            fields,
            fieldChart,
            weak,
            planHref: paths.published.improvementPlan(doc.campaign.code, unit.code, { v }),
          },
          { title: `${unit.name} · ${doc.campaign.name}` },
        );
      });
    },
  );

  // The improvement plan: every criterion where the unit lost points, for it to complete (public, like its page).
  app.get<{ Params: { code: string; unit: string }; Querystring: Record<string, unknown> }>(
    '/campaigns/:code/units/:unit/improvement-plan.docx',
    publicRoute,
    async (req, reply) => {
      const { em } = req;
      const pub = await publicationFor(em, req.params.code, req.query.v);
      if (!pub) return reply.callNotFound();
      const doc = await publicationDocument(em, pub.id);
      const unit = doc.units.find((u) => u.code === req.params.unit);
      if (!unit || unit.rank === null || unit.fields.length === 0) return reply.callNotFound();
      const weak = await publishedUnitWeakPoints(em, pub, unit.code, precisionOf(doc.campaign.precision), 1000);
      if (!weak) return reply.callNotFound();
      const data = {
        unit: { code: unit.code, name: unit.name },
        campaign: doc.campaign,
        version: pub.version,
        weak: weak.weak,
        texts: await criterionTexts(em, pub.campaignId),
        fieldTitles: new Map(unit.fields.map((f) => [f.code, f.title])),
        now: new Date(),
      };
      const { name, ascii } = planFileNames(data);
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('Content-Disposition', contentDisposition('attachment', name, ascii))
        .header('Cache-Control', 'private, no-store')
        .send(await buildPlanDocx(data));
    },
  );
}
