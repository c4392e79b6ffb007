// The 民主评议 screen's reading of an appraisal: years, units to open, figures, what a row offers, file names.

import { describe, expect, it } from 'vitest';
import type { Action } from '../access';
import { APPRAISAL_STEPS, CORRECTION_OUTCOMES } from '../api/domain';
import type { OrgUnit } from '../api/types';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import {
  appraisalOffers,
  appraisalYears,
  ballotsTitle,
  branchName,
  keptChoice,
  openingUnits,
  replaced,
  resultsTitle,
  rowOffers,
  stepDate,
  tallyOf,
  yearOf,
  yearTitle,
} from './appraisal';
import { appraisalOf, participant } from './fixtures';

const editor = (a: Action) => a === 'read_members' || a === 'edit_members';
const reader = (a: Action) => a === 'read_members';

describe('the years offered', () => {
  it('are this year and the six before it, newest first', () => {
    expect(appraisalYears(2026, 2026)).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020]);
  });

  it('keep the year shown when it is outside them, and never offer next year', () => {
    expect(appraisalYears(2026, 2012, 2)).toEqual([2026, 2025, 2024, 2012]);
    expect(appraisalYears(2026, 2026, 1)).not.toContain(2027);
  });

  it('take the year of a day', () => {
    expect(yearOf('2027-01-15')).toBe(2027);
  });
});

describe('the units an appraisal is opened for', () => {
  const units: OrgUnit[] = [
    { id: 1, parent_id: null, kind: 'committee', name: '某某学院党委' } as OrgUnit,
    { id: 2, parent_id: 1, kind: 'general_branch', name: '学生党总支' } as OrgUnit,
    { id: 3, parent_id: 2, kind: 'branch', name: '本科生第一党支部' } as OrgUnit,
    { id: 4, parent_id: 2, kind: 'branch', name: '研究生党支部' } as OrgUnit,
    { id: 5, parent_id: 1, kind: 'branch', name: '教工党支部' } as OrgUnit,
  ];

  it('are the committee (every branch at once), then general branches and branches in the tree’s order', () => {
    expect(openingUnits(units).map((u) => [u.id, u.kind, u.label])).toEqual([
      [1, 'committee', '某某学院党委'],
      [2, 'general_branch', '学生党总支'],
      [3, 'branch', '学生党总支 / 本科生第一党支部'],
      [4, 'branch', '学生党总支 / 研究生党支部'],
      [5, 'branch', '教工党支部'],
    ]);
    expect(openingUnits(units).map((u) => u.depth)).toEqual([0, 1, 2, 2, 1]);
  });

  it('are a branch secretary’s own, without the committee', () => {
    expect(openingUnits(units, [4]).map((u) => u.id)).toEqual([4]);
    expect(openingUnits(units, [2]).map((u) => u.id)).toEqual([2, 3, 4]);
  });
});

describe('an appraisal in figures', () => {
  it('counts the graded, the probationary, the decided and each grade, beside the core’s cap', () => {
    const a = appraisalOf({
      participants: [
        participant({ person_id: 11, name: '白安', grade: 'excellent' }),
        participant({ person_id: 12, name: '陈博', grade: 'qualified' }),
        participant({ person_id: 13, name: '邓超' }),
        participant({ person_id: 14, name: '范丁', graded: false }),
      ],
    });
    expect(tallyOf(a)).toEqual({
      graded: 3,
      probationary: 1,
      decided: 2,
      counts: { excellent: 1, qualified: 1, basically_qualified: 0, unqualified: 0 },
      cap: 1,
    });
  });

  it('reads a step’s day, none while undated', () => {
    const a = appraisalOf();
    expect([stepDate(a, 'study'), stepDate(a, 'vote')]).toEqual(['2026-11-20', null]);
  });
});

describe('what the chosen appraisal offers', () => {
  it('changes while open, to one who may edit members; prints to every reader', () => {
    expect(appraisalOffers(appraisalOf(), editor)).toEqual({ change: true, print: true });
    expect(appraisalOffers(appraisalOf({ closed_on: '2026-12-20' }), editor)).toEqual({ change: false, print: true });
    expect(appraisalOffers(appraisalOf(), reader)).toEqual({ change: false, print: true });
  });
});

describe('what a participant’s row offers', () => {
  const open = appraisalOf();
  const closed = appraisalOf({ closed_on: '2026-12-20' });
  const running = { from: '2026-12-20', until: '2027-12-20', outcome: null, decided_on: null, note: null };

  it('a graded member: votes, proposal and grade while open, to one who may edit', () => {
    expect(rowOffers(participant({ person_id: 1, name: '白安' }), open, editor)).toEqual({ votes: true, propose: true, grade: true, endCorrection: false });
    expect(rowOffers(participant({ person_id: 1, name: '白安' }), open, reader)).toEqual({ votes: false, propose: false, grade: false, endCorrection: false });
    // One who has left the register since is not graded any more.
    expect(rowOffers(participant({ person_id: 1, name: '白安', in_register: false }), open, editor).grade).toBe(false);
  });

  it('a probationary member: nothing to enter (they take part ungraded)', () => {
    expect(rowOffers(participant({ person_id: 2, name: '范丁', graded: false }), open, editor)).toEqual({
      votes: false,
      propose: false,
      grade: false,
      endCorrection: false,
    });
  });

  it('once closed: only the outcome of a correction period that has none yet', () => {
    const unqualified = participant({ person_id: 3, name: '邓超', grade: 'unqualified', correction: running });
    expect(rowOffers(unqualified, closed, editor)).toEqual({ votes: false, propose: false, grade: false, endCorrection: true });
    expect(rowOffers(unqualified, closed, reader).endCorrection).toBe(false);
    const ended = participant({ ...unqualified, correction: { ...running, outcome: 'corrected', decided_on: '2027-06-01' } });
    expect(rowOffers(ended, closed, editor).endCorrection).toBe(false);
    expect(rowOffers(participant({ person_id: 1, name: '白安', grade: 'qualified' }), closed, editor)).toEqual({
      votes: false,
      propose: false,
      grade: false,
      endCorrection: false,
    });
  });
});

describe('the files it writes', () => {
  it('are named after the branch and the year', () => {
    const a = appraisalOf();
    expect(branchName(a)).toBe('本科生第一党支部');
    expect(branchName(appraisalOf({ unit: '教工党支部' }))).toBe('教工党支部');
    expect(ballotsTitle(a, 'zh-CN')).toBe('本科生第一党支部 2026年度民主测评表');
    expect(resultsTitle(a, 'zh-CN')).toBe('本科生第一党支部 2026年度民主评议结果');
    expect(yearTitle(2026, 'zh-CN')).toBe('2026年度民主评议结果汇总');
    expect(ballotsTitle(a, 'en')).toBe('本科生第一党支部 appraisal ballots 2026');
  });
});

describe('the list after a change or a new reading', () => {
  it('replaces the appraisal changed, keeping the others', () => {
    const a = appraisalOf();
    const b = appraisalOf({ id: 6, unit: '教工党支部' });
    const changed = { ...a, ballots_cast: 30 };
    expect(replaced([a, b], changed)).toEqual([changed, b]);
  });

  it('keeps the one chosen, as the list now has it; else the only one; else none', () => {
    const a = appraisalOf();
    const b = appraisalOf({ id: 6 });
    expect(keptChoice([a, b], 6)).toBe(b);
    expect(keptChoice([a, b], 9)).toBeNull();
    expect(keptChoice([a], null)).toBe(a);
    expect(keptChoice([], 5)).toBeNull();
  });
});

describe('the wording', () => {
  it('names the six steps and the three outcomes as the office does', () => {
    expect(APPRAISAL_STEPS.map((s) => zhCN[`appraisal_step.${s}`])).toEqual(['学习培训', '个人自评', '党员互评', '民主测评', '组织评定', '结果公示']);
    expect(CORRECTION_OUTCOMES.map((o) => zhCN[`correction_outcome.${o}`])).toEqual(['确有转变', '劝其退党', '除名']);
    expect(APPRAISAL_STEPS.filter((s) => !(`appraisal_step.${s}` in en))).toEqual([]);
  });
});
