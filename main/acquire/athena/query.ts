import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import type { JobContext } from '../../jobs/job-service';
import type { AcquisitionRecord, AthenaQueryInput, AthenaQueryPlan, LogKind } from '../../../common/contract/acquire';
import { stagingDir, vaultFile, type AcquireDeps } from '../deps';
import { bucketClients } from '../bucket/plan';
import { acquireObject } from '../bucket/run';
import { listObjects } from '../s3/list';
import { dayPrefix, days } from '../s3/layout';
import { importEvidence, importSummary } from '../timeline-import';
import { PLAYBOOK } from './playbooks';
import { checkOwnSql, renderSql } from './sql';
import { requestToken, startStatement, waitForQuery, type QueryExecution } from './execution';
import type { SetupRequest } from './setup';
import { FLOW_HEADER, readCsv, rowKind, toCloudTrailRecord, toFlowLine } from './results';

/** Athena's price per TB scanned in most regions (USD), unless the setting `acquire.athenaPricePerTb` says otherwise. */
const DEFAULT_PRICE_PER_TB = 5;
/** Athena bills at least 10 MB per query. */
const MIN_BILLED = 10 * 1024 * 1024;

interface QueryRequest {
  setupId: number;
  sql: string;
  playbook: string | null;
  window: { from: string; to: string };
  accounts: string[];
  regions: string[];
  importEvents: boolean;
  events: boolean;
  logKind: LogKind;
}

export function costUsd(bytes: number, pricePerTb: number): number {
  return bytes === 0 ? 0 : (Math.max(bytes, MIN_BILLED) / 1e12) * pricePerTb;
}

function price(d: AcquireDeps): number {
  return d.core.settings.getRaw<number>('acquire.athenaPricePerTb') ?? DEFAULT_PRICE_PER_TB;
}

/** The setup a query runs against, refusing one that has not run. */
function setupOf(d: AcquireDeps, caseNumber: string, setupId: number): SetupRequest {
  const row = d.store.row(setupId);
  if (row.kind !== 'athena-setup' || row.case_number !== caseNumber)
    throw new AppError(
      'athena-no-setup',
      `Acquisition ${setupId} is not an Athena setup of ${caseNumber}.`,
      'List them with: lariat acquire list --case <case>.',
    );
  if (row.state !== 'done')
    throw new AppError(
      'athena-setup-not-run',
      `The Athena table of setup ${setupId} has not been created (${row.state}).`,
      `Run it first: lariat acquire run ${setupId} --yes.`,
    );
  return JSON.parse(row.request) as SetupRequest;
}

/**
 * Plans a query: the exact SQL (a playbook query or the investigator's own
 * SELECT, with the window's partitions filled in) and, before anything runs,
 * an estimate of what Athena will scan: the size of the S3 objects under the
 * partitions the query reads, listed with s3:ListBucket. Athena bills the
 * compressed bytes it reads, so this is an upper bound.
 */
export async function planAthenaQuery(d: AcquireDeps, input: AthenaQueryInput, job?: JobContext): Promise<AthenaQueryPlan> {
  const c = d.core.cases.requireWritable(input.caseNumber);
  const setup = setupOf(d, input.caseNumber, input.setupId);
  const spec = setup.spec;
  let template: string;
  let events: boolean;
  if (input.playbook) {
    const q = PLAYBOOK.find((p) => p.id === input.playbook);
    if (!q)
      throw new AppError(
        'athena-unknown-playbook',
        `There is no playbook query ${input.playbook}.`,
        'List them with: lariat athena playbook.',
      );
    if (q.logKind !== spec.logKind)
      throw new AppError(
        'athena-wrong-table',
        `Playbook query ${q.id} is for ${q.logKind} logs; setup ${input.setupId} is a ${spec.logKind} table.`,
        'Pick a query for that table.',
      );
    template = q.sql;
    events = q.events;
  } else {
    checkOwnSql(input.sql!, input.fullScan ?? false);
    template = input.sql!.trim().replace(/;\s*$/, '');
    events = true;
  }
  const accounts = input.accounts?.length ? input.accounts.filter((a) => spec.accounts.includes(a)) : spec.accounts;
  const regions = input.regions?.length ? input.regions.filter((r) => spec.regions.includes(r)) : spec.regions;
  const sql = renderSql(template, {
    logKind: spec.logKind,
    database: spec.database,
    table: spec.table,
    window: input.window,
    accounts,
    regions,
    params: input.params ?? {},
  });
  const { clients, access } = await bucketClients(d, setup.via);
  let estimatedBytes = 0;
  try {
    const owner = (a: string) => (spec.organizationId ? `${spec.organizationId}/${a}` : a);
    const dayList = days(Date.parse(input.window.from), Date.parse(input.window.to) + 3600_000);
    const folder = spec.logKind === 'cloudtrail' ? 'CloudTrail' : 'vpcflowlogs';
    const total = accounts.length * regions.length * dayList.length;
    let n = 0;
    for (const a of accounts)
      for (const r of regions)
        for (const day of dayList) {
          job?.throwIfCancelled();
          for (const o of await listObjects(
            clients,
            setup.region,
            spec.bucket,
            dayPrefix(spec.prefix, owner(a), folder, r, day),
            job?.signal,
          ))
            estimatedBytes += o.size;
          job?.progress(++n, total, 'estimating bytes under the partitions');
        }
  } finally {
    access.destroy();
  }
  const request: QueryRequest = {
    setupId: input.setupId,
    sql,
    playbook: input.playbook ?? null,
    window: input.window,
    accounts,
    regions,
    importEvents: input.importEvents,
    events,
    logKind: spec.logKind,
  };
  const label = `Athena ${input.playbook ? `playbook ${input.playbook}` : 'query'} on ${spec.database}.${spec.table}, ${input.window.from} to ${input.window.to}`;
  const id = d.store.insert({ caseId: c.id, kind: 'athena-query', label, request, actor: d.core.actor().name });
  const pricePerTb = price(d);
  d.store.mergeResult(id, { estimatedBytes, estimatedCostUsd: costUsd(estimatedBytes, pricePerTb) });
  return {
    acquisition: d.store.get(id),
    sql,
    workgroup: setup.workgroup,
    estimatedBytes,
    estimatedCostUsd: costUsd(estimatedBytes, pricePerTb),
    pricePerTbUsd: pricePerTb,
  };
}

/**
 * Runs a planned query (once: its token is derived from the plan, and a
 * resumed run waits for the query already started), then acquires the
 * result CSV from the output location as evidence (custody entry with query
 * id, workgroup and output location; a note with the query text and
 * statistics; the GetQueryExecution record as its own item), and, when the
 * rows are events, rebuilds them as CloudTrail records or flow-log lines and
 * imports those into the timeline.
 */
export async function runAthenaQuery(d: AcquireDeps, acquisitionId: number, job?: JobContext): Promise<AcquisitionRecord> {
  const row = d.store.row(acquisitionId);
  const caseNumber = row.case_number;
  const req = d.store.request<QueryRequest>(acquisitionId);
  const setup = setupOf(d, caseNumber, req.setupId);
  d.store.claim(acquisitionId);
  let access: Awaited<ReturnType<typeof bucketClients>>['access'] | null = null;
  try {
    const opened = await bucketClients(d, setup.via);
    access = opened.access;
    const clients = opened.clients;
    const target = {
      clients,
      region: setup.region,
      workgroup: setup.workgroup,
      outputLocation: setup.outputLocation,
      database: setup.spec.database,
      sleep: d.sleep,
      pollMs: d.pollMs,
    };
    let qid = d.store.result<{ queryExecutionId?: string }>(acquisitionId).queryExecutionId;
    if (!qid) {
      qid = await startStatement(target, req.sql, requestToken(`acquisition-${acquisitionId}`, req.sql), job?.signal);
      d.store.mergeResult(acquisitionId, { queryExecutionId: qid });
    }
    const q = await waitForQuery(target, qid, job);
    const bytes = q.Statistics?.DataScannedInBytes ?? 0;
    const output = q.ResultConfiguration?.OutputLocation ?? '';
    d.store.mergeResult(acquisitionId, {
      bytesScanned: bytes,
      costUsd: costUsd(bytes, price(d)),
      outputLocation: output,
      state: q.Status?.State,
    });
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(output);
    if (!m)
      throw new AppError(
        'athena-no-output',
        `Athena query ${qid} has no result file (${output || 'none'}).`,
        'Check the workgroup result location.',
      );
    const [, bucket, key] = m as unknown as [string, string, string];
    const evidenceIds = await acquireResult(d, acquisitionId, caseNumber, clients, setup, q, bucket, key, job);
    d.store.mergeResult(acquisitionId, { evidenceIds });
    d.store.finish(acquisitionId, null);
  } catch (err) {
    d.store.finish(acquisitionId, err);
    throw err;
  } finally {
    access?.destroy();
  }
  return d.store.get(acquisitionId);
}

async function acquireResult(
  d: AcquireDeps,
  id: number,
  caseNumber: string,
  clients: Awaited<ReturnType<typeof bucketClients>>['clients'],
  setup: SetupRequest,
  q: QueryExecution,
  bucket: string,
  key: string,
  job?: JobContext,
): Promise<number[]> {
  const req = d.store.request<QueryRequest>(id);
  const have = d.store.result<{ evidenceIds?: number[]; recordId?: number; derivedId?: number; timeline?: unknown }>(id);
  const qid = q.QueryExecutionId!;
  const ids: number[] = [];
  // 1. The query execution record: text, workgroup, output location, statistics, as Athena returned them.
  let recordId = have.recordId;
  if (!recordId) {
    const ev = await d.evidence.importBytes(
      caseNumber,
      `athena-query-${qid}.json`,
      Buffer.from(`${JSON.stringify({ QueryExecution: q }, null, 2)}\n`),
      {
        kind: 'file',
        description: `Athena query execution ${qid} (${q.WorkGroup ?? setup.workgroup}): text, statistics, output location`,
        source: { region: setup.region, resource: `athena:${qid}` },
        acquisition: { tool: `Lariat ${d.core.version}`, method: `athena:GetQueryExecution QueryExecutionId=${qid}` },
      },
    );
    recordId = ev.id;
    d.store.mergeResult(id, { recordId });
  }
  ids.push(recordId);
  // 2. The result CSV, streamed from the output location like any S3 object.
  let csv = d.store.objects(id, ['done'])[0];
  if (!csv) {
    if (!d.store.objects(id).length) {
      const head = await clients.call<{ ContentLength?: number; ETag?: string; LastModified?: Date }>(
        's3',
        setup.region,
        'HeadObject',
        { Bucket: bucket, Key: key },
        { context: `s3://${bucket}/${key}` },
      );
      d.store.addObjects(id, [
        {
          kind: 'athena-result',
          bucket,
          key,
          account: null,
          region: setup.region,
          size: head.ContentLength ?? 0,
          etag: head.ETag ?? '',
          last_modified: head.LastModified ? new Date(head.LastModified).toISOString() : null,
          state: 'pending',
        },
      ]);
    }
    const o = d.store.objects(id)[0]!;
    const { evidence, got } = await acquireObject(
      d,
      caseNumber,
      clients,
      setup.region,
      o,
      {
        kind: 'log-export',
        description: `Athena results of query ${qid} (${req.playbook ?? 'own query'}), workgroup ${q.WorkGroup ?? setup.workgroup}, ${s3url(bucket, key)}`,
      },
      job,
    );
    d.store.objectDone(id, o.seq, { evidenceId: evidence.id, versionId: got.versionId, metadata: null });
    d.evidence.recordCustody(caseNumber, {
      evidenceId: evidence.id,
      action: 'note',
      purpose: 'Athena query of these results',
      details: {
        queryExecutionId: qid,
        workgroup: q.WorkGroup ?? setup.workgroup,
        database: setup.spec.database,
        outputLocation: s3url(bucket, key),
        query: q.Query ?? req.sql,
        dataScannedInBytes: q.Statistics?.DataScannedInBytes ?? null,
      },
    });
    csv = d.store.objects(id, ['done'])[0]!;
  }
  ids.push(csv.evidence_id!);
  // 3. Events: rebuilt as records the timeline reads, as a derived item, then imported.
  if (req.events && req.importEvents && !have.timeline) {
    const item = d.vault.get(caseNumber, csv.evidence_id!);
    const derived = have.derivedId ?? (await deriveEvents(d, caseNumber, id, qid, vaultFile(d, item.vaultPath!), csv.evidence_id!));
    if (derived !== null) {
      d.store.mergeResult(id, { derivedId: derived });
      ids.push(derived);
      const report = await importEvidence(d, caseNumber, [derived], job);
      d.store.mergeResult(id, { timeline: importSummary(report) });
    }
  }
  return ids;
}

const s3url = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

/** Rows of a result CSV as CloudTrail records (`{"Records":[...]}`) or flow-log lines; null when they are not events. */
async function deriveEvents(
  d: AcquireDeps,
  caseNumber: string,
  id: number,
  qid: string,
  csvFile: string,
  csvEvidence: number,
): Promise<number | null> {
  const rows = readCsv(csvFile);
  const first = await rows.next();
  if (first.done) return null;
  const header = first.value.map((h) => h.toLowerCase());
  const kind = rowKind(header);
  if (!kind) return null;
  const dir = stagingDir(d, caseNumber);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The id comes from the endpoint's answer: never let it steer the path.
  const file = path.join(dir, `athena-${qid.replace(/[^A-Za-z0-9-]/g, '_')}-${kind === 'cloudtrail' ? 'events.json' : 'flows.log'}`);
  const out = fs.openSync(file, 'w', 0o600);
  let open = true;
  let n = 0;
  try {
    fs.writeSync(out, kind === 'cloudtrail' ? '{"Records":[' : `${FLOW_HEADER}\n`);
    for await (const row of rows) {
      if (row.length === 1 && row[0] === '') continue;
      if (kind === 'cloudtrail') fs.writeSync(out, `${n ? ',\n' : ''}${JSON.stringify(toCloudTrailRecord(header, row))}`);
      else fs.writeSync(out, `${toFlowLine(header, row)}\n`);
      n++;
    }
    if (kind === 'cloudtrail') fs.writeSync(out, ']}\n');
    fs.closeSync(out);
    open = false;
    const ev = await d.evidence.importFile(caseNumber, file, {
      kind: 'log-export',
      description: `${n} ${kind === 'cloudtrail' ? 'CloudTrail events' : 'flow records'} rebuilt from the Athena results of query ${qid} (evidence ${csvEvidence})`,
      source: { path: undefined, resource: `derived from evidence ${csvEvidence}` },
      acquisition: {
        tool: `Lariat ${d.core.version}`,
        method: `derived by Lariat from evidence ${csvEvidence} (acquisition ${id}): each CSV row as ${kind === 'cloudtrail' ? 'a CloudTrail record with the selected columns' : 'a default-format flow-log line'}`,
      },
      action: 'imported',
    });
    return ev.id;
  } finally {
    if (open) fs.closeSync(out);
    fs.rmSync(file, { force: true });
  }
}
