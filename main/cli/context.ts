import type { z } from 'zod';
import type { ChannelName, ParsedInputOf, ResultOf } from '../../common/contract';
import type { Services } from '../services';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What every CLI command gets: lazily opened services (so `--help` never touches the database) and output streams. */
export interface CliContext {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  services(): Services;
  /**
   * The one door: runs the operation the app's IPC channel runs, with input parsed by the same contract
   * schema (or, for CLI-only fields, a schema that `.extend()`s it). Commands only parse and print.
   */
  op<K extends ChannelName>(name: K, raw: Record<string, unknown>, schema?: z.ZodType<ParsedInputOf<K>>): Promise<ResultOf<K>>;
  /** A path named on the command line, as the single-use token operations take (the CLI may choose paths; the renderer never). */
  grant(filePath: string, purpose: 'read' | 'write', options?: { overwrite?: boolean }): string;
  /** Waits for a job an operation started, printing its progress on stderr (at most once a second). */
  waitJob<T>(jobId: string): Promise<T>;
  /** Set by a command to make the process exit non-zero without an error message (e.g. verification failed). */
  exitCode: number;
}

/** Prints rows as an aligned plain-text table. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.io.out(JSON.stringify(value, null, 2));
}
