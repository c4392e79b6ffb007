// The 民主评议 screen's fields read as the core's values: the vote typed in the table, a grade, the opening, a
// correction's outcome. Only the form is checked; the rules are the core's.

import { describe, expect, it } from 'vitest';
import { appraisalOf, participant } from './fixtures';
import { cellKey, decisionEdited, readCorrection, readCount, readDay, readDecision, readOpening, readVotes, voteDraftOf, votesEdited } from './forms';

describe('what is typed', () => {
  it('reads whole numbers and days, nothing else', () => {
    expect([readCount(' 30 '), readCount('0'), readCount(''), readCount('3.5'), readCount('-1'), readCount('三十')]).toEqual([30, 0, null, null, null, null]);
    expect([readDay(' 2026-11-24 '), readDay('2026-02-30'), readDay('2026/11/24')]).toEqual(['2026-11-24', null, null]);
  });
});

describe('the vote typed in the table', () => {
  const entered = appraisalOf({
    ballots_cast: 30,
    participants: [
      participant({ person_id: 11, name: '白安', votes: { excellent: 20, qualified: 10, basically_qualified: 0, unqualified: 0 }, proposed: 'excellent' }),
      participant({ person_id: 12, name: '陈博' }),
      participant({ person_id: 14, name: '范丁', graded: false }),
    ],
  });

  it('starts from what the core has: the ballots and the counts entered, blank elsewhere, no row for a probationary member', () => {
    expect(voteDraftOf(entered)).toEqual({
      ballots: '30',
      rows: {
        11: { excellent: '20', qualified: '10', basically_qualified: '0', unqualified: '0' },
        12: { excellent: '', qualified: '', basically_qualified: '', unqualified: '' },
      },
    });
    expect(voteDraftOf(appraisalOf()).ballots).toBe('');
  });

  it('is edited once anything differs from what the core has', () => {
    const draft = voteDraftOf(entered);
    expect(votesEdited(draft, entered)).toBe(false);
    expect(votesEdited({ ...draft, ballots: ' 30 ' }, entered)).toBe(false);
    expect(votesEdited({ ...draft, ballots: '31' }, entered)).toBe(true);
    const typed = voteDraftOf(entered);
    typed.rows[12]!.qualified = '25';
    expect(votesEdited(typed, entered)).toBe(true);
  });

  it('sends the ballots and each member with a count typed, a blank count beside typed ones as 0', () => {
    const draft = voteDraftOf(entered);
    draft.ballots = ' 32 ';
    draft.rows[12] = { excellent: '2', qualified: ' 25 ', basically_qualified: '', unqualified: '' };
    expect(readVotes(draft)).toEqual({
      vote: {
        ballotsCast: 32,
        rows: [
          { person_id: 11, votes: { excellent: 20, qualified: 10, basically_qualified: 0, unqualified: 0 } },
          { person_id: 12, votes: { excellent: 2, qualified: 25, basically_qualified: 0, unqualified: 0 } },
        ],
      },
      bad: { ballots: false, cells: [] },
    });
  });

  it('leaves out, beside the ballots as they were, a member whose counts were not typed over (another worker’s stand)', () => {
    const draft = voteDraftOf(entered);
    draft.rows[12] = { excellent: '2', qualified: '25', basically_qualified: '', unqualified: '' };
    expect(readVotes(draft, voteDraftOf(entered)).vote?.rows.map((r) => r.person_id)).toEqual([12]);
    // New ballots: every member is sent, so that the core checks each count against them.
    draft.ballots = '40';
    expect(readVotes(draft, voteDraftOf(entered)).vote?.rows.map((r) => r.person_id)).toEqual([11, 12]);
  });

  it('leaves out a member whose counts are all blank (the core keeps theirs)', () => {
    const draft = voteDraftOf(appraisalOf());
    draft.ballots = '30';
    draft.rows[13] = { excellent: '0', qualified: '30', basically_qualified: '0', unqualified: '0' };
    expect(readVotes(draft).vote?.rows.map((r) => r.person_id)).toEqual([13]);
  });

  it('sends nothing while the ballots or a count is not a whole number, naming each (not whether they fit: the core’s)', () => {
    const draft = voteDraftOf(entered);
    draft.ballots = '';
    draft.rows[12] = { excellent: '2.5', qualified: '', basically_qualified: '', unqualified: '-1' };
    expect(readVotes(draft)).toEqual({ vote: null, bad: { ballots: true, cells: [cellKey(12, 'excellent'), cellKey(12, 'unqualified')] } });
    draft.ballots = '30';
    draft.rows[12] = { excellent: '99', qualified: '99', basically_qualified: '', unqualified: '' };
    expect(readVotes(draft).vote?.rows[1]).toEqual({ person_id: 12, votes: { excellent: 99, qualified: 99, basically_qualified: 0, unqualified: 0 } });
  });
});

describe('a grade decided', () => {
  it('is the grade chosen with its reason, none when left blank', () => {
    expect(readDecision(11, 'qualified', '  ')).toEqual({ person_id: 11, grade: 'qualified', reason: null });
    expect(readDecision(13, 'unqualified', ' 长期不参加组织生活 ')).toEqual({ person_id: 13, grade: 'unqualified', reason: '长期不参加组织生活' });
    expect(readDecision(11, '', '理由')).toBeNull();
  });

  it('is edited when the grade or the reason differs from the core’s', () => {
    const p = participant({ person_id: 11, name: '白安', grade: 'excellent', reason: '表现突出' });
    expect(decisionEdited(p, 'excellent', ' 表现突出 ')).toBe(false);
    expect(decisionEdited(p, 'qualified', '表现突出')).toBe(true);
    expect(decisionEdited(p, 'excellent', '')).toBe(true);
    expect(decisionEdited(participant({ person_id: 12, name: '陈博' }), '', '')).toBe(false);
  });
});

describe('opening an appraisal', () => {
  it('needs a unit and a day; the year is sent as chosen', () => {
    expect(readOpening({ unit: 3, year: 2026, date: '2026-11-20' })).toEqual({
      opening: { unit: 3, year: 2026, openedOn: '2026-11-20' },
      bad: { unit: false, date: false },
    });
    expect(readOpening({ unit: '', year: 2026, date: '20261120' })).toEqual({ opening: null, bad: { unit: true, date: true } });
  });
});

describe('the end of a correction period', () => {
  it('needs the outcome and a day; the note is optional', () => {
    expect(readCorrection({ outcome: 'corrected', date: '2027-06-01', note: ' ' })).toEqual({
      end: { outcome: 'corrected', date: '2027-06-01', note: null },
      bad: { outcome: false, date: false },
    });
    expect(readCorrection({ outcome: 'removed', date: '2027-06-01', note: ' 经教育仍无转变 ' }).end?.note).toBe('经教育仍无转变');
    expect(readCorrection({ outcome: '', date: '', note: '' })).toEqual({ end: null, bad: { outcome: true, date: true } });
  });
});
