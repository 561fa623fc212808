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
