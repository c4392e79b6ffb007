// The procedure as the core defines it (`procedure()`: stages, and each step with whether it repeats and the months
// it carries), read once after unlocking, like the session. The UI keeps no copy of those rules; until the answer
// arrives, no step is taken to repeat or to carry months.

import type { EventKind, MonthsRange, Procedure, Step } from './api/types';

const state = $state<{ procedure: Procedure | null }>({ procedure: null });

export function setProcedure(procedure: Procedure | null): void {
  state.procedure = procedure;
}

function stepOf(kind: EventKind): Step | undefined {
  return state.procedure?.steps.find((s) => s.kind === kind);
}

/** Whether the step may be recorded again and again (培养教育考察, 思想汇报). */
export function stepRepeats(kind: EventKind): boolean {
  return stepOf(kind)?.repeats ?? false;
}

/** The months the step carries (the two extensions), or `null`. */
export function monthsOf(kind: EventKind): MonthsRange | null {
  return stepOf(kind)?.months ?? null;
}

/** Whether the months typed are a whole number within the step's range; a step that carries no months takes any. */
export function monthsFit(range: MonthsRange | null, months: number): boolean {
  return !range || (Number.isInteger(months) && months >= range.min && months <= range.max);
}
