import type { z } from 'zod';
import { AppError } from '../core/errors';

/**
 * Contract fields that commands take as positional arguments (`lariat timeline <case>`, `timeline show <id>`) or as
 * options named differently from the field (`--case <case>`): named the way the usage line shows them, not as an
 * option that does not exist (`--caseNumber`).
 */
const FIELD_LABELS: Record<string, string> = { caseNumber: '<case>', eventId: '<id>' };

/** The positional arguments of the command running now (`asset add <case> <kind> <identifier>`), set before its action. */
let positionals: ReadonlySet<string> = new Set();

/** Records the running command's positional argument names, so a field given as one is named `<kind>`, not `--kind`. */
export function setPositionals(names: readonly string[]): void {
  positionals = new Set(names);
}

/** How the user typed a field: its usage label, or the option (`maxResults` → `--max-results`). */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const parts = path.filter((p) => p !== 'patch').map(String);
  if (parts.length === 0) return 'input';
  const [head, ...rest] = parts;
  const kebab = head!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const name = FIELD_LABELS[head!] ?? (positionals.has(kebab) ? `<${kebab}>` : `--${kebab}`);
  return [name, ...rest].join('.');
}

/** Validates CLI options with the same zod schema as the IPC contract, dropping options that were not given. */
export function parseInput<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const result = schema.safeParse(clean);
  if (!result.success) {
    // `patch` is how the contract nests changed fields; on the command line they are plain options.
    const issues = result.error.issues.map((i) => `${fieldLabel(i.path)}: ${i.message}`).join('; ');
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
