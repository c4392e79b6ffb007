import { describe, expect, it } from 'vitest';
import type { ClassRecord, MemberSummary, Trainee } from '../api/types';
import {
  addSession,
  classFigures,
  defaultEnrolStage,
  ENROL_LIMIT,
  ENROL_STAGES,
  enrolPeople,
  enrolQuery,
  filterPeople,
  fmtMinutes,
  nextDay,
  passedOf,
  presentAt,
  readPassed,
  readResults,
  readScore,
  readSessions,
  removeSession,
  resultChanged,
  draftsAfterReread,
  resultDrafts,
  sessionMinutes,
  sessionRows,
  type SessionRow,
} from './class-form';

const trainee = (person_id: number, over: Partial<Trainee> = {}): Trainee => ({
  person_id, name: `学员${person_id}`, branch: '第一党支部', sessions: [], minutes: 0, days: 0, score: null, passed: null, ...over,
});

const person = (id: number, name: string, over: Partial<MemberSummary> = {}): MemberSummary => ({
  id, name, stage: 'candidate', branch: '第一党支部', branch_id: 3, student_no: null, gender: null, ended: false, status: 'in_register', ...over,
});

describe('a session’s time: hours typed, minutes stored', () => {
  it.each([
    ['4', 240],
    ['1.5', 90],
    ['2,5', 150],
    ['0.75', 45],
    ['1.333', 80],
  ])('%s hours are %i minutes', (text, minutes) => {
    expect(sessionMinutes(text)).toBe(minutes);
  });

  it.each(['', '  ', 'abc', '-2', '1.2.3'])('refuses %j: a session needs its time', (text) => {
    expect(sessionMinutes(text)).toBeNull();
  });

  it('writes minutes as hours to two decimals, none as 0', () => {
    expect([fmtMinutes(90), fmtMinutes(100), fmtMinutes(1440), fmtMinutes(0)]).toEqual(['1.5', '1.67', '24', '0']);
  });
});

describe('editing a class’s sessions', () => {
  const stored = [
    { id: 11, date: '2026-10-10', minutes: 480, topic: '党章' },
    { id: 12, date: '2026-10-11', minutes: 90, topic: null },
  ];

  it('shows the stored sessions with their ids, hours and topics', () => {
    expect(sessionRows(stored)).toEqual([
      { key: 0, id: 11, date: '2026-10-10', hours: '8', topic: '党章' },
      { key: 1, id: 12, date: '2026-10-11', hours: '1.5', topic: '' },
    ]);
  });

  it('adds a new session the day after the last, as long as it', () => {
    const rows = addSession(sessionRows(stored), '2026-10-10');
    expect(rows.at(-1)).toEqual({ key: 2, id: null, date: '2026-10-12', hours: '1.5', topic: '' });
    expect(nextDay('2026-10-31')).toBe('2026-11-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });

  it('starts the first session on the class’s first day, or when the last session has no date', () => {
    expect(addSession([], ' 2026-09-01 ')).toEqual([{ key: 0, id: null, date: '2026-09-01', hours: '', topic: '' }]);
    const undated: SessionRow[] = [{ key: 5, id: null, date: '十月', hours: '2', topic: '' }];
    expect(addSession(undated, '2026-09-01').at(-1)).toMatchObject({ key: 6, date: '2026-09-01' });
  });

  it('removes one row, keeping the others’ keys and ids', () => {
    const rows = addSession(sessionRows(stored), '2026-10-10');
    const left = removeSession(rows, 1);
    expect(left.map((r) => [r.key, r.id])).toEqual([[0, 11], [2, null]]);
    // A row added after a removal never reuses a key still shown.
    expect(addSession(left, '2026-10-10').at(-1)?.key).toBe(3);
  });

  it('sends the rows left: stored ones by id (the core deletes those left out), new ones without', () => {
    const rows = removeSession(addSession(sessionRows(stored), '2026-10-10'), 0);
    rows[1]!.topic = '  入党誓词  ';
    expect(readSessions(rows)).toEqual({
      sessions: [
        { id: 12, date: '2026-10-11', minutes: 90, topic: null },
        { id: null, date: '2026-10-12', minutes: 90, topic: '入党誓词' },
      ],
      badDates: [],
      badHours: [],
    });
  });

  it('names each row whose date or time is not one', () => {
    const rows: SessionRow[] = [
      { key: 0, id: null, date: '2026-02-30', hours: '2', topic: '' },
      { key: 1, id: null, date: '2026-03-01', hours: '', topic: '' },
      { key: 2, id: null, date: '2026-03-02', hours: '3', topic: '' },
    ];
    const read = readSessions(rows);
    expect([read.badDates, read.badHours]).toEqual([[0], [1]]);
    expect(read.sessions.map((s) => s.date)).toEqual(['2026-03-02']);
  });
});

describe('whom the enrol picker offers', () => {
  it.each([
    ['activist_class', 'activist'],
    ['candidate_class', 'candidate'],
    ['member_class', 'member'],
  ] as const)('a %s offers %s first', (kind, stage) => {
    expect(defaultEnrolStage(kind)).toBe(stage);
    expect(ENROL_STAGES).toContain(stage);
  });

  it('asks for the unit’s people at the stage, and for everyone when the members are wanted', () => {
    expect(enrolQuery('candidate', 7)).toEqual({ stage: 'candidate', branch_id: 7, search: null, offset: 0, limit: ENROL_LIMIT, cell: null });
    expect(enrolQuery('member', 7).stage).toBeNull();
  });

  it('keeps those at the stage whose membership has not ended; the members are probationary and full', () => {
    const items = [
      person(1, '张三', { stage: 'full_member' }),
      person(2, '李四', { stage: 'probationary' }),
      person(3, '王五', { stage: 'candidate' }),
      person(4, '赵六', { stage: 'full_member', ended: true }),
      person(5, '孙七', { stage: 'candidate', ended: true }),
    ];
    expect(enrolPeople(items, 'member').map((p) => p.id)).toEqual([1, 2]);
    expect(enrolPeople(items, 'candidate').map((p) => p.id)).toEqual([3]);
    expect(enrolPeople(items, 'activist')).toEqual([]);
  });

  it('narrows the list by name or student number', () => {
    const people = [person(1, '张三', { student_no: '2023001' }), person(2, '李四', { student_no: '2023002' })];
    expect(filterPeople(people, ' 李 ').map((p) => p.id)).toEqual([2]);
    expect(filterPeople(people, '001').map((p) => p.id)).toEqual([1]);
    expect(filterPeople(people, '')).toHaveLength(2);
  });
});

describe('results as typed', () => {
  it.each([
    ['', null],
    [' 85 ', 85],
    ['０９５', 95],
    ['0', 0],
    ['120', 120],
  ])('reads the score %j as %j (the range is the core’s)', (text, score) => {
    expect(readScore(text)).toEqual({ ok: true, score });
  });

  it.each(['85.5', '-1', '八十', '9 0'])('refuses %j as a score', (text) => {
    expect(readScore(text).ok).toBe(false);
  });

  it('reads passed, failed and undecided both ways', () => {
    expect([passedOf(true), passedOf(false), passedOf(null)]).toEqual(['yes', 'no', 'undecided']);
    expect([readPassed('yes'), readPassed('no'), readPassed('undecided')]).toEqual([true, false, null]);
  });

  it('starts from the stored results and keeps what is being typed when the class changes', () => {
    const trainees = [trainee(1, { score: 90, passed: true }), trainee(2)];
    const drafts = resultDrafts(trainees);
    expect([...drafts]).toEqual([
      [1, { score: '90', passed: 'yes' }],
      [2, { score: '', passed: 'undecided' }],
    ]);
    drafts.set(2, { score: '60', passed: 'no' });
    const again = resultDrafts([...trainees, trainee(3, { score: 70 })], drafts);
    expect([again.get(2), again.get(3)]).toEqual([{ score: '60', passed: 'no' }, { score: '70', passed: 'undecided' }]);
  });

  it('tells a result typed over the stored one, a score read as a number', () => {
    const stored = { score: '80', passed: 'yes' as const };
    expect(resultChanged({ score: ' ８０ ', passed: 'yes' }, stored)).toBe(false);
    expect(resultChanged({ score: '81', passed: 'yes' }, stored)).toBe(true);
    expect(resultChanged({ score: '80', passed: 'no' }, stored)).toBe(true);
    expect(resultChanged({ score: '优', passed: 'yes' }, stored)).toBe(true);
  });

  it('read again, keeps only what was typed and shows another worker’s change everywhere else', () => {
    const before = [trainee(1, { score: 90, passed: true }), trainee(2), trainee(3, { score: 70 })];
    const drafts = resultDrafts(before);
    drafts.set(2, { score: '60', passed: 'no' });
    // Someone else changed 1's score and 2's; nobody here typed over 1 or 3.
    const after = [trainee(1, { score: 95, passed: true }), trainee(2, { score: 75 }), trainee(3, { score: 70 })];
    const shown = draftsAfterReread(before, after, drafts);
    expect([...shown]).toEqual([
      [1, { score: '95', passed: 'yes' }],
      [2, { score: '60', passed: 'no' }],
      [3, { score: '70', passed: 'undecided' }],
    ]);
    expect([...shown].filter(([id, d]) => resultChanged(d, resultDrafts(after).get(id)!)).map(([id]) => id)).toEqual([2]);
  });

  it('sends every trainee’s result in the class’s order, naming those whose score is not a number', () => {
    const trainees = [trainee(1), trainee(2), trainee(3, { score: 88, passed: true })];
    const drafts = new Map([
      [2, { score: '59', passed: 'no' as const }],
      [1, { score: '优', passed: 'yes' as const }],
    ]);
    expect(readResults(trainees, drafts)).toEqual({
      results: [
        { person_id: 2, score: 59, passed: false },
        { person_id: 3, score: 88, passed: true },
      ],
      bad: [1],
    });
  });
});

describe('a class’s attendance and figures', () => {
  const record: ClassRecord = {
    class: {
      id: 1, unit_id: 3, kind: 'candidate_class', name: '发展对象培训班', starts: '2026-10-10', ends: '2026-10-12',
      sessions: [
        { id: 11, date: '2026-10-10', minutes: 480, topic: null },
        { id: 12, date: '2026-10-11', minutes: 450, topic: null },
      ],
      version: null,
    },
    unit: '第一党支部',
    trainees: [trainee(1, { sessions: [11, 12], passed: true }), trainee(2, { sessions: [12], passed: false }), trainee(3)],
  };

  it('lists who was at a session', () => {
    expect(presentAt(record.trainees, 12)).toEqual([1, 2]);
    expect(presentAt(record.trainees, 11)).toEqual([1]);
    expect(presentAt(record.trainees, 99)).toEqual([]);
  });

  it('adds up the sessions’ time and counts the trainees and those passed', () => {
    expect(classFigures(record)).toEqual({ minutes: 930, trainees: 3, passed: 1 });
  });
});
