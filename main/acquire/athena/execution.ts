import crypto from 'node:crypto';
import { AppError } from '../../core/errors';
import { cancelledError, type JobContext } from '../../jobs/job-service';
import type { AwsClients, Sleep } from '../../aws/clients';

export interface QueryExecution {
  QueryExecutionId?: string;
  Query?: string;
  StatementType?: string;
  WorkGroup?: string;
  ResultConfiguration?: { OutputLocation?: string };
  QueryExecutionContext?: { Database?: string; Catalog?: string };
  Status?: { State?: string; StateChangeReason?: string; SubmissionDateTime?: Date | string; CompletionDateTime?: Date | string };
  Statistics?: { DataScannedInBytes?: number; EngineExecutionTimeInMillis?: number; TotalExecutionTimeInMillis?: number };
}

export interface StatementTarget {
  clients: AwsClients;
  region: string;
  workgroup: string;
  outputLocation: string | null;
  database?: string;
  sleep: Sleep;
  pollMs: number;
}

/**
 * The ClientRequestToken of a statement: the same acquisition, statement and
 * text always give the same token, so a StartQueryExecution re-sent after a
 * lost reply or a kill returns the query already started instead of running
 * (and billing) it twice.
 */
export function requestToken(scope: string, sql: string): string {
  return `lariat-${crypto.createHash('sha256').update(`${scope}\n${sql}`).digest('hex').slice(0, 48)}`;
}

/** Starts a statement (idempotent by token) and returns its execution id. */
export async function startStatement(t: StatementTarget, sql: string, token: string, signal?: AbortSignal): Promise<string> {
  const out = await t.clients.call<{ QueryExecutionId?: string }>(
    'athena',
    t.region,
    'StartQueryExecution',
    {
      QueryString: sql,
      ClientRequestToken: token,
      WorkGroup: t.workgroup,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', ...(t.database ? { Database: t.database } : {}) },
      ...(t.outputLocation ? { ResultConfiguration: { OutputLocation: t.outputLocation } } : {}),
    },
    { signal, context: `workgroup ${t.workgroup}` },
  );
  if (!out.QueryExecutionId) throw new AppError('aws-error', 'Athena started no query (no QueryExecutionId).', 'Try again.');
  return out.QueryExecutionId;
}

/**
 * Waits for a query to end, reporting bytes scanned; a cancel stops it in
 * Athena (StopQueryExecution) before giving up, so nothing keeps scanning.
 */
export async function waitForQuery(t: StatementTarget, id: string, job?: JobContext): Promise<QueryExecution> {
  for (;;) {
    if (job?.signal.aborted) {
      await t.clients.call('athena', t.region, 'StopQueryExecution', { QueryExecutionId: id }).catch(() => undefined);
      throw cancelledError();
    }
    const out = await t.clients.call<{ QueryExecution?: QueryExecution }>(
      'athena',
      t.region,
      'GetQueryExecution',
      { QueryExecutionId: id },
      { context: id },
    );
    const q = out.QueryExecution ?? {};
    const state = q.Status?.State ?? 'UNKNOWN';
    job?.progress(q.Statistics?.DataScannedInBytes ?? 0, null, `Athena query ${id}: ${state}`);
    if (state === 'SUCCEEDED') return q;
    if (state === 'FAILED' || state === 'CANCELLED')
      throw new AppError(
        'athena-query-failed',
        `Athena query ${id} ${state.toLowerCase()}: ${q.Status?.StateChangeReason ?? 'no reason given'}.`,
        'Read the reason above (a missing permission names the S3 bucket or Glue table; a syntax error its line), fix it and plan the query again.',
      );
    await t.sleep(t.pollMs, job?.signal).catch(() => undefined);
  }
}
