import {
  AthenaClient,
  type GetQueryExecutionCommandInput,
  type GetQueryResultsCommandInput,
  type GetTableMetadataCommandInput,
  type GetWorkGroupCommandInput,
  type StartQueryExecutionCommandInput,
  type StopQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import { h, type CallContext, type ModelModule } from '../types';

type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface AthenaExecution {
  id: string;
  query: string;
  token: string | null;
  workgroup: string;
  database: string | null;
  output: string | null;
  state: QueryState;
  reason: string | null;
  polls: number;
  bytes: number;
}

/** How a query that matches `match` (a regular expression over its text) runs. */
export interface AthenaScript {
  match: string;
  /** GetQueryExecution polls before it ends; null: it never ends by itself (a stalled query, to be cancelled). */
  polls: number | null;
  state: 'SUCCEEDED' | 'FAILED';
  bytes: number;
  reason?: string;
  /** Rows GetQueryResults returns (header first). */
  rows?: string[][];
}

export interface AthenaState {
  executions: Record<string, AthenaExecution>;
  databases: Record<string, { tables: Record<string, { location: string; parameters: Record<string, string> }> }>;
  workgroups: Record<string, { output: string | null; enforce: boolean }>;
  /** First match wins; a query matching none succeeds at its second poll, scanning nothing. */
  scripts: AthenaScript[];
}

const DB = /^\s*CREATE\s+DATABASE\s+(IF\s+NOT\s+EXISTS\s+)?`?(\w+)`?/i;
const TABLE = /^\s*CREATE\s+EXTERNAL\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?`?(\w+)`?\.`?(\w+)`?/i;

/** The effect of a DDL statement when it succeeds, or why it fails (as Athena says it). */
function ddl(s: AthenaState, q: string): string | null {
  const db = DB.exec(q);
  if (db) {
    if (s.databases[db[2]!] && !db[1]) return `FAILED: AlreadyExistsException: Database ${db[2]} already exists`;
    s.databases[db[2]!] ??= { tables: {} };
    return null;
  }
  const t = TABLE.exec(q);
  if (t) {
    const d = s.databases[t[2]!];
    if (!d) return `FAILED: SemanticException [Error 10072]: Database does not exist: ${t[2]}`;
    if (d.tables[t[3]!] && !t[1]) return `FAILED: AlreadyExistsException: Table ${t[3]} already exists`;
    const parameters: Record<string, string> = {};
    const props = /TBLPROPERTIES\s*\(([\s\S]*)\)\s*;?\s*$/i.exec(q)?.[1] ?? '';
    for (const m of props.matchAll(/'([^']+)'\s*=\s*'([^']*)'/g)) parameters[m[1]!] = m[2]!;
    d.tables[t[3]!] ??= { location: /LOCATION\s+'([^']+)'/i.exec(q)?.[1] ?? '', parameters };
    return null;
  }
  return null;
}

function script(s: AthenaState, q: string): AthenaScript {
  return s.scripts.find((x) => new RegExp(x.match, 'i').test(q)) ?? { match: '', polls: 2, state: 'SUCCEEDED', bytes: 0 };
}

function view(e: AthenaExecution) {
  return {
    QueryExecutionId: e.id,
    Query: e.query,
    WorkGroup: e.workgroup,
    QueryExecutionContext: e.database ? { Database: e.database, Catalog: 'AwsDataCatalog' } : { Catalog: 'AwsDataCatalog' },
    Status: { State: e.state, ...(e.reason ? { StateChangeReason: e.reason } : {}) },
    Statistics: { DataScannedInBytes: e.bytes, EngineExecutionTimeInMillis: e.polls * 1000 },
    ResultConfiguration: e.output ? { OutputLocation: `${e.output.replace(/\/?$/, '/')}${e.id}.csv` } : {},
  };
}

function execution(ctx: CallContext<AthenaState>, id: string | undefined): AthenaExecution {
  const e = id ? ctx.state.executions[id] : undefined;
  if (!e) return ctx.error('InvalidRequestException', `QueryExecution ${id} was not found`, 400);
  return e;
}

/**
 * Athena (regional): workgroups, the Glue catalog's databases and tables (created by the DDL Lariat
 * runs), and query executions as a state machine: QUEUED, RUNNING, then SUCCEEDED, FAILED or
 * CANCELLED, one step per GetQueryExecution. StartQueryExecution is idempotent by ClientRequestToken,
 * as AWS documents, so a start whose reply was lost and is sent again returns the same execution.
 */
export const athena: ModelModule<AthenaState> = {
  name: 'athena',
  service: 'athena',
  client: AthenaClient,
  scope: 'regional',
  throttlingCode: 'TooManyRequestsException',
  initial: () => ({ executions: {}, databases: {}, workgroups: { primary: { output: null, enforce: false } }, scripts: [] }),
  handlers: {
    GetWorkGroup: h<GetWorkGroupCommandInput, AthenaState>((i, ctx) => {
      const w = ctx.state.workgroups[i.WorkGroup ?? ''];
      if (!w) return ctx.error('InvalidRequestException', `WorkGroup ${i.WorkGroup} is not found.`, 400);
      return {
        WorkGroup: {
          Name: i.WorkGroup,
          State: 'ENABLED',
          Configuration: {
            EnforceWorkGroupConfiguration: w.enforce,
            ...(w.output ? { ResultConfiguration: { OutputLocation: w.output } } : {}),
          },
        },
      };
    }),
    GetTableMetadata: h<GetTableMetadataCommandInput, AthenaState>((i, ctx) => {
      const t = ctx.state.databases[i.DatabaseName ?? '']?.tables[i.TableName ?? ''];
      if (!t) return ctx.error('MetadataException', `Table ${i.TableName} not found in database ${i.DatabaseName}`, 400);
      return { TableMetadata: { Name: i.TableName, TableType: 'EXTERNAL_TABLE', Parameters: { ...t.parameters, location: t.location } } };
    }),
    StartQueryExecution: h<StartQueryExecutionCommandInput, AthenaState>((i, ctx) => {
      const query = i.QueryString ?? '';
      if (!query.trim()) return ctx.error('InvalidRequestException', 'QueryString must not be empty', 400);
      const token = i.ClientRequestToken ?? null;
      const same = token ? Object.values(ctx.state.executions).find((e) => e.token === token) : undefined;
      if (same) {
        if (same.query !== query) return ctx.error('InvalidRequestException', 'Idempotent parameters do not match', 400);
        return { QueryExecutionId: same.id };
      }
      const workgroup = i.WorkGroup ?? 'primary';
      const w = ctx.state.workgroups[workgroup];
      if (!w) return ctx.error('InvalidRequestException', `WorkGroup ${workgroup} is not found.`, 400);
      const output = w.enforce ? w.output : (i.ResultConfiguration?.OutputLocation ?? w.output);
      if (!output) return ctx.error('InvalidRequestException', 'No output location provided.', 400);
      const id = ctx.id('q').replace(/^q-/, '');
      ctx.state.executions[id] = {
        id,
        query,
        token,
        workgroup,
        database: i.QueryExecutionContext?.Database ?? null,
        output,
        state: 'QUEUED',
        reason: null,
        polls: 0,
        bytes: 0,
      };
      return { QueryExecutionId: id };
    }),
    GetQueryExecution: h<GetQueryExecutionCommandInput, AthenaState>((i, ctx) => {
      const e = execution(ctx, i.QueryExecutionId);
      if (e.state === 'QUEUED' || e.state === 'RUNNING') {
        e.polls++;
        const sc = script(ctx.state, e.query);
        e.state = 'RUNNING';
        if (sc.polls !== null && e.polls >= sc.polls) {
          const failed = sc.state === 'FAILED' ? (sc.reason ?? 'FAILED') : ddl(ctx.state, e.query);
          e.state = failed ? 'FAILED' : 'SUCCEEDED';
          e.reason = failed;
          e.bytes = sc.bytes;
        } else e.bytes = sc.polls === null ? sc.bytes * e.polls : Math.floor((sc.bytes * e.polls) / sc.polls);
      }
      return { QueryExecution: view(e) };
    }),
    StopQueryExecution: h<StopQueryExecutionCommandInput, AthenaState>((i, ctx) => {
      const e = execution(ctx, i.QueryExecutionId);
      if (e.state === 'QUEUED' || e.state === 'RUNNING') {
        e.state = 'CANCELLED';
        e.reason = 'Query cancelled by user';
      }
      return {};
    }),
    GetQueryResults: h<GetQueryResultsCommandInput, AthenaState>((i, ctx) => {
      const e = execution(ctx, i.QueryExecutionId);
      if (e.state !== 'SUCCEEDED')
        return ctx.error('InvalidRequestException', `Query has not yet finished. Current state: ${e.state}`, 400);
      const rows = script(ctx.state, e.query).rows ?? [];
      return { ResultSet: { Rows: rows.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) })) }, UpdateCount: 0 };
    }),
  },
};
