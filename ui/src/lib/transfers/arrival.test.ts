import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../api/types';
import {
  ARRIVAL_DAYS,
  ARRIVAL_STEPS,
  arrivalBranches,
  arrivalLetter,
  blankArrival,
  defaultBranch,
  readArrival,
  readPackageReceipt,
  type ArrivalDay,
  type ArrivalDraft,
  type ArrivalText,
  type PackageDraft,
} from './arrival';

/** The dialog as first opened on 2026-09-05, with a name and a sending organisation, then `texts` and `days` typed. */
function draft(
  texts: Partial<Record<ArrivalText, string>> = {},
  days: Partial<Record<ArrivalDay, string>> = {},
  rest: Partial<Pick<ArrivalDraft, 'branchId' | 'gender' | 'duesThrough' | 'materials' | 'anotherPerson'>> = {},
): ArrivalDraft {
  const blank = blankArrival('2026-09-05');
  return {
    text: { ...blank.text, name: ' 周九 ', from: ' 中共某大学委员会 ', ...texts },
    days: { ...blank.days, ...days },
    branchId: 4,
    gender: '',
    duesThrough: '',
    materials: [],
    anotherPerson: false,
    ...rest,
  };
}

describe('the arrival dialog', () => {
  it('asks the days of the six steps a letter attests, in procedure order', () => {
    expect(ARRIVAL_STEPS).toEqual(['application_received', 'activist_determined', 'candidate_determined', 'admitted', 'admission_approved', 'conversion_approved']);
  });

  it('opens on today as the day received, and nothing else typed', () => {
    const blank = blankArrival('2026-09-05');
    expect(ARRIVAL_DAYS.filter((d) => blank.days[d] !== '')).toEqual(['received']);
    expect(blank.days.received).toBe('2026-09-05');
    expect(Object.values(blank.text).every((v) => v === '')).toBe(true);
  });

  it('sends a new person in the branch chosen, with only what was typed, and no step when none is dated', () => {
    expect(readArrival(draft()).arrival).toEqual({
      person: {
        id: null, branch_id: 4, name: '周九', gender: null, ethnicity: null, birth_date: null, id_number: null, student_no: null,
        category: null, department: null, class_name: null, phone: null, native_place: null, notes: null, education: null,
        class_year: null, student_level: null, occupation: null, joined_on: null,
      },
      steps: [],
      received_on: '2026-09-05',
      origin: '中共某大学委员会',
      letter_number: null,
      letter_issued_on: null,
      dues_paid_through: null,
      materials: [],
      another_person: false,
    });
  });

  it('sends the confirmation that a namesake is another person only when the worker gave it', () => {
    expect(readArrival(draft({}, {}, { anotherPerson: true })).arrival?.another_person).toBe(true);
  });

  it('sends the steps dated, in procedure order, each a new step with nothing but its day', () => {
    expect(readArrival(draft({}, { admitted: ' 2026-06-20 ', application_received: '2023-10-01' })).arrival?.steps).toEqual([
      { id: null, kind: 'application_received', date: '2023-10-01', months: null, note: null },
      { id: null, kind: 'admitted', date: '2026-06-20', months: null, note: null },
    ]);
  });

  it('sends the person’s facts, the letter, the month dues were paid through and 入党时间 as typed', () => {
    const arrival = readArrival(
      draft(
        { id_number: ' 11010520030405002X ', student_no: '2026001', letter: ' 2026-015 ' },
        { birth_date: '2003-04-05', letter_date: '2026-08-30', joined_on: '2025-07-01' },
        { gender: 'female', duesThrough: '2026-8' },
      ),
    ).arrival;
    expect(arrival?.person).toMatchObject({ gender: 'female', birth_date: '2003-04-05', id_number: '11010520030405002X', student_no: '2026001', joined_on: '2025-07-01' });
    expect([arrival?.letter_number, arrival?.letter_issued_on, arrival?.dues_paid_through]).toEqual(['2026-015', '2026-08-30', '2026-08']);
  });

  it('sends the materials ticked in the checklist’s order, whatever the order they were ticked in', () => {
    expect(readArrival(draft({}, {}, { materials: ['admission_resolution', 'application_letter'] })).arrival?.materials).toEqual([
      'application_letter',
      'admission_resolution',
    ]);
  });

  it.each([
    ['no name', draft({ name: ' ' }), 'name'],
    ['no branch', draft({}, {}, { branchId: '' }), 'branch_id'],
    ['no sending organisation', draft({ from: '' }), 'from'],
    ['no day received', draft({}, { received: '' }), 'received'],
    ['a day received that is not one', draft({}, { received: '2026-02-30' }), 'received'],
    ['a letter day that is not one', draft({}, { letter_date: '8月30日' }), 'letter_date'],
    ['a birth date that is not one', draft({}, { birth_date: '2003' }), 'birth_date'],
    ['a month that is not one', draft({}, {}, { duesThrough: '2026-13' }), 'dues_paid_through'],
    ['a step’s day that is not one', draft({}, { admission_approved: '2026-7-1' }), 'admission_approved'],
  ] as const)('sends nothing with %s, and names the field as the core does', (_, typed, field) => {
    const read = readArrival(typed);
    expect(read.arrival).toBeNull();
    expect([...read.bad]).toEqual([field]);
  });
});

describe('receiving a member package', () => {
  const typed = (d: Partial<PackageDraft> = {}): PackageDraft => ({
    path: ' /tmp/周九.dangan-member ',
    code: ' 7f3k 0v62-cs34 hkpe r8yw 0gmt ',
    branchId: 4,
    receivedOn: '2026-09-05',
    ...d,
  });

  it('sends the file and the code as typed (the core reads the code), the branch and the day', () => {
    expect(readPackageReceipt(typed()).receipt).toEqual({
      path: '/tmp/周九.dangan-member',
      code: '7f3k 0v62-cs34 hkpe r8yw 0gmt',
      branchId: 4,
      receivedOn: '2026-09-05',
    });
  });

  it('sends nothing without a file, a code, a branch or a day', () => {
    const read = readPackageReceipt({ path: '', code: ' ', branchId: '', receivedOn: '9月5日' });
    expect(read.receipt).toBeNull();
    expect([...read.bad]).toEqual(['path', 'code', 'branch_id', 'received']);
  });
});

describe('the branches a member arriving is registered in', () => {
  const unit = (id: number, parent_id: number | null, kind: OrgUnit['kind'], name: string): OrgUnit => ({ id, parent_id, kind, name });
  const units = [
    unit(1, null, 'committee', '中共某大学委员会'),
    unit(2, 1, 'general_branch', '学生党总支'),
    unit(3, 2, 'branch', '本科生第一党支部'),
    unit(4, 2, 'branch', '研究生党支部'),
    unit(5, 1, 'branch', '机关党支部'),
  ];

  it('are the tree’s branches, with their path, for a session of the whole committee', () => {
    expect(arrivalBranches(units, []).map((b) => [b.id, b.label])).toEqual([
      [3, '学生党总支 / 本科生第一党支部'],
      [4, '学生党总支 / 研究生党支部'],
      [5, '机关党支部'],
    ]);
  });

  it('are only the session’s own branches, and those below its general branch', () => {
    expect(arrivalBranches(units, [2]).map((b) => b.id)).toEqual([3, 4]);
    expect(arrivalBranches(units, [5]).map((b) => b.id)).toEqual([5]);
  });

  it('start on the only one offered, else on none', () => {
    expect(defaultBranch(arrivalBranches(units, [5]))).toBe(5);
    expect(defaultBranch(arrivalBranches(units, []))).toBe('');
    expect(defaultBranch([])).toBe('');
  });
});

describe('the letter an arrival came with, on the member’s page', () => {
  it('is its number and day, either one, or nothing', () => {
    expect(arrivalLetter({ letter_number: '2026-015', letter_issued_on: '2026-08-30' }, 'zh-CN')).toBe('第 2026-015 号，2026年8月30日开具');
    expect(arrivalLetter({ letter_number: '2026-015', letter_issued_on: null }, 'en')).toBe('no. 2026-015');
    expect(arrivalLetter({ letter_number: null, letter_issued_on: '2026-08-30' }, 'zh-CN')).toBe('2026年8月30日开具');
    expect(arrivalLetter({ letter_number: null, letter_issued_on: null }, 'zh-CN')).toBeNull();
  });
});
