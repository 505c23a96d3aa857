// The online survey's published results (issue 17): a campaign's survey ranking within each block with the rate per
// question, one unit's rates per group and question with a small chart, and the tallies as open data (counts only).
import type { FastifyInstance } from 'fastify';
import { dec, formatIn } from '../../../domain/decimal.ts';
import { publishedSurvey, surveyCsv } from '../../../features/survey-online/published.ts';
import { satisfactionRate, type GroupTally } from '../../../features/survey-online/tallies.ts';
import { barRows } from '../../charts.ts';
import type { Translate } from '../../../i18n/catalog.ts';
import { pageCache, publicRoute } from './common.ts';

/** A rate (45.5) as the reader writes it: "45,5 %". */
const percent = (rate: number | string, lang: 'vi' | 'en') => `${formatIn(dec(String(rate)), lang, 1)} %`;

/** One bar per question: the share of "Hài lòng" and "Rất hài lòng" among its answers. */
function groupCharts(t: Translate, lang: 'vi' | 'en', prefix: string, groups: readonly GroupTally[]) {
  return groups.map((g, i) => {
    const rows = g.questions.map((q) => {
      const rate = satisfactionRate(q.counts);
      return {
        label: `${t('surveyOnline.pub.q')} ${q.position}`,
        value: Number(rate ?? 0),
        max: 100,
        text: rate === null ? '—' : percent(rate, lang),
        question: q,
      };
    });
    return {
      name: g.name,
      respondents: g.respondents,
      rows,
      chart: barRows({
        id: `${prefix}-${i}`,
        title: t('surveyOnline.pub.chart', {
          group: g.name,
          list: rows.map((r) => `${r.label}: ${r.text}`).join(', '),
        }),
        rows,
        labelWidth: 50,
        textWidth: 70,
      }),
    };
  });
}

export default async function surveyPages(app: FastifyInstance) {
  app.get<{ Params: { code: string } }>('/campaigns/:code/survey', publicRoute, async (req, reply) => {
    const survey = await publishedSurvey(req.em, req.params.code);
    if (!survey) return reply.callNotFound();
    const blocks = new Map<string | null, typeof survey.units>();
    for (const unit of [...survey.units].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)))
      blocks.set(unit.block, [...(blocks.get(unit.block) ?? []), unit]);
    reply.header('Cache-Control', pageCache);
    return reply.page(
      'published/survey',
      {
        survey,
        blocks: [...blocks],
        groups: groupCharts(req.t, req.lang, 'survey-chart', survey.overall),
        percent: (rate: number) => percent(rate, req.lang),
      },
      { title: `${req.t('surveyOnline.pub.title')} · ${survey.campaign.name}` },
    );
  });

  app.get<{ Params: { code: string; unit: string } }>(
    '/campaigns/:code/units/:unit/survey',
    publicRoute,
    async (req, reply) => {
      const survey = await publishedSurvey(req.em, req.params.code);
      const unit = survey?.units.find((u) => u.code === req.params.unit);
      if (!survey || !unit) return reply.callNotFound();
      reply.header('Cache-Control', pageCache);
      return reply.page(
        'published/unit-survey',
        {
          survey,
          unit,
          groups: groupCharts(req.t, req.lang, 'unit-survey-chart', unit.groups),
          percent: (rate: number) => percent(rate, req.lang),
        },
        { title: `${req.t('surveyOnline.pub.title')} · ${unit.name}` },
      );
    },
  );

  app.get<{ Params: { code: string } }>('/open-data/:code/survey.csv', publicRoute, async (req, reply) => {
    const survey = await publishedSurvey(req.em, req.params.code);
    if (!survey) return reply.callNotFound();
    reply.header('Content-Disposition', `attachment; filename="${survey.campaign.code}-survey.csv"`);
    reply.header('Cache-Control', pageCache);
    return reply.type('text/csv; charset=utf-8').send(surveyCsv(survey));
  });
}
