import { describe, expect, it } from 'vitest';
import { appError } from '../api/errors';
import {
  batchKey,
  batchLetters,
  graduationTitle,
  leaverIds,
  nothingIssued,
  readClassYear,
  readGraduation,
  refusedCount,
  unfinishedFolded,
  UNFINISHED_LISTED,
  type GraduationDraft,
} from './graduation';

const draft = (d: Partial<GraduationDraft> = {}): GraduationDraft => ({
  classYear: ' 2022 ',
  unit: '',
  destination: ' 中共某某市委组织部 ',
  validity: '',
  date: '2026-06-30',
  assessment: '',
  ...d,
});

describe('the class year typed', () => {
  it('is a year of four digits', () => {
    expect([readClassYear('2022'), readClassYear(' 2019 ')]).toEqual([2022, 2019]);
  });

  it.each(['', '22', '2022级', '二〇二二', '20222', '2022.5'])('"%s" is not a class year', (typed) => {
    expect(readClassYear(typed)).toBeNull();
  });
});

describe('the batch dialog', () => {
  it('asks for the class under all the session sees, with one letter for everyone, the core’s defaults left to it', () => {
    expect(readGraduation(draft()).batch).toEqual({
      who: { classYear: 2022, unit: null },
      letter: { destination: '中共某某市委组织部', addressee: null, validity_days: null, issued_on: '2026-06-30', assessment: null },
    });
  });

  it('sends the unit chosen, the validity and the assessment typed (the core applies it to probationary members only)', () => {
    const batch = readGraduation(draft({ unit: 3, validity: '60', assessment: ' 预备期表现良好 ' })).batch;
    expect(batch?.who).toEqual({ classYear: 2022, unit: 3 });
    expect([batch?.letter.validity_days, batch?.letter.assessment]).toEqual([60, '预备期表现良好']);
  });

  it.each([
    ['no class year', { classYear: '' }, 'classYear'],
    ['no destination', { destination: ' ' }, 'destination'],
    ['a validity that is not a number', { validity: '一个月' }, 'validity'],
    ['a day that is not one', { date: '2026-06-31' }, 'date'],
  ] as const)('asks nothing with %s, and marks the field', (_, change, field) => {
    const read = readGraduation(draft(change));
    expect(read.batch).toBeNull();
    expect(read.bad[field]).toBe(true);
    expect(Object.values(read.bad).filter(Boolean)).toHaveLength(1);
  });

  it('makes one NewLetter per person of the class, in the core’s order, all alike but for whom', () => {
    const letter = readGraduation(draft()).batch!.letter;
    const letters = batchLetters([14, 3, 9], letter);
    expect(letters.map((l) => l.person_id)).toEqual([14, 3, 9]);
    expect(letters[1]).toEqual({ person_id: 3, ...letter });
    expect(batchLetters([], letter)).toEqual([]);
  });

  it('holds a check to the fields it was made with, whatever the PDF’s path', () => {
    const key = batchKey(readGraduation(draft()).batch!);
    expect(batchKey(readGraduation(draft({ classYear: '2022', destination: '中共某某市委组织部' })).batch!)).toBe(key);
    for (const change of [{ classYear: '2023' }, { unit: 3 }, { destination: '中共某某县委组织部' }, { validity: '60' }, { date: '2026-07-01' }, { assessment: '良好' }]) {
      expect(batchKey(readGraduation(draft(change)).batch!), JSON.stringify(change)).not.toBe(key);
    }
  });
});

describe('the batch of a list (people ticked in the member list)', () => {
  it('asks for the people given, in their order, whatever class year or unit was typed', () => {
    const read = readGraduation(draft({ classYear: '', unit: 3 }), [14, 3, 9]);
    expect(read.batch?.who).toEqual({ people: [14, 3, 9] });
    expect(read.bad.classYear).toBe(false);
    expect(read.batch?.letter).toEqual(readGraduation(draft()).batch?.letter);
  });

  it('still asks nothing without a destination', () => {
    const read = readGraduation(draft({ destination: '' }), [14]);
    expect(read.batch).toBeNull();
    expect(read.bad).toEqual({ classYear: false, destination: true, validity: false, date: false });
  });

  it('takes the people given as they are, and asks the core only for a class', async () => {
    const asked: [number, number | null][] = [];
    const classOf = async (year: number, unit: number | null) => {
      asked.push([year, unit]);
      return [7, 5];
    };
    expect(await leaverIds({ people: [14, 3, 9] }, classOf)).toEqual([14, 3, 9]);
    expect(asked).toEqual([]);
    expect(await leaverIds({ classYear: 2022, unit: 3 }, classOf)).toEqual([7, 5]);
    expect(asked).toEqual([[2022, 3]]);
  });

  it('holds a check to the people it was made with', () => {
    const key = (people: number[]) => batchKey(readGraduation(draft(), people).batch!);
    expect(key([14, 3])).toBe(key([14, 3]));
    expect(key([14, 3])).not.toBe(key([14]));
    expect(key([14, 3])).not.toBe(batchKey(readGraduation(draft()).batch!));
  });
});

describe('the check', () => {
  const refusal = { zh: '预备党员须有考察意见', en: 'a probationary member needs an assessment' };

  it('counts who the core would refuse', () => {
    expect(refusedCount([{ refusal: null }, { refusal }, { refusal }])).toBe(2);
    expect(refusedCount([{ refusal: null }])).toBe(0);
  });

  it(`lists up to ${UNFINISHED_LISTED} open items in a row and folds more into their count`, () => {
    const item = { rule: 'thought_report', name: { zh: '思想汇报', en: 'Thought report' }, due: '2026-07-01' };
    expect(unfinishedFolded(Array(UNFINISHED_LISTED).fill(item))).toBe(false);
    expect(unfinishedFolded(Array(UNFINISHED_LISTED + 1).fill(item))).toBe(true);
  });
});

describe('the letters’ PDF', () => {
  it('is named after the class year', () => {
    expect(graduationTitle(2022, 'zh-CN')).toBe('2022级毕业生介绍信');
    expect(graduationTitle(2022, 'en')).toBe('Transfer letters class of 2022');
    expect(graduationTitle(null, 'zh-CN')).toBe('毕业生介绍信');
  });
});

describe('a failed issue', () => {
  it('issued nothing when refused, stopped, or the workspace would not take it (one transaction)', () => {
    for (const kind of ['invalid_input', 'violations', 'forbidden', 'not_found', 'busy', 'read_only', 'cancelled'] as const) {
      expect(nothingIssued(appError(kind, 'x')), kind).toBe(true);
    }
  });

  it('may have issued the letters when the PDF could not be written after them', () => {
    expect(nothingIssued(appError('io', 'disk full'))).toBe(false);
    expect(nothingIssued(appError('internal', 'x'))).toBe(false);
  });
});
