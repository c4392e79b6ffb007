/**
 * One question to the shell asked from an `$effect`, where a newer question (the effect ran again: another unit,
 * day or refresh) or the component going away makes the answer stale. Only the latest question's answer or failure
 * is handed on, so what is shown never jumps back to an older one; `loading` is true while it is asked. What was
 * shown before stays until the answer replaces it (the screens dim it meanwhile). Returns the effect's cleanup.
 */
export function askLatest<T>(
  ask: () => Promise<T>,
  on: { answer: (value: T) => void; failed: (error: unknown) => void; loading?: (busy: boolean) => void },
): () => void {
  let stale = false;
  on.loading?.(true);
  ask()
    .then(
      (value) => {
        if (!stale) on.answer(value);
      },
      (error: unknown) => {
        if (!stale) on.failed(error);
      },
    )
    .finally(() => {
      if (!stale) on.loading?.(false);
    });
  return () => {
    stale = true;
    on.loading?.(false);
  };
}
