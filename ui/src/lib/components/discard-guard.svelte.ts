// Whether closing a form would throw away what was typed into it, and the question that asks first. A form dialog
// notes each edit (`noted`, on its form's input and change events); a close asked for (取消, ✕, Esc) with something
// entered turns into the question (`confirming`, shown by DiscardQuestion), and only 放弃 then closes. The shell asks
// `formsWithInput` before it remakes a screen by itself (a reminder clicked, the day turning), and waits while any
// form holds input: remade, the screen would take the form with it.

const open = $state({ withInput: 0 });

/** How many forms hold input not yet saved or discarded. */
export function formsWithInput(): number {
  return open.withInput;
}

export class DiscardGuard {
  /** Something was typed or chosen since the form opened. */
  edited = $state(false);
  /** A close was asked with something entered: the form's footer asks whether to discard it. */
  confirming = $state(false);

  constructor(private readonly close: () => void) {}

  noted(): void {
    if (!this.edited) open.withInput++;
    this.edited = true;
    this.confirming = false;
  }

  /** The form is gone (saved, discarded, or its screen closed): it holds nothing any more. */
  dispose(): void {
    if (this.edited) open.withInput--;
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
