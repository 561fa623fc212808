import type { Command } from 'commander';
import { z } from 'zod';
import { Id } from '../../../common/contract/common';
import type { JobRecord } from '../../../common/contract/jobs';
import type { JobContext } from '../../jobs/job-service';
import type * as AcquireOps from '../../acquire/operations';
import { lazy } from '../lazy';
import { type CliContext, printJson } from '../context';
import { parseInput } from '../parse';
import { bytes, formatAcquisition } from './acquire-print';

/**
 * What every acquisition command group (acquire, findings, aws, athena) shares: the lazily loaded
 * operations, the account-scope options, progress printing for jobs, and running a planned acquisition.
 */

/** Loaded with the runtime when a command runs, never by `--help`. */
export const ops: typeof AcquireOps = lazy((r) => r.acquireOps);

export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
export const window = (o: { from?: string; to?: string }) => (o.from || o.to ? { from: o.from, to: o.to } : undefined);

export interface ScopeOpts {
  account?: string[];
  organization?: boolean;
  roleName?: string;
  externalId?: string;
}

export function scopeOptions(c: Command): Command {
  return c
    .option('--account <id>', 'work in this account (repeatable); others than the current one through --role-name', collect)
    .option('--organization', 'work in every active account of the AWS Organization (organizations:ListAccounts)')
    .option('--role-name <name>', 'role assumed in each other account (default LariatResponder)')
    .option('--assume-external-id <id>', 'external id of that role');
}

export const scopeOf = (o: ScopeOpts & { assumeExternalId?: string }) =>
  o.account || o.organization
    ? { accounts: o.account, organization: o.organization, roleName: o.roleName, externalId: o.assumeExternalId }
    : undefined;

/** Runs long work as a job, printing its progress on stderr (at most once a second, and each new message). */
export async function withProgress<T>(
  ctx: CliContext,
  kind: string,
  label: string,
  caseNumber: string | null,
  work: (job: JobContext) => Promise<T>,
  unit: JobRecord['unit'] = 'steps',
): Promise<T> {
  const s = ctx.services();
  let last = 0;
  let lastMessage: string | null = null;
  const off = s.core.events.subscribe((name, payload) => {
    if (name !== 'jobProgress') return;
    const j = payload as JobRecord;
    if (j.kind !== kind || j.state !== 'running') return;
    const now = Date.now();
    if (now - last < 1000 && j.message === lastMessage) return;
    last = now;
    lastMessage = j.message;
    const amount =
      j.unit === 'bytes' ? `${bytes(j.done)}${j.total ? ` of ${bytes(j.total)}` : ''}` : `${j.done}${j.total ? `/${j.total}` : ''}`;
    ctx.io.err(`… ${amount}${j.message ? `  ${j.message}` : ''}`);
  });
  try {
    return await s.core.jobs.run({ kind, label, caseNumber, unit }, work);
  } finally {
    off();
  }
}

export const ref = (id: string): number =>
  parseInput(z.object({ acquisition: z.coerce.number().pipe(Id) }), { acquisition: id }).acquisition;

export async function runPlanned(ctx: CliContext, id: number, json: boolean | undefined): Promise<void> {
  const d = ctx.services().acquire;
  const row = d.store.row(id);
  const unit = row.kind === 'bucket' ? 'bytes' : 'steps';
  const done = await withProgress(ctx, `acquire-${row.kind}`, row.label, row.case_number, (job) => ops.runAcquisition(d, id, job), unit);
  if (json) printJson(ctx, done);
  else ctx.io.out(formatAcquisition(done));
}
