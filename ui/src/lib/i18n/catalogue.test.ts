import { describe, expect, it } from 'vitest';
import { CATALOGUES, LOCALES, translate } from './catalogue';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';
import { CATEGORIES, CLASS_KINDS, DEADLINE_KINDS, EVENT_KINDS, GENDERS, GRADES, MEDIA_TYPES, RECORD_KINDS, ROLES, STAGES, STATUSES } from '../api/domain';

// Type level: `en` is declared `Messages`, so a missing or extra key already fails `npm run check`. These tests
// catch what types cannot: empty strings and mismatched placeholders.

describe('message catalogues', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it.each(LOCALES)('%s has no empty message', (locale) => {
    const empty = Object.entries(CATALOGUES[locale]).filter(([, v]) => v.trim() === '');
    expect(empty).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched = (Object.keys(zhCN) as MessageKey[]).filter(
      (k) => placeholders(zhCN[k]).join() !== placeholders(en[k]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('label every kind of material, grade and attachment type, as the core names them', () => {
    const keys = [...RECORD_KINDS.map((k) => `record_kind.${k}`), ...GRADES.map((g) => `grade.${g}`), ...MEDIA_TYPES.map((m) => `media.${m}`)];
    expect(keys.filter((k) => !(k in zhCN))).toEqual([]);
    expect(RECORD_KINDS.map((k) => zhCN[`record_kind.${k}`])).toEqual([
      '入党申请书', '谈话记录', '思想汇报', '考察意见', '培训记录', '入党介绍人意见', '政审材料', '入党志愿书', '支部大会决议',
      '上级党委审批意见', '入党宣誓', '转正申请书', '学习笔记与活动', '民主评议',
    ]);
    expect(GRADES.map((g) => zhCN[`grade.${g}`])).toEqual(['优秀', '合格', '基本合格', '不合格']);
    expect(GRADES.map((g) => en[`grade.${g}`])).toEqual(['Excellent', 'Qualified', 'Basically qualified', 'Unqualified']);
  });

  it('label every stage, event kind, status, deadline kind, weekday, gender and category', () => {
    const keys: string[] = [
      ...STAGES.map((s) => `stage.${s}`),
      ...EVENT_KINDS.map((k) => `event.${k}`),
      ...STATUSES.map((s) => `status.${s}`),
      ...DEADLINE_KINDS.map((k) => `deadline_kind.${k}`),
      ...[1, 2, 3, 4, 5, 6, 7].map((d) => `weekday.${d}`),
      ...GENDERS.map((g) => `gender.${g}`),
      ...CATEGORIES.map((c) => `category.${c}`),
    ];
    expect(keys.filter((k) => !(k in zhCN))).toEqual([]);
  });
});

describe('training class wording', () => {
  it('names the kinds of class as the office does', () => {
    expect(CLASS_KINDS.map((k) => zhCN[`class_kind.${k}`])).toEqual(['入党积极分子培训班', '发展对象培训班', '党员培训班']);
    expect(CLASS_KINDS.filter((k) => !(`class_kind.${k}` in en))).toEqual([]);
    expect(zhCN['class.record_steps']).toBe('记入发展程序：短期集中培训');
  });
});

describe('role wording', () => {
  it('names the five roles as the core does, with what each may do', () => {
    expect(ROLES.map((r) => zhCN[`role.${r}`])).toEqual(['管理员', '组织员', '支部书记', '审计员', '纪检委员']);
    expect(ROLES.map((r) => en[`role.${r}`])).toEqual(['Administrator', 'Organiser', 'Branch secretary', 'Auditor', 'Discipline inspector']);
    expect(ROLES.filter((r) => !(`role.hint.${r}` in zhCN))).toEqual([]);
  });
});

describe('deadline wording', () => {
  it('names the statuses, kinds and new steps as the office does', () => {
    expect([zhCN['status.overdue'], zhCN['status.due_soon'], zhCN['status.upcoming'], zhCN['status.not_yet'], zhCN['status.open']])
      .toEqual(['已逾期', '即将到期', '未到期', '未到时间', '可以办理']);
    expect([zhCN['deadline_kind.deadline'], zhCN['deadline_kind.earliest'], zhCN['deadline_kind.recurring']]).toEqual(['期限', '最早日期', '周期']);
    expect([zhCN['event.activist_review'], zhCN['event.thought_report'], zhCN['event.candidate_publicity']]).toEqual([
      '培养教育考察', '思想汇报', '发展对象公示',
    ]);
    expect([en['event.activist_review'], en['event.thought_report'], en['event.candidate_publicity']]).toEqual([
      'Activist review', 'Thought report', 'Candidate publicity',
    ]);
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate('zh-CN', 'list.count', { n: 1234 })).toBe('共 1234 人');
    expect(translate('en', 'list.count', { n: 1234 })).toBe('1234 people');
  });

  it('leaves a placeholder with no value as it is', () => {
    expect(translate('en', 'list.count')).toBe('{n} people');
  });
});

describe('every message is used', () => {
  // The UI's own sources, as text (the catalogues themselves and tests left out).
  const sources = import.meta.glob(['../../**/*.ts', '../../**/*.svelte', '!../../**/*.test.ts', '!./zh-CN.ts', '!./en.ts'], {
    query: '?raw',
    import: 'default',
    eager: true,
  }) as Record<string, string>;
  const text = Object.values(sources).join('\n');
  // Keys built at run time, `t(\`role.${role}\`)`: the static part before the first `${`.
  const prefixes = [...text.matchAll(/`([a-z0-9_.]+)\$\{/g)].map((m) => m[1] ?? '');

  it('reads the sources it checks', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(40);
    expect(prefixes).toContain('role.');
  });

  it('has no key that no source names, literally or by a prefix built at run time', () => {
    const unused = (Object.keys(zhCN) as MessageKey[]).filter(
      (key) => !text.includes(`'${key}'`) && !text.includes(`"${key}"`) && !prefixes.some((p) => key.startsWith(p)),
    );
    expect(unused).toEqual([]);
  });
});
