import { describe, expect, it } from 'vitest';
import { newPassphraseProblem, passphraseStrength } from './passphrase';

describe('passphraseStrength', () => {
  it.each([
    ['', 0],
    ['abc123', 0],
    ['aaaaaaaaaaaa', 1],
    ['password', 1],
    ['password1234', 2],
    ['Password-1234', 3],
    ['Correct-Horse-Battery-9', 4],
    ['我们的支部在三楼', 2],
    ['我们的支部在三楼302', 3],
  ] as const)('%j scores %i', (p, score) => {
    expect(passphraseStrength(p)).toBe(score);
  });
});

describe('newPassphraseProblem', () => {
  it('asks for the minimum length first, then the same passphrase twice', () => {
    expect(newPassphraseProblem('短口令', '短口令')).toBe('too_short');
    expect(newPassphraseProblem('long enough', 'long enougH')).toBe('mismatch');
    expect(newPassphraseProblem('long enough', 'long enough')).toBeNull();
    expect(newPassphraseProblem('八个汉字的口令啊', '八个汉字的口令啊')).toBeNull();
  });
});
