import { describe, expect, it } from 'vitest';
import { CATALOGUES, LOCALES, translate } from './catalogue';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';
import { EVENT_KINDS, STAGES, CATEGORIES, GENDERS } from '../api/domain';

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

  it('label every stage, event kind, gender and category', () => {
    const keys: string[] = [
      ...STAGES.map((s) => `stage.${s}`),
      ...EVENT_KINDS.map((k) => `event.${k}`),
      ...GENDERS.map((g) => `gender.${g}`),
      ...CATEGORIES.map((c) => `category.${c}`),
    ];
    expect(keys.filter((k) => !(k in zhCN))).toEqual([]);
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
