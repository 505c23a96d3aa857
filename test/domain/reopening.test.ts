import { describe, expect, it } from 'vitest';
import { answerChanges, editableIn, reopenable, type Answer } from '../../src/domain/reopening.ts';

const answer: Answer = {
  selfScore: '1.500',
  declaredLevel: null,
  declaredAchieved: null,
  declaredTotal: null,
  notApplicable: false,
  explanation: 'Kế hoạch số 10/KH-UBND, mục 2, trang 3',
  evidence: ['b'.repeat(64), 'a'.repeat(64)],
};

describe('what "changed" means at resubmission', () => {
  it('nothing, when the answer is the one copied at reopening (files in another order, the score written otherwise)', () => {
    expect(answerChanges(answer, { ...answer, selfScore: '1.5', evidence: ['a'.repeat(64), 'b'.repeat(64)] })).toEqual(
      [],
    );
  });

  it('the score: another number, a score given or taken away, or another declaration for the same score', () => {
    expect(answerChanges(answer, { ...answer, selfScore: '1.25' })).toEqual(['score']);
    expect(answerChanges(answer, { ...answer, selfScore: null })).toEqual(['score']);
    expect(answerChanges({ ...answer, selfScore: null }, { ...answer, selfScore: null })).toEqual([]);
    const declared = { ...answer, declaredAchieved: 5, declaredTotal: 10 };
    expect(answerChanges(declared, { ...declared, declaredAchieved: 10, declaredTotal: 20 })).toEqual(['score']);
    expect(
      answerChanges({ ...answer, declaredLevel: 'Ban hành chậm' }, { ...answer, declaredLevel: 'Đúng hạn' }),
    ).toEqual(['score']);
  });

  it('not applicable declared or withdrawn', () => {
    expect(answerChanges(answer, { ...answer, notApplicable: true })).toEqual(['notApplicable']);
  });

  it('the explanation, by any character of its text as the save stores it (trimmed, NFC)', () => {
    expect(answerChanges(answer, { ...answer, explanation: `${answer.explanation}.` })).toEqual(['explanation']);
    expect(answerChanges(answer, { ...answer, explanation: answer.explanation.toLowerCase() })).toEqual([
      'explanation',
    ]);
    // An answer imported with spaces around it, or in decomposed Unicode, saved again unchanged: no change.
    expect(answerChanges({ ...answer, explanation: ` ${answer.explanation} ` }, answer)).toEqual([]);
    expect(answerChanges({ ...answer, explanation: answer.explanation.normalize('NFD') }, answer)).toEqual([]);
  });

  it('the evidence as a multiset of contents: added, removed, replaced or duplicated', () => {
    expect(answerChanges(answer, { ...answer, evidence: ['a'.repeat(64)] })).toEqual(['evidence']);
    expect(answerChanges(answer, { ...answer, evidence: [...answer.evidence, 'c'.repeat(64)] })).toEqual(['evidence']);
    expect(answerChanges(answer, { ...answer, evidence: ['a'.repeat(64), 'c'.repeat(64)] })).toEqual(['evidence']);
    expect(answerChanges(answer, { ...answer, evidence: [...answer.evidence, 'a'.repeat(64)] })).toEqual(['evidence']);
  });

  it('several parts at once, each named', () => {
    expect(answerChanges(answer, { ...answer, selfScore: '1', explanation: 'Khác', evidence: [] })).toEqual([
      'score',
      'explanation',
      'evidence',
    ]);
  });
});

describe('when a self-assessment may be reopened and edited', () => {
  it('is reopened from self-assessment to council review, never once approved or published', () => {
    expect(
      ['draft', 'self-assessment', 'appraisal', 'council-review', 'approved', 'published'].map(reopenable),
    ).toEqual([false, true, true, true, false, false]);
  });

  it('is edited in self-assessment, and later only when reopened', () => {
    expect(editableIn('self-assessment', false)).toBe(true);
    expect(editableIn('appraisal', false)).toBe(false);
    expect(editableIn('appraisal', true)).toBe(true);
    expect(editableIn('council-review', true)).toBe(true);
    expect(editableIn('approved', true)).toBe(false);
  });
});
