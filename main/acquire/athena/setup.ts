import { AppError } from '../../core/errors';
import type { JobContext } from '../../jobs/job-service';
import type { AwsClients } from '../../aws/clients';
import type { AcquisitionRecord, AthenaSetupInput, AthenaSetupPlan } from '../../../common/contract/acquire';
import type { AcquireDeps } from '../deps';
import { bucketClients, trailDelivery } from '../bucket/plan';
import { listFolders } from '../s3/list';
import { awsLogsRoot } from '../s3/layout';
import { createDatabase, createTable, locationTemplate, tableLocation, type TableSpec } from './ddl';
import { requestToken, startStatement, waitForQuery } from './execution';

/** What an Athena setup stores as its request: everything a query needs later. */
export interface SetupRequest {
  spec: TableSpec;
  region: string;
  workgroup: string;
  outputLocation: string | null;
  statements: string[];
  via: AthenaSetupInput['via'] | null;
}

interface WorkGroupOut {
  WorkGroup?: { Configuration?: { ResultConfiguration?: { OutputLocation?: string }; EnforceWorkGroupConfiguration?: boolean } };
}

/** The table as Athena has it now, or null when it does not exist. */
async function existingTable(
  clients: AwsClients,
  region: string,
  spec: TableSpec,
  workgroup: string,
): Promise<Record<string, string> | null> {
  try {
    const out = await clients.call<{ TableMetadata?: { Parameters?: Record<string, string> } }>('athena', region, 'GetTableMetadata', {
      CatalogName: 'AwsDataCatalog',
      DatabaseName: spec.database,
      TableName: spec.table,
      WorkGroup: workgroup,
    });
    return out.TableMetadata?.Parameters ?? {};
  } catch (err) {
    if (err instanceof AppError && (err.code === 'aws-not-found' || /not found|EntityNotFound|MetadataException/i.test(err.message)))
      return null;
    throw err;
  }
}

/**
 * Plans an Athena database and partition-projected table over a trail's or a
 * flow-log bucket's logs, read-only: the bucket (DescribeTrails for a
 * trail), the accounts, regions and organization id under AWSLogs/ unless
 * given, the workgroup's result location (GetWorkGroup), and whether the
 * table already exists (GetTableMetadata). The plan holds the exact DDL.
 */
export async function planAthenaSetup(d: AcquireDeps, input: AthenaSetupInput, job?: JobContext): Promise<AthenaSetupPlan> {
  const c = d.core.cases.requireWritable(input.caseNumber);
  const caseRecord = d.core.cases.get(input.caseNumber);
  const region = input.region ?? caseRecord.regions[0] ?? d.session.whoAmI().region;
  const { clients, access } = await bucketClients(d, input.via ?? null);
  try {
    let bucket = input.bucket ?? '';
    let prefix = input.prefix ?? '';
    if (input.trail) ({ bucket, prefix } = await trailDelivery(clients, region, input.trail, job?.signal));
    const root = awsLogsRoot(prefix);
    let org = input.organizationId ?? null;
    let accounts = input.accounts ?? [];
    if (!accounts.length || (!org && input.logKind === 'cloudtrail')) {
      const top = await listFolders(clients, region, bucket, root, job?.signal);
      org ??= top.find((t) => /^o-[a-z0-9]+$/.test(t)) ?? null;
      if (!accounts.length)
        accounts = org
          ? (await listFolders(clients, region, bucket, `${root}${org}/`, job?.signal)).filter((a) => /^\d{12}$/.test(a))
          : top.filter((a) => /^\d{12}$/.test(a));
    }
    if (!accounts.length)
      throw new AppError(
        'no-logs-found',
        `s3://${bucket}/${root} holds no account folders.`,
        'Check the bucket and prefix, or give --account.',
      );
    const regions = input.regions ?? (caseRecord.regions.length ? caseRecord.regions : []);
    if (!regions.length)
      throw new AppError('no-regions', 'No regions to project.', 'Give --region (repeatable), or add regions to the case.');
    const since = (input.since ?? new Date(d.core.clock.now().getTime() - 730 * 86_400_000).toISOString().slice(0, 10)).replace(/-/g, '/');
    const spec: TableSpec = {
      logKind: input.logKind,
      database: input.database,
      table:
        input.table ?? `${input.logKind === 'cloudtrail' ? 'cloudtrail' : 'vpcflow'}_${bucket.replace(/[^a-z0-9]+/g, '_')}`.slice(0, 64),
      bucket,
      prefix,
      organizationId: org,
      accounts: [...accounts].sort(),
      regions: [...regions].sort(),
      since,
    };
    const wg = await clients.call<WorkGroupOut>(
      'athena',
      region,
      'GetWorkGroup',
      { WorkGroup: input.workgroup },
      { signal: job?.signal, context: input.workgroup },
    );
    const cfg = wg.WorkGroup?.Configuration;
    const enforced = cfg?.EnforceWorkGroupConfiguration === true;
    const outputLocation = enforced
      ? (cfg?.ResultConfiguration?.OutputLocation ?? null)
      : (input.outputLocation ?? cfg?.ResultConfiguration?.OutputLocation ?? null);
    if (!outputLocation)
      throw new AppError(
        'athena-no-output-location',
        `Workgroup ${input.workgroup} has no query result location.`,
        'Give one with --output s3://bucket/athena-results/ (a bucket the role may write to).',
      );
    const params = await existingTable(clients, region, spec, input.workgroup);
    if (params && params['storage.location.template'] && params['storage.location.template'] !== locationTemplate(spec))
      throw new AppError(
        'athena-table-exists',
        `${spec.database}.${spec.table} already exists over ${params['storage.location.template']}.`,
        'Choose another table name with --table (Lariat never changes a table it did not plan).',
      );
    const statements = [createDatabase(spec.database), createTable(spec)];
    const request: SetupRequest = {
      spec,
      region,
      workgroup: input.workgroup,
      outputLocation: enforced ? null : outputLocation,
      statements,
      via: input.via ?? null,
    };
    const label = `Athena table ${spec.database}.${spec.table} over ${tableLocation(spec)}`;
    const id = d.store.insert({ caseId: c.id, kind: 'athena-setup', label, request, actor: d.core.actor().name });
    d.store.mergeResult(id, { exists: params !== null });
    return {
      acquisition: d.store.get(id),
      region,
      workgroup: input.workgroup,
      outputLocation,
      database: spec.database,
      table: spec.table,
      location: tableLocation(spec),
      statements,
      exists: params !== null,
    };
  } finally {
    access.destroy();
  }
}

/**
 * Runs the planned DDL (StartQueryExecution, each with a token derived from
 * the plan, so a re-run after a lost reply starts nothing twice; IF NOT
 * EXISTS makes "already there" a success), then checks the table is there.
 */
export async function runAthenaSetup(d: AcquireDeps, acquisitionId: number, job?: JobContext): Promise<AcquisitionRecord> {
  const req = d.store.request<SetupRequest>(acquisitionId);
  d.store.claim(acquisitionId);
  let access: Awaited<ReturnType<typeof bucketClients>>['access'] | null = null;
  try {
    const opened = await bucketClients(d, req.via);
    access = opened.access;
    const clients = opened.clients;
    const target = {
      clients,
      region: req.region,
      workgroup: req.workgroup,
      outputLocation: req.outputLocation,
      sleep: d.sleep,
      pollMs: d.pollMs,
    };
    const queryIds: string[] = [];
    for (const [i, sql] of req.statements.entries()) {
      job?.throwIfCancelled();
      const qid = await startStatement(target, sql, requestToken(`acquisition-${acquisitionId}-${i}`, sql), job?.signal);
      await waitForQuery(target, qid, job);
      queryIds.push(qid);
    }
    if (!(await existingTable(clients, req.region, req.spec, req.workgroup)))
      throw new AppError(
        'athena-table-missing',
        `Athena reported success, but ${req.spec.database}.${req.spec.table} is not in the Glue catalog.`,
        'Check the Glue permissions (glue:CreateTable, glue:GetTable) of the role, then run the setup again.',
      );
    d.store.mergeResult(acquisitionId, { queryIds, database: req.spec.database, table: req.spec.table });
    d.store.finish(acquisitionId, null);
  } catch (err) {
    d.store.finish(acquisitionId, err);
    throw err;
  } finally {
    access?.destroy();
  }
  return d.store.get(acquisitionId);
}
