import { describe, expect, it } from 'vitest';
import { loadLastUser, saveLastUser } from './last-user';

function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    get length() {
      return m.size;
    },
  };
}

describe('the last user name', () => {
  it('is kept trimmed, and forgotten when the name was left empty', () => {
    const s = memory();
    expect(loadLastUser(s)).toBe('');
    saveLastUser(' 王老师 ', s);
    expect(loadLastUser(s)).toBe('王老师');
    saveLastUser('  ', s);
    expect(loadLastUser(s)).toBe('');
  });

  it('does without storage', () => {
    expect(loadLastUser(undefined)).toBe('');
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => {} };
    expect(loadLastUser(broken)).toBe('');
    expect(() => saveLastUser('王老师', broken)).not.toThrow();
  });
});
