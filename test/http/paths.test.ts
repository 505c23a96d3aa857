// The typed path builders write the addresses the routes and views wrote by hand before, byte for byte.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/http/paths.ts';

describe('paths', () => {
  it('writes the sign-in, language, account and area addresses, the next address encoded as a component', () => {
    expect(paths.root()).toBe('/');
    expect(paths.home()).toBe('/home');
    expect(paths.area('appraisal')).toBe('/appraisal');
    expect(paths.signIn()).toBe('/sign-in');
    expect(paths.signIn({ next: "/unit/a b?x=1&y=(~!')" })).toBe(
      `/sign-in?next=${encodeURIComponent("/unit/a b?x=1&y=(~!')")}`,
    );
    expect(paths.language('en', { next: '/admin/users?q=x' })).toBe('/lang/en?next=%2Fadmin%2Fusers%3Fq%3Dx');
    expect(paths.account.password()).toBe('/account/password');
    expect(paths.account.password({ done: 1 })).toBe('/account/password?done=1');
  });

  it('writes the unit area addresses under the unit and campaign', () => {
    const u = ['ubnd-tinh', 'cchc-2025'] as const;
    expect(paths.unit.campaign(...u)).toBe('/unit/ubnd-tinh/campaigns/cchc-2025');
    expect(paths.unit.criteria(...u, { field: '3', saved: '3.2.1' }, 'c-3-2-1')).toBe(
      '/unit/ubnd-tinh/campaigns/cchc-2025/criteria?field=3&saved=3.2.1#c-3-2-1',
    );
    expect(paths.unit.criteria(...u, { field: undefined })).toBe('/unit/ubnd-tinh/campaigns/cchc-2025/criteria');
    expect(paths.unit.criterionEvidence(...u, '1.1', { _csrf: 'a-b_c' })).toBe(
      '/unit/ubnd-tinh/campaigns/cchc-2025/criteria/1.1/evidence?_csrf=a-b_c',
    );
    expect(paths.unit.assignments(...u, { saved: 0 })).toBe('/unit/ubnd-tinh/campaigns/cchc-2025/assignments?saved=0');
    expect(paths.unit.explanations(...u, { saved: 7 }, 'r-7')).toBe(
      '/unit/ubnd-tinh/campaigns/cchc-2025/explanations?saved=7#r-7',
    );
    expect(paths.unit.evidenceRemoval(...u, 12)).toBe('/unit/ubnd-tinh/campaigns/cchc-2025/evidence/12/removal');
    expect(paths.unit.report(...u, 'docx')).toBe('/unit/ubnd-tinh/campaigns/cchc-2025/report.docx');
  });

  it('carries the appraisal filters in the order the queue wrote them, as URLSearchParams does', () => {
    const f = { campaign: 'cchc-2025', unit: 'so-tu-phap', field: '2', state: 'todo' };
    expect(paths.appraisal.queue(f, { page: 2 })).toBe(
      '/appraisal/queue?campaign=cchc-2025&unit=so-tu-phap&field=2&state=todo&page=2',
    );
    expect(paths.appraisal.queue({ campaign: 'cchc-2025', unit: '' }, { done: 1 })).toBe(
      '/appraisal/queue?campaign=cchc-2025&done=1',
    );
    expect(paths.appraisal.item(42, { campaign: 'cchc-2025', state: 'todo' })).toBe(
      '/appraisal/items/42?campaign=cchc-2025&state=todo',
    );
    expect(paths.appraisal.item(42)).toBe('/appraisal/items/42');
    expect(paths.appraisal.evidence(42, 9)).toBe('/appraisal/items/42/evidence/9');
  });

  it('writes the council and admin addresses with their notices and anchors', () => {
    expect(paths.council.campaign('cchc-2025', { units: 2 }, 'units')).toBe(
      '/council/campaigns/cchc-2025?units=2#units',
    );
    expect(paths.council.campaign('cchc-2025', {}, 'approval')).toBe('/council/campaigns/cchc-2025#approval');
    expect(paths.council.ranking('cchc-2025')).toBe('/council/campaigns/cchc-2025/ranking');
    expect(paths.admin.campaign('cchc-2025', { saved: 'corrected' }, 'publication-h')).toBe(
      '/admin/campaigns/cchc-2025?saved=corrected#publication-h',
    );
    expect(paths.admin.campaignUnits('cchc-2025', { saved: 1 })).toBe('/admin/campaigns/cchc-2025/units?saved=1');
    expect(paths.admin.criteriaSet(3, { saved: 1 }, 'c-17')).toBe('/admin/criteria-sets/3?saved=1#c-17');
    expect(paths.admin.newCriterion(3, { parent: '1.2' })).toBe('/admin/criteria-sets/3/criteria/new?parent=1.2');
    expect(paths.admin.register('units', { done: 'created', code: 'so-y-te' })).toBe(
      '/admin/units?done=created&code=so-y-te',
    );
    expect(paths.admin.user('nguyen.van-a', { done: 'updated' })).toBe('/admin/users/nguyen.van-a?done=updated');
    expect(paths.admin.survey('cchc-2025', { imported: 40 })).toBe('/admin/campaigns/cchc-2025/survey?imported=40');
    expect(paths.admin.workbookImport({ _csrf: 'tok' })).toBe('/admin/workbooks/import?_csrf=tok');
  });

  it('writes the published addresses; a search is encoded as the ranking form sends it', () => {
    expect(paths.published.campaign('cchc-2024')).toBe('/campaigns/cchc-2024');
    expect(paths.published.campaign('cchc-2024', { v: 2, q: 'sở y', sort: 'name', page: 3 }, 'ranking')).toBe(
      '/campaigns/cchc-2024?v=2&q=s%E1%BB%9F+y&sort=name&page=3#ranking',
    );
    expect(paths.published.unit('cchc-2024', 'so-y-te', { v: undefined })).toBe('/campaigns/cchc-2024/units/so-y-te');
    expect(paths.published.methodology('cchc-2024')).toBe('/campaigns/cchc-2024/methodology');
    expect(paths.published.openData('cchc-2024', 'json')).toBe('/open-data/cchc-2024/results.json');
    expect(paths.published.openData('cchc-2024', 'csv', 2)).toBe('/open-data/cchc-2024/v/2/results.csv');
  });
});
