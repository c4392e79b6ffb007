// What a form dialog does with the core's refusal of its save: an `invalid_input` that names one of the form's own
// fields is said beside that field (`reason`), in the current language, and so is each broken rule of a `violations`
// refusal that names one (a person field, a step); anything else at the foot of the form (`general`, for
// `FormDialog`'s `error`: the refusal, or the broken rules no field of the form shows); a locked workspace goes back
// to the unlock screen. The form's own checks (a date that is not one) stay the form's; whether the values are
// allowed is always the core's to say.

import { invalidInputOf, toAppError, violationsOf, type InvalidInput } from '../api/errors';
import type { BridgeError } from '../api/types';
import { violationText } from '../i18n/errors';
import { locale, pick } from '../i18n/index.svelte';

export class FormRefusal {
  /** The core's refusal of the last save; cleared when the form saves again. */
  error = $state<BridgeError | null>(null);

  /**
   * `fields`: the core's names of the fields this form shows a reason beside. `onlocked`: where a locked workspace
   * goes; without it, the refusal is shown like any other.
   */
  constructor(
    private readonly fields: readonly string[],
    private readonly onlocked?: () => void,
  ) {}

  /** The field at fault and why, when the core named one of this form's fields. */
  get invalid(): InvalidInput | null {
    const invalid = this.error ? invalidInputOf(this.error) : null;
    return invalid && this.fields.includes(invalid.field) ? invalid : null;
  }

  /** Why the core refused the value of `field`, in the current language; `null` when it did not. */
  reason(field: string): string | null {
    const invalid = this.invalid;
    if (invalid) return invalid.field === field ? pick(invalid.reason_zh, invalid.reason_en) : null;
    if (!this.error || !this.fields.includes(field)) return null;
    const broken = violationsOf(this.error).filter((v) => v.field === field);
    return broken.length === 0 ? null : broken.map((v) => violationText(v, locale())).join(' ');
  }

  /** The refusal no field shows: at the foot of the form (of broken rules, those that name no field of the form). */
  get general(): BridgeError | null {
    if (!this.error || this.invalid) return null;
    const broken = violationsOf(this.error);
    if (broken.length === 0) return this.error;
    const rest = broken.filter((v) => !this.fields.includes(v.field));
    if (rest.length === broken.length) return this.error;
    return rest.length === 0 ? null : { ...this.error, details: rest };
  }

  /** Asks the core (`ask`), then hands its answer to `done`; a refusal is kept for the form to show. */
  async submit<T>(ask: () => Promise<T>, done: (answer: T) => void): Promise<void> {
    this.error = null;
    let answer: T;
    try {
      answer = await ask();
    } catch (e) {
      const err = toAppError(e);
      if (err.kind === 'locked' && this.onlocked) this.onlocked();
      else this.error = err;
      return;
    }
    done(answer);
  }
}
