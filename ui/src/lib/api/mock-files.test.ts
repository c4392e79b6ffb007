// The mock's member files behave as dangan-core's: the same checks naming the same fields, all-or-nothing
// attachments, and the checklist's present and missing lines.

import { describe, expect, it } from 'vitest';
import { MockBackend } from './mock';
import { MATERIALS, checklist } from './mock-files';
import { invalidInputOf, isAppError } from './errors';
import type { AppError, ChecklistLine, EventKind, FileRecord, ProcedureEvent, RecordFields, RecordKind } from './types';

const TODAY = '2026-11-24';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const NO_FIELDS: RecordFields = { who: null, course: null, hours: null, certificate: null, grade: null, score: null };

/** A workspace with one new person, who has these steps; `step(kind)` is the id of their event of that kind. */
async function member(steps: [EventKind, string][]) {
  const b = new MockBackend({ state: 'unlocked', size: 0, today: TODAY });
  const detail = await b.savePerson({
    id: null, branch_id: 3, name: '测试', gender: null, ethnicity: null, birth_date: null, id_number: null,
    student_no: null, category: null, department: null, class_name: null, phone: null, native_place: null, notes: null,
  });
  const id = detail.person.id!;
  let events: ProcedureEvent[] = [];
  for (const [kind, date] of steps) events = (await b.saveEvent(id, { id: null, kind, date, months: null, note: null })).events;
  const step = (kind: EventKind) => events.find((e) => e.kind === kind)!.id;
  const record = (kind: RecordKind, over: Partial<FileRecord> = {}): FileRecord => ({
    id: null, person_id: id, kind, date: '2026-01-10', event_id: null, title: null, body: '', fields: { ...NO_FIELDS }, attachments: [],
    ...over,
  });
  const line = async (material: string): Promise<ChecklistLine> => (await b.memberFile(id)).checklist.find((l) => l.material === material)!;
  return { b, id, step, record, line };
}

describe('MockBackend records: the core’s checks', () => {
  it.each<[string, RecordKind, Partial<FileRecord>, string]>([
    ['a talk record without who talked', 'talk_record', {}, 'who'],
    ['a training record without its course', 'training_record', { fields: { ...NO_FIELDS, hours: 8 } }, 'course'],
    ['a training record of no hours', 'training_record', { fields: { ...NO_FIELDS, course: '党课', hours: 0 } }, 'hours'],
    ['a training record of over 1000 hours', 'training_record', { fields: { ...NO_FIELDS, course: '党课', hours: 1000.5 } }, 'hours'],
    ['an appraisal without a grade', 'appraisal', { fields: { ...NO_FIELDS, score: 90 } }, 'grade'],
    ['an appraisal scored over 100', 'appraisal', { fields: { ...NO_FIELDS, grade: 'excellent', score: 101 } }, 'score'],
    ['a record dated after today', 'study_note', { date: '2026-11-25' }, 'date'],
    ['a record tied to an event the member lacks', 'oath', { event_id: 9999 }, 'event_id'],
    ['a title over 200 characters', 'study_note', { title: '长'.repeat(201) }, 'title'],
  ])('refuses %s, naming the field', async (_what, kind, over, field) => {
    const { b, record } = await member([]);
    const e = await rejection(b.saveRecord(record(kind, over), []));
    expect(e.kind).toBe('invalid_input');
    expect(invalidInputOf(e)?.field).toBe(field);
  });

  it('accepts the kinds’ own fields at their limits', async () => {
    const { b, record } = await member([]);
    await b.saveRecord(record('talk_record', { fields: { ...NO_FIELDS, who: ' 王老师 ' } }), []);
    await b.saveRecord(record('training_record', { fields: { ...NO_FIELDS, course: '党课', hours: 1000 } }), []);
    const a = await b.saveRecord(record('appraisal', { fields: { ...NO_FIELDS, grade: 'basically_qualified', score: 0 } }), []);
    expect(a.fields).toMatchObject({ grade: 'basically_qualified', score: 0 });
  });

  it('refuses a record tied to a step its kind does not document', async () => {
    const { b, step, record } = await member([['application_received', '2026-01-05'], ['applicant_talk', '2026-01-20']]);
    const e = await rejection(b.saveRecord(record('application_letter', { event_id: step('applicant_talk') }), []));
    expect(invalidInputOf(e)).toMatchObject({ field: 'event_id', reason_zh: '「入党申请书」不记载「党组织派人谈话」这一步' });
  });

  it('trims who and the title, and keeps no blank title', async () => {
    const { b, record } = await member([]);
    const r = await b.saveRecord(record('talk_record', { title: '  ', fields: { ...NO_FIELDS, who: ' 王老师 ' } }), []);
    expect(r).toMatchObject({ title: null, fields: { who: '王老师' } });
  });

  it('updates a record in place and refuses one that does not exist', async () => {
    const { b, id, record } = await member([]);
    const r = await b.saveRecord(record('study_note', { body: '第一稿' }), []);
    await b.saveRecord({ ...r, body: '第二稿' }, []);
    expect((await b.memberFile(id)).records.map((x) => x.body)).toEqual(['第二稿']);
    expect((await rejection(b.saveRecord({ ...r, id: 999 }, []))).kind).toBe('not_found');
    expect((await rejection(b.saveRecord(record('study_note', { person_id: 999 }), []))).kind).toBe('not_found');
  });

  it('lists records oldest first', async () => {
    const { b, id, record } = await member([]);
    await b.saveRecord(record('study_note', { date: '2026-05-01' }), []);
    await b.saveRecord(record('study_note', { date: '2026-02-01' }), []);
    expect((await b.memberFile(id)).records.map((r) => r.date)).toEqual(['2026-02-01', '2026-05-01']);
  });
});

describe('MockBackend attachments', () => {
  it('stores each file with the type its content has, and gives its bytes back', async () => {
    const { b, record } = await member([]);
    const r = await b.saveRecord(record('study_note'), ['/home/user/扫描/笔记.JPG', 'C:\\扫描\\决议.pdf', '/tmp/照片.png']);
    expect(r.attachments.map((a) => [a.name, a.media_type])).toEqual([
      ['笔记.JPG', 'image/jpeg'], ['决议.pdf', 'application/pdf'], ['照片.png', 'image/png'],
    ]);
    const jpeg = new Uint8Array(await b.attachmentBytes(r.attachments[0]!.id));
    expect([...jpeg.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(jpeg.length).toBe(r.attachments[0]!.size);
    expect(new TextDecoder().decode((await b.attachmentBytes(r.attachments[1]!.id)).slice(0, 5))).toBe('%PDF-');
  });

  it('refuses a file whose content is not what its name says, naming it, and saves nothing', async () => {
    const { b, id, record } = await member([]);
    const e = await rejection(b.saveRecord(record('study_note'), ['/tmp/好.jpg', '/tmp/fake/x.pdf']));
    expect(invalidInputOf(e)).toEqual({
      field: 'attachment',
      reason_zh: '「x.pdf」的文件名表明是PDF 文件，内容却是JPEG 图片；请改正文件名后再添加',
      reason_en: '“x.pdf” is named as a PDF file but holds a JPEG image; correct its name and add it again',
    });
    expect((await b.memberFile(id)).records).toEqual([]);
  });

  it('refuses a file of another type by its name', async () => {
    const { b, record } = await member([]);
    const e = await rejection(b.saveRecord(record('study_note'), ['/tmp/申请书.docx']));
    expect(invalidInputOf(e)).toMatchObject({ field: 'attachment', reason_zh: '「申请书.docx」不是可以添加的文件：只接受 JPEG、PNG 图片和 PDF 文件' });
  });

  it('deletes one attachment, or all of them with their record', async () => {
    const { b, id, record } = await member([]);
    const r = await b.saveRecord(record('study_note'), ['/tmp/a.jpg', '/tmp/b.png']);
    await b.deleteAttachment(r.attachments[0]!.id);
    expect((await b.memberFile(id)).records[0]!.attachments.map((a) => a.name)).toEqual(['b.png']);
    expect((await rejection(b.deleteAttachment(r.attachments[0]!.id))).kind).toBe('not_found');
    await b.deleteRecord(r.id!);
    expect((await b.memberFile(id)).records).toEqual([]);
    expect((await rejection(b.attachmentBytes(r.attachments[1]!.id))).kind).toBe('not_found');
    expect((await rejection(b.deleteRecord(r.id!))).kind).toBe('not_found');
  });

  it('saves a copy, or fails as a read-only place would', async () => {
    const { b, record } = await member([]);
    const r = await b.saveRecord(record('study_note'), ['/tmp/决议.pdf']);
    await b.saveAttachmentAs(r.attachments[0]!.id, '/home/user/决议.pdf');
    expect((await rejection(b.saveAttachmentAs(r.attachments[0]!.id, '/readonly/决议.pdf'))).kind).toBe('io');
  });
});

describe('MockBackend checklist', () => {
  it('expects materials by the steps recorded: missing, then present once the record is on file', async () => {
    const { b, step, record, line } = await member([['application_received', '2026-01-05'], ['applicant_talk', '2026-01-20']]);
    expect(await line('talk_record')).toMatchObject({ expected: true, records: [], date: null });
    expect(await line('oath')).toMatchObject({ expected: false, records: [] });
    const r = await b.saveRecord(record('talk_record', { date: '2026-01-20', event_id: step('applicant_talk'), fields: { ...NO_FIELDS, who: '王老师' } }), []);
    expect(await line('talk_record')).toMatchObject({ expected: true, records: [r.id], date: '2026-01-20' });
  });

  it('counts a resolution tied to the conversion meeting for 支部大会转正决议, not the admission one', async () => {
    const { b, step, record, line } = await member([['admitted', '2025-06-01'], ['conversion_meeting', '2026-06-02']]);
    const r = await b.saveRecord(record('branch_resolution', { date: '2026-06-02', event_id: step('conversion_meeting') }), []);
    expect(await line('conversion_resolution')).toMatchObject({ name_zh: '支部大会转正决议', expected: true, records: [r.id] });
    expect(await line('admission_resolution')).toMatchObject({ expected: true, records: [] });
  });

  it('gives untied resolutions to the admission first, then the conversion', async () => {
    const { b, record, line } = await member([['admitted', '2025-06-01'], ['conversion_meeting', '2026-06-02']]);
    const first = await b.saveRecord(record('branch_resolution', { date: '2025-06-01' }), []);
    const second = await b.saveRecord(record('branch_resolution', { date: '2026-06-02' }), []);
    expect((await line('admission_resolution')).records).toEqual([first.id]);
    expect((await line('conversion_resolution')).records).toEqual([second.id]);
  });

  it('keeps a record whose step is deleted, tied to nothing', async () => {
    const { b, id, step, record } = await member([['application_received', '2026-01-05']]);
    const event = step('application_received')!;
    await b.saveRecord(record('application_letter', { date: '2026-01-05', event_id: event }), []);
    await b.deleteEvent(id, event);
    const file = await b.memberFile(id);
    expect(file.records[0]!.event_id).toBeNull();
    expect(file.checklist.find((l) => l.material === 'application_letter')).toMatchObject({ expected: false, records: [file.records[0]!.id] });
  });

  it('lists every material of rules/checklist.toml in the archive’s order', () => {
    const lines = checklist([], []);
    expect(lines.map((l) => l.material)).toEqual(MATERIALS.map((m) => m.id));
    expect(lines[0]!.material).toBe('application_letter');
    expect(lines.at(-1)!.material).toBe('conversion_approval');
    expect(lines.every((l) => !l.expected && l.records.length === 0)).toBe(true);
  });

  it('gives a study note or an appraisal to no material', () => {
    const note: FileRecord = {
      id: 1, person_id: 1, kind: 'study_note', date: '2026-01-01', event_id: null, title: null, body: '', fields: NO_FIELDS, attachments: [],
    };
    expect(checklist([], [note, { ...note, id: 2, kind: 'appraisal' }]).flatMap((l) => l.records)).toEqual([]);
  });
});

describe('MockBackend file drop', () => {
  it('hands dropped paths to the handlers listening, and reports the drag over the window', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 0, today: TODAY });
    const dropped: string[][] = [];
    const hover: boolean[] = [];
    const stop = await b.onFileDrop((paths) => dropped.push(paths), (over) => hover.push(over));
    b.hoverFiles(true);
    b.dropFiles(['/tmp/a.jpg', '/tmp/b.pdf']);
    expect(dropped).toEqual([['/tmp/a.jpg', '/tmp/b.pdf']]);
    expect(hover).toEqual([true, false]);
    stop();
    b.dropFiles(['/tmp/c.png']);
    expect(dropped).toHaveLength(1);
  });

  it('works without a hover handler', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 0, today: TODAY });
    const dropped: string[][] = [];
    await b.onFileDrop((paths) => dropped.push(paths));
    b.hoverFiles(true);
    b.dropFiles(['/tmp/a.jpg']);
    expect(dropped).toEqual([['/tmp/a.jpg']]);
  });
});

describe('MockBackend sample files', () => {
  it('gives the first sample members a file with scans and gaps', async () => {
    const b = new MockBackend({ state: 'unlocked', size: 3, today: TODAY });
    const file = await b.memberFile(1);
    expect(file.records.map((r) => r.kind)).toContain('application_letter');
    expect(file.records.find((r) => r.kind === 'application_letter')!.attachments).toMatchObject([{ media_type: 'image/jpeg' }]);
    expect(file.checklist.find((l) => l.material === 'application_letter')!.records).toHaveLength(1);
  });
});
