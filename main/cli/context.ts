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
