/**
 * Work that must not interleave with other work of the same key in this process: a check and the write
 * it allows (is this manifest attached to the witness already? if not, attach it), which are no longer
 * one step once the store answers asynchronously.
 */

/** Runs each `work` after every earlier one of the same key has settled; resolves as `work` does. */
export type Serialise = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function serialiser(): Serialise {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work);
    // The next one waits for this one to settle, whether it succeeded or not.
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
