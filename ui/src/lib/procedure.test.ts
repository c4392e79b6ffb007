import { describe, expect, it } from 'vitest';
import repliesJson from './api/recorded/replies.json?raw';
import type { Procedure } from './api/types';
import { monthsFit, monthsOf, setProcedure, stepRepeats } from './procedure.svelte';

/** The procedure as the real core answered it (`recorded/replies.json`). */
function recordedProcedure(): Procedure {
  const replies = JSON.parse(repliesJson) as { sessions: Record<string, { command: string; ok?: unknown }[]> };
  return replies.sessions.administrator!.find((r) => r.command === 'procedure')!.ok as Procedure;
}

describe('the procedure, as the core defines it', () => {
  it('says which steps repeat and which carry months, from the core’s answer', () => {
    setProcedure(recordedProcedure());
    expect(stepRepeats('thought_report')).toBe(true);
    expect(stepRepeats('oath')).toBe(false);
    expect(monthsOf('probation_extended')).toEqual({ min: 6, max: 12, proposed: 6 });
    expect(monthsOf('approval_extended')).toEqual({ min: 1, max: 3, proposed: 3 });
    expect(monthsOf('admitted')).toBeNull();
  });

  it('assumes nothing before the core has answered', () => {
    setProcedure(null);
    expect(stepRepeats('thought_report')).toBe(false);
    expect(monthsOf('probation_extended')).toBeNull();
  });
});

describe('the months an extension carries', () => {
  it('fit when a whole number within the step’s range, and any months fit a step without a range', () => {
    const range = { min: 6, max: 12, proposed: 6 };
    expect(monthsFit(range, 6)).toBe(true);
    expect(monthsFit(range, 12)).toBe(true);
    expect(monthsFit(range, 5)).toBe(false);
    expect(monthsFit(range, 13)).toBe(false);
    expect(monthsFit(range, 7.5)).toBe(false);
    expect(monthsFit(range, Number(''))).toBe(false);
    expect(monthsFit(range, Number('abc'))).toBe(false);
    expect(monthsFit(null, Number.NaN)).toBe(true);
  });
});
