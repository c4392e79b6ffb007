import { describe, expect, it } from 'vitest';
import {
  addPending,
  attachmentFilters,
  buildFields,
  copyName,
  fieldsForm,
  fileName,
  formatSize,
  isAttachable,
  lineState,
  missingCount,
  parseNumber,
  pendingNamedIn,
  recordSummary,
  stepChoices,
  stepFor,
} from './files';
import type { ChecklistLine, EventKind, ProcedureEvent } from './api/types';

const line = (over: Partial<ChecklistLine>): ChecklistLine => ({
  material: 'x', name_zh: 'x', name_en: 'x', expected: false, records: [], date: null, ...over,
});
const ev = (id: number, kind: EventKind, date: string): ProcedureEvent => ({ id, kind, date, months: null, note: null });

describe('checklist lines', () => {
  it.each([
    ['present when on file', { expected: true, records: [3] }, 'present'],
    ['missing when its step is recorded and nothing is on file', { expected: true }, 'missing'],
    ['not yet needed before its step', { expected: false }, 'not_yet'],
    ['present when filed before its step', { expected: false, records: [4] }, 'present'],
  ] as const)('%s', (_what, over, state) => {
    expect(lineState(line({ ...over, records: [...('records' in over ? over.records : [])] }))).toBe(state);
  });

  it('counts only the missing', () => {
    expect(missingCount([line({ expected: true }), line({ expected: true, records: [1] }), line({}), line({ expected: true })])).toBe(2);
  });
});

describe('a record’s summary', () => {
  it('is its title, else the first line of text that is not blank', () => {
    expect(recordSummary({ title: ' 入党申请书 ', body: '敬爱的党组织：' })).toBe('入党申请书');
    expect(recordSummary({ title: null, body: '\n  \r\n  敬爱的党组织：\n我志愿…' })).toBe('敬爱的党组织：');
    expect(recordSummary({ title: '', body: '' })).toBe('');
  });
});

describe('the step a record documents', () => {
  const events = [
    ev(1, 'application_received', '2024-01-05'),
    ev(2, 'conversion_meeting', '2026-06-02'),
    ev(3, 'admitted', '2025-06-01'),
    ev(4, 'thought_report', '2025-01-01'),
    ev(5, 'thought_report', '2025-04-01'),
  ];

  it('offers only the steps the kind may document, oldest first', () => {
    expect(stepChoices('branch_resolution', events).map((e) => e.id)).toEqual([3, 2]);
    expect(stepChoices('application_letter', events).map((e) => e.id)).toEqual([1]);
    expect(stepChoices('study_note', events)).toEqual([]);
  });

  it('keeps an allowed choice, picks the only one, and leaves several to the worker', () => {
    expect(stepFor('branch_resolution', events, 2)).toBe(2);
    expect(stepFor('application_letter', events, 2)).toBe(1);
    expect(stepFor('thought_report', events, null)).toBeNull();
    expect(stepFor('oath', events, 1)).toBeNull();
  });
});

describe('the kinds’ own fields', () => {
  const form = { who: ' 王老师 ', course: '党课', hours: '１２．５', certificate: ' ', grade: 'excellent' as const, score: '95' };

  it('keeps only the kind’s own, the rest empty', () => {
    expect(buildFields('talk_record', form)).toEqual({ who: '王老师', course: null, hours: null, certificate: null, grade: null, score: null });
    expect(buildFields('training_record', form)).toEqual({ who: null, course: '党课', hours: 12.5, certificate: null, grade: null, score: null });
    expect(buildFields('appraisal', form)).toEqual({ who: null, course: null, hours: null, certificate: null, grade: 'excellent', score: 95 });
    expect(buildFields('oath', form)).toEqual({ who: null, course: null, hours: null, certificate: null, grade: null, score: null });
  });

  it('round-trips through the form', () => {
    const f = { who: null, course: '党课', hours: 8, certificate: 'No.1', grade: null, score: null };
    expect(buildFields('training_record', fieldsForm(f))).toEqual(f);
  });

  it('reads numbers, blank as none and anything else as not a number', () => {
    expect(parseNumber(' 8 ')).toBe(8);
    expect(parseNumber('0.5')).toBe(0.5);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('八')).toBeNaN();
    expect(parseNumber('1e3')).toBeNaN();
  });
});

describe('files to attach', () => {
  it('names a file from a path of either system', () => {
    expect(fileName('/home/user/扫描/申请书.jpg')).toBe('申请书.jpg');
    expect(fileName('C:\\Users\\办公室\\决议.PDF')).toBe('决议.PDF');
  });

  it('accepts JPEG, PNG and PDF by name', () => {
    expect(['a.jpg', 'a.JPEG', 'a.png', 'a.Pdf'].every(isAttachable)).toBe(true);
    expect(['a.docx', 'a', 'dir.jpg/a', 'a.jpg.zip'].some(isAttachable)).toBe(false);
  });

  it('adds each file once and sets aside what cannot be attached', () => {
    expect(addPending(['/a.jpg'], ['/b.pdf', '/a.jpg', '/c.docx', '/b.pdf'])).toEqual({ pending: ['/a.jpg', '/b.pdf'], refused: ['/c.docx'] });
  });

  it('finds the file the core’s reason names', () => {
    const pending = ['/tmp/好.jpg', '/tmp/fake/x.pdf'];
    expect(pendingNamedIn('「x.pdf」的文件名表明是PDF 文件，内容却是JPEG 图片', pending)).toBe('/tmp/fake/x.pdf');
    expect(pendingNamedIn('“x.pdf” is named as a PDF file', pending)).toBe('/tmp/fake/x.pdf');
    expect(pendingNamedIn('something else', pending)).toBeNull();
  });

  it('writes sizes in B, KB and MB', () => {
    expect(formatSize(850)).toBe('850 B');
    expect(formatSize(12 * 1024 + 100)).toBe('12 KB');
    expect(formatSize(3.45 * 1024 * 1024)).toBe('3.5 MB');
    expect(formatSize(20 * 1024 * 1024)).toBe('20 MB');
  });

  it('offers every attachable kind in the open dialog first, then each alone', () => {
    expect(attachmentFilters('扫描件、照片和 PDF')).toEqual([
      { name: '扫描件、照片和 PDF', extensions: ['jpg', 'jpeg', 'png', 'pdf'] },
      { name: 'JPEG', extensions: ['jpg', 'jpeg'] },
      { name: 'PNG', extensions: ['png'] },
      { name: 'PDF', extensions: ['pdf'] },
    ]);
  });

  it.each([
    ['keeps a name that ends as its content', '签到表.jpg', 'image/jpeg', '签到表.jpg'],
    ['keeps the other JPEG extension, in any case', 'IMG_0012.JPEG', 'image/jpeg', 'IMG_0012.JPEG'],
    ['adds the extension of the content to a bare name', '签到表', 'image/png', '签到表.png'],
    ['adds it when the name says another kind', '会议记录.jpg', 'application/pdf', '会议记录.jpg.pdf'],
    ['names a file without a name', '  ', 'application/pdf', 'file.pdf'],
  ] as const)('a saved copy %s', (_what, name, media_type, expected) => {
    expect(copyName({ name, media_type })).toBe(expected);
  });
});
