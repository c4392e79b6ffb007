// Whether closing a form, or leaving a screen, would throw away what was typed, and the question that asks first. A
// form dialog notes each edit (`noted`, on its form's input and change events); a close asked for (取消, ✕, Esc)
// with something entered turns into the question (`confirming`, shown by DiscardQuestion), and only 放弃 then closes.
// An editor inline on a screen (the appraisal's vote table, a class's results and attendance) says itself whether it
// holds unsaved edits (`UnsavedEdits`): it knows when they were saved or typed back to what was stored. Both count in
// `formsWithInput`, which the shell asks before it remakes a screen by itself (a reminder clicked, the day turning),
// and waits while anything holds input: remade, the screen would take the form or the editor with it. Leaving by the
// side menu, or opening a reminder while only editors hold input, the shell asks first (LeaveQuestion).

import { untrack } from 'svelte';

const open = $state({ forms: 0, editors: 0 });

/** How many forms and inline editors hold input not yet saved or discarded. */
export function formsWithInput(): number {
  return open.forms + open.editors;
}

/** How many of them are editors inline on a screen, not forms in a dialog: leaving the screen would discard them. */
export function editorsWithInput(): number {
  return open.editors;
}

/**
 * An inline editor's place in `formsWithInput`: counted once while it holds unsaved edits. The editor tells it from
 * an `$effect` on its own "changed" flag (`holds(edited)`) and lets go when destroyed (`release`).
 */
export class UnsavedEdits {
  #held = false;

  holds(edited: boolean): void {
    if (edited === this.#held) return;
    this.#held = edited;
    // Called from an effect: the count is written, not read, by it.
    untrack(() => (open.editors += edited ? 1 : -1));
  }

  /** The editor is gone: what it held went with it. */
  release(): void {
    this.holds(false);
  }
}

export class DiscardGuard {
  /** Something was typed or chosen since the form opened. */
  edited = $state(false);
  /** A close was asked with something entered: the form's footer asks whether to discard it. */
  confirming = $state(false);

  constructor(private readonly close: () => void) {}

  noted(): void {
    if (!this.edited) open.forms++;
    this.edited = true;
    this.confirming = false;
  }

  /** The form is gone (saved, discarded, or its screen closed): it holds nothing any more. */
  dispose(): void {
    if (this.edited) open.forms--;
    this.edited = false;
  }

  /**
   * A close asked for. `busy`: a save runs, whose outcome must be seen, so nothing closes; `open`: the form still
   * takes input (not showing an outcome, after which nothing is left to lose).
   */
  request(busy: boolean, open = true): void {
    if (busy) return;
    if (this.edited && open && !this.confirming) this.confirming = true;
    else this.close();
  }

  keepEditing(): void {
    this.confirming = false;
  }
}
