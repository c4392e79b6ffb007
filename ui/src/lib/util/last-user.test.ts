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

const OFFICE = 'D:\\党建\\档案库';
const USB = '/media/usb/档案库';

describe('the last user name', () => {
  it('is kept trimmed, and forgotten when the name was left empty', () => {
    const s = memory();
    expect(loadLastUser(OFFICE, s)).toBe('');
    saveLastUser(OFFICE, ' 王老师 ', s);
    expect(loadLastUser(OFFICE, s)).toBe('王老师');
    saveLastUser(OFFICE, '  ', s);
    expect(loadLastUser(OFFICE, s)).toBe('');
  });

  it('belongs to its workspace: another workspace offers its own name, or none', () => {
    const s = memory();
    saveLastUser(OFFICE, '王老师', s);
    expect(loadLastUser(USB, s)).toBe('');
    saveLastUser(USB, '李书记', s);
    expect(loadLastUser(OFFICE, s)).toBe('王老师');
    expect(loadLastUser(USB, s)).toBe('李书记');
    saveLastUser(USB, '', s);
    expect(loadLastUser(USB, s)).toBe('');
    expect(loadLastUser(OFFICE, s)).toBe('王老师');
  });

  it('does without storage', () => {
    expect(loadLastUser(OFFICE, undefined)).toBe('');
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => {} };
    expect(loadLastUser(OFFICE, broken)).toBe('');
    expect(() => saveLastUser(OFFICE, '王老师', broken)).not.toThrow();
  });
});
