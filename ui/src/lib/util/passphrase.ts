// A passphrase strength hint from length and variety alone (no dictionary, no dependency). It is a hint for the
// person choosing, not a gate: the gate is the minimum length.

export const MIN_PASSPHRASE_LENGTH = 8;

export type Strength = 0 | 1 | 2 | 3 | 4;

/** 0 = too short, 1 = weak, 2 = fair, 3 = good, 4 = strong. */
export function passphraseStrength(p: string): Strength {
  const chars = [...p];
  if (chars.length < MIN_PASSPHRASE_LENGTH) return 0;
  const cjk = chars.filter((c) => /[\u3400-\u9fff]/.test(c)).length;
  // Lower, upper, digit, symbol — and CJK, which draws from thousands of characters, so each counts double.
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\u3400-\u9fff]/].filter((re) => re.test(p)).length + (cjk > 0 ? 1 : 0);
  const effective = chars.length + cjk;
  const lengthPoints = effective >= 20 ? 3 : effective >= 14 ? 2 : effective >= 10 ? 1 : 0;
  const varietyPoints = (classes >= 2 ? 1 : 0) + (classes >= 3 ? 1 : 0);
  let score = lengthPoints + varietyPoints;
  // Repetition (aaaaaaaa, 12121212) adds length without adding guesses.
  if (new Set(chars).size < Math.min(6, chars.length / 2)) score = Math.min(score, 1);
  return Math.max(1, Math.min(4, score)) as Strength;
}

/**
 * What keeps a new passphrase, typed twice, from being saved: `too_short` (under the minimum), `mismatch` (the two
 * differ), or `null` when it may be saved.
 */
export function newPassphraseProblem(passphrase: string, again: string): 'too_short' | 'mismatch' | null {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return 'too_short';
  if (again !== passphrase) return 'mismatch';
  return null;
}
