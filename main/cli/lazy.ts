/** The CLI runtime (main/cli/runtime.ts), known only by type here so that importing this file loads nothing. */
type Runtime = typeof import('./runtime');

let runtime: Runtime | undefined;

/** Called by runCli's `preAction` hook once the runtime is loaded, before any command action runs. */
export function setRuntime(r: Runtime): void {
  runtime = r;
}

/**
 * A module of the runtime, reachable from a command file without importing it: the object resolves on
 * first use, which is always inside a command action (after `preAction`). Importing the module itself
 * would pull the features, SQLite and the AWS SDK into `lariat --help`.
 */
export function lazy<T extends object>(pick: (r: Runtime) => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      if (!runtime) throw new Error('a CLI command used the runtime before it was loaded');
      return (pick(runtime) as Record<PropertyKey, unknown>)[key];
    },
  });
}
