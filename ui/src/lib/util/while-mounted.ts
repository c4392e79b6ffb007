/**
 * A subscription to the shell (an event, a file drop) kept for as long as a component is mounted. The subscription
 * resolves asynchronously, so a component unmounted before it does must still unsubscribe once it has: this is the
 * one place that bookkeeping lives. Returns the cleanup for `onMount`.
 */
export function whileMounted(subscribe: () => Promise<() => void>, unavailable: () => void = () => {}): () => void {
  let stop: (() => void) | undefined;
  let gone = false;
  subscribe()
    .then((unlisten) => {
      if (gone) unlisten();
      else stop = unlisten;
    })
    .catch(unavailable);
  return () => {
    gone = true;
    stop?.();
  };
}
