import { runCli } from '../../main/cli/main';
import type { Services } from '../../main/services';

/** What one CLI run left: its exit code and its stdout and stderr lines joined, as a terminal would show them. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs the CLI in-process with the given environment (and services, where a test needs instant waits or a feature of its own),
 * capturing stdout and stderr: one place decides how output is collected, so every CLI test asserts on the same text.
 */
export async function runCaptured(argv: string[], options: { env: NodeJS.ProcessEnv; services?: () => Services }): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { ...options, io: { out: (t) => out.push(t), err: (t) => err.push(t) } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs the CLI in-process against a data folder, capturing stdout and stderr. */
export function cli(dataDir: string, ...argv: string[]): Promise<CliRun> {
  return runCaptured(argv, { env: { LARIAT_DATA_DIR: dataDir } });
}
