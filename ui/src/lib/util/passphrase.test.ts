import { describe, expect, it } from 'vitest';
import { passphraseStrength } from './passphrase';

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
