const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` after any other sync of the same case in this process has
 * finished: the sync started by an ending response action and the one the
 * investigator asked for must never both send the same pending item.
 */
export async function withCaseLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
