import { describe, expect, it } from 'vitest';
import type { DocumentInfo } from '../api/bindings/DocumentInfo';
import type { Stage } from '../api/bindings/Stage';
import { documentFileName, formatOf, inListOrder, keptOnOneLine, offeredDocuments, tickState, withFormat } from './documents';

/** A document as the core lists it; only what the dialog reads matters here. */
function doc(id: string, stage: Stage | null, batch: boolean, custom = false): DocumentInfo {
  return { id, title: id, title_en: id, stage, batch, clause: '细则第十条', clause_en: 'Rules, art. 10', custom, records: null };
}

// Shaped like the shipped documents: one person's forms, batch notices and requests, and one of any stage.
const ALL: DocumentInfo[] = [
  doc('applicant_talk_record', 'applicant', false),
  doc('activist_register_form', 'activist', false),
  doc('candidate_publicity', 'activist', true),
  doc('political_review_letter', 'candidate', false),
  doc('admission_publicity', 'candidate', true, true),
  doc('conversion_publicity', 'probationary', true),
  doc('office_certificate', null, false),
];

const ids = (docs: DocumentInfo[]) => docs.map((d) => d.id);

describe('the documents a member’s page offers', () => {
  it('are those of the member’s stage and those of any stage, batch or not, in the core’s order', () => {
    expect(ids(offeredDocuments(ALL, { kind: 'member', stage: 'activist' }))).toEqual([
      'activist_register_form',
      'candidate_publicity',
      'office_certificate',
    ]);
    expect(ids(offeredDocuments(ALL, { kind: 'member', stage: 'candidate' }))).toEqual([
      'political_review_letter',
      'admission_publicity',
      'office_certificate',
    ]);
  });

  it('leave out the documents of another stage, earlier or later', () => {
    const offered = ids(offeredDocuments(ALL, { kind: 'member', stage: 'probationary' }));
    expect(offered).toEqual(['conversion_publicity', 'office_certificate']);
    expect(offered).not.toContain('applicant_talk_record');
  });

  it('are only those of any stage at a stage no document is about', () => {
    expect(ids(offeredDocuments(ALL, { kind: 'member', stage: 'full_member' }))).toEqual(['office_certificate']);
  });
});

describe('the documents a batch offers', () => {
  it('are those made for several people at once, of whatever stage', () => {
    expect(ids(offeredDocuments(ALL, { kind: 'batch' }))).toEqual(['candidate_publicity', 'admission_publicity', 'conversion_publicity']);
  });

  it('are none when the core makes no document for several people', () => {
    expect(offeredDocuments(ALL.filter((d) => !d.batch), { kind: 'batch' })).toEqual([]);
    expect(offeredDocuments([], { kind: 'batch' })).toEqual([]);
  });
});

describe('the people ticked', () => {
  it('go to the core in the list’s order, not the order they were ticked in', () => {
    const ticked = [
      { id: 31, name: '王五', index: 12 },
      { id: 7, name: '张三', index: 0 },
      { id: 19, name: '李四', index: 4 },
    ];
    expect(inListOrder(ticked)).toEqual([
      { id: 7, name: '张三' },
      { id: 19, name: '李四' },
      { id: 31, name: '王五' },
    ]);
  });

  it('tick the header’s box when every loaded row is ticked, half when some are', () => {
    const has = (ticked: number[]) => (id: number) => ticked.includes(id);
    expect(tickState([1, 2, 3], has([1, 2, 3, 9]))).toBe('all');
    expect(tickState([1, 2, 3], has([2]))).toBe('some');
    expect(tickState([1, 2, 3], has([9]))).toBe('none');
    expect(tickState([], has([9]))).toBe('none');
  });
});

describe('the name a document is saved under by default', () => {
  const several = (first: string, n: number) => `${first}等${n}人`;

  it('is the title and the person’s name, with the format’s extension', () => {
    expect(documentFileName('入党申请人谈话记录', [{ id: 7, name: '张三' }], 'docx', several)).toBe('入党申请人谈话记录-张三.docx');
    expect(documentFileName('入党申请人谈话记录', [{ id: 7, name: '张三' }], 'pdf', several)).toBe('入党申请人谈话记录-张三.pdf');
  });

  it('names the first of several people with how many they are, in the words given', () => {
    const people = [
      { id: 7, name: '张三' },
      { id: 19, name: '李四' },
      { id: 31, name: '王五' },
    ];
    expect(documentFileName('发展对象公示', people, 'docx', several)).toBe('发展对象公示-张三等3人.docx');
    expect(documentFileName('Publicity', people, 'pdf', (first, n) => `${first} and others (${n})`)).toBe(
      'Publicity-张三 and others (3).pdf',
    );
  });

  it('takes out what a file system refuses, in the title and in a name', () => {
    expect(documentFileName('关于接收预备党员的请示/草稿', [{ id: 1, name: ' 王:五 ' }], 'docx', several)).toBe(
      '关于接收预备党员的请示_草稿-王_五.docx',
    );
    expect(documentFileName('公示?', [{ id: 1, name: 'a*b' }, { id: 2, name: '李四' }], 'pdf', several)).toBe('公示_-a_b等2人.pdf');
  });

  it('is the title alone when it is about no one', () => {
    expect(documentFileName('支部党员大会通知', [], 'docx', several)).toBe('支部党员大会通知.docx');
  });
});

describe('the path a document is saved to', () => {
  it('says its format by its extension, in any case, and none for another', () => {
    expect(formatOf('/home/李/发展对象公示-张三.docx')).toBe('docx');
    expect(formatOf('C:\\文书\\公示.PDF ')).toBe('pdf');
    expect(formatOf('/tmp/公示.doc')).toBeNull();
    expect(formatOf('/tmp/公示')).toBeNull();
    expect(formatOf('')).toBeNull();
  });

  it('swaps a Word or PDF extension for the format chosen', () => {
    expect(withFormat('/home/李/公示-张三.docx', 'pdf')).toBe('/home/李/公示-张三.pdf');
    expect(withFormat('C:\\文书\\公示.PDF', 'docx')).toBe('C:\\文书\\公示.docx');
    expect(withFormat('/home/李/公示.pdf', 'pdf')).toBe('/home/李/公示.pdf');
  });

  it('gives a name without an extension the format’s, and leaves another extension and a blank path as typed', () => {
    expect(withFormat('/home/李/公示', 'docx')).toBe('/home/李/公示.docx');
    expect(withFormat('/home/李.王/公示', 'pdf')).toBe('/home/李.王/公示.pdf');
    expect(withFormat('/home/李/公示.txt', 'pdf')).toBe('/home/李/公示.txt');
    expect(withFormat('/home/李/', 'pdf')).toBe('/home/李/');
    expect(withFormat('', 'pdf')).toBe('');
  });
});

describe('a preview’s table cells', () => {
  it('keep names, dates and numbers on one line', () => {
    for (const cell of ['蔡晓娜', '2026年11月22日', '2000年6月', '1', '大学本科', '', '阿依古丽·买买提']) {
      expect(keptOnOneLine(cell), cell).toBe(true);
    }
  });

  it('let a long text, or one with its own line breaks, wrap', () => {
    expect(keptOnOneLine('该同志入党动机端正，能够认真学习党的理论，积极参加组织生活')).toBe(false);
    expect(keptOnOneLine('张三\n李四')).toBe(false);
  });
});
