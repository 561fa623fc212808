import { performance } from 'node:perf_hooks';
import type { Logger } from '../core/logger';
import { classifyFault, type CheckableDb } from '../core/faults';

type Fn = (input: never) => unknown;

/** Faults worth a stack trace in the log: the ones the investigator cannot fix by changing the input. */
const SERIOUS = new Set(['internal', 'db-corrupt', 'search-corrupt']);

/**
 * Wraps every operation of a handler table (the functions the IPC, the CLI and the test transport all
 * call) so that each call writes one log line: channel, outcome, error code, duration; never its input.
 * Errors leave classified (main/core/faults.ts): an operation never answers a bare `internal` without
 * the log file named, and a damaged database is said to be damaged. Synchronous handlers stay synchronous.
 */
export function withOperationLog<T extends Record<string, Fn>>(handlers: T, deps: { log: Logger; dbFile: string; db?: CheckableDb }): T {
  const out: Record<string, Fn> = {};
  for (const [op, handler] of Object.entries(handlers)) {
    out[op] = ((input: never) => {
      const started = performance.now();
      const ms = () => Math.round((performance.now() - started) * 10) / 10;
      const failed = (err: unknown): never => {
        const fault = classifyFault(err, { dbFile: deps.dbFile, logFile: deps.log.file, db: deps.db });
        const serious = SERIOUS.has(fault.code);
        deps.log.write(serious ? 'error' : 'warn', 'op', { op, ok: false, code: fault.code, ms: ms(), ...(serious ? { error: err } : {}) });
        throw fault;
      };
      let result: unknown;
      try {
        result = handler(input);
      } catch (err) {
        return failed(err);
      }
      if (result instanceof Promise) {
        return result.then((value: unknown) => {
          deps.log.info('op', { op, ok: true, ms: ms() });
          return value;
        }, failed);
      }
      deps.log.info('op', { op, ok: true, ms: ms() });
      return result;
    }) as Fn;
  }
  return out as T;
}
