import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTOLOCK_MINUTES, idleTooLong, loadAutolockMinutes, lockingSoon, saveAutolockMinutes } from './autolock';

function memory() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe('auto-lock', () => {
  it('locks after ten idle minutes unless the user chose otherwise', () => {
    const storage = memory();
    expect(loadAutolockMinutes(storage)).toBe(DEFAULT_AUTOLOCK_MINUTES);
    expect(idleTooLong(0, 9 * 60_000, 10)).toBe(false);
    expect(idleTooLong(0, 10 * 60_000, 10)).toBe(true);
    saveAutolockMinutes(30, storage);
    expect(loadAutolockMinutes(storage)).toBe(30);
    saveAutolockMinutes(null, storage);
    expect(loadAutolockMinutes(storage)).toBeNull();
    expect(idleTooLong(0, 1e12, null)).toBe(false);
  });

  it('warns in the last minute before locking, and never when it never locks', () => {
    expect(lockingSoon(0, 8 * 60_000, 10)).toBe(false);
    expect(lockingSoon(0, 9 * 60_000, 10)).toBe(true);
    expect(lockingSoon(0, 10 * 60_000, 10)).toBe(false);
    expect(lockingSoon(0, 1e12, null)).toBe(false);
  });

  it('falls back to the default on anything it cannot read', () => {
    const storage = memory();
    storage.setItem('dangan.autolock.minutes', 'soon');
    expect(loadAutolockMinutes(storage)).toBe(DEFAULT_AUTOLOCK_MINUTES);
    storage.setItem('dangan.autolock.minutes', '-5');
    expect(loadAutolockMinutes(storage)).toBe(DEFAULT_AUTOLOCK_MINUTES);
  });
});
