// Where the core's flags on late or out-of-order steps (dangan-core's `late`) go on a timeline. The core decides what
// is late and says why; this only places each flag beside the step it names, so the rule is never worked out twice.

import type { LateStep, ProcedureEvent } from './api/types';

/** The flags on this step: those naming its kind and its day (the core flags a step by the first of its kind). */
export function lateFlagsFor(event: Pick<ProcedureEvent, 'kind' | 'date'>, late: readonly LateStep[]): LateStep[] {
  return late.filter((l) => l.step === event.kind && l.date === event.date);
}

/** The flags no step on the list matches, so that a timeline can still show them rather than drop them. */
export function unplacedLate(events: readonly Pick<ProcedureEvent, 'kind' | 'date'>[], late: readonly LateStep[]): LateStep[] {
  return late.filter((l) => !events.some((e) => e.kind === l.step && e.date === l.date));
}
