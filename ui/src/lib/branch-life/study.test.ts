import { describe, expect, it } from 'vitest';
import type { StudyHours } from '../api/types';
import { entriesMinutes, entryHours, fmtHours, isShort, readStudyEntry, studyRows } from './study';

const row = (member_id: number, hours: number, required = 32): StudyHours => ({
  member_id, name: `党员${member_id}`, branch: '第一党支部', hours, meeting_hours: hours, class_hours: 0, own_hours: 0,
  required, committee: required > 32, clause: '第十条',
});

describe('study hours', () => {
  it('tells who is short of the hours asked, exactly at the line', () => {
    expect([isShort(row(1, 31.9)), isShort(row(2, 32)), isShort(row(3, 40, 56))]).toEqual([true, false, true]);
  });

  it('narrows the table to those short, keeping the core’s order', () => {
    const rows = [row(1, 10), row(2, 33), row(3, 50, 56)];
    expect(studyRows(rows, true).map((r) => r.member_id)).toEqual([1, 3]);
    expect(studyRows(rows, false).map((r) => r.member_id)).toEqual([1, 2, 3]);
  });

  it('writes hours to a tenth', () => {
    expect([fmtHours(12.5), fmtHours(32), fmtHours(1.25), fmtHours(0)]).toEqual(['12.5', '32', '1.3', '0']);
  });
});

describe('a member’s entries of own study', () => {
  it('shows each entry’s minutes as hours to a tenth', () => {
    expect([entryHours(90), entryHours(60), entryHours(50), entryHours(45), entryHours(1440), entryHours(0)]).toEqual([
      '1.5', '1', '0.8', '0.8', '24', '0',
    ]);
  });

  it('adds up the entries’ time in minutes, none as nothing', () => {
    expect(entriesMinutes([{ minutes: 90 }, { minutes: 45 }, { minutes: 30 }])).toBe(165);
    expect(entriesMinutes([])).toBe(0);
  });
});

describe('an entry of own study', () => {
  const draft = { personId: '14', date: '2026-03-05', hours: '1.5', title: ' 学习强国专题 ', source: '  ' };

  it('reads the dialog as a new entry: hours in minutes, texts trimmed, no source as none', () => {
    expect(readStudyEntry(draft)).toEqual({
      entry: { id: null, person_id: 14, date: '2026-03-05', minutes: 90, title: '学习强国专题', source: null },
      bad: { person: false, date: false, hours: false, title: false },
    });
    expect(readStudyEntry({ ...draft, source: ' 网络学院 ' }).entry?.source).toBe('网络学院');
  });

  it('names each field left empty or not readable, and sends nothing', () => {
    const read = readStudyEntry({ personId: '', date: '2026-02-30', hours: '', title: '  ', source: '' });
    expect(read).toEqual({ entry: null, bad: { person: true, date: true, hours: true, title: true } });
    expect(readStudyEntry({ ...draft, hours: '两小时' }).bad.hours).toBe(true);
  });
});
