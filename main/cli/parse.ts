import type { z } from 'zod';
import { AppError } from '../core/errors';

/** Validates CLI options with the same zod schema as the IPC contract, dropping options that were not given. */
export function parseInput<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const result = schema.safeParse(clean);
  if (!result.success) {
    // `patch` is how the contract nests changed fields; on the command line they are plain options.
    const issues = result.error.issues.map((i) => `--${i.path.filter((p) => p !== 'patch').join('.') || 'input'}: ${i.message}`).join('; ');
    throw new AppError('invalid-input', `Invalid arguments: ${issues}.`, 'Run the command with --help to see what it accepts.');
  }
  return result.data;
}

/** One option value split at commas (`--sections a,b`), blanks dropped: for an option that is given once. */
export const commaList = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A repeatable option that takes single values as typed (`--param A=1 --param B=2`): a value may itself hold commas. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** A repeatable option that also takes comma-separated values (`--region eu-west-1,us-east-1 --region eu-central-1`). */
export const collectList = (v: string, prev: string[] = []): string[] => [...prev, ...commaList(v)];
