import { runCli } from '../../main/cli/main';

/** Runs the CLI in-process against a data folder, capturing stdout and stderr. */
export async function cli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, env: { LARIAT_DATA_DIR: dataDir } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
