import os from 'node:os';
import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import { AppError, notFound, toErrorInfo } from '../core/errors';
import type { ErrorInfo } from '../../common/contract/errors';
import type { AcquisitionKind, AcquisitionRecord, AcquisitionState, AcquisitionSummary } from '../../common/contract/acquire';

interface Row {
  id: number;
  case_id: number;
  case_number: string;
  kind: AcquisitionKind;
  state: AcquisitionState;
  label: string;
  request: string;
  result: string;
  error: string | null;
  owner: string | null;
  created_at: string;
  updated_at: string;
  objects_total: number;
  objects_done: number;
  bytes_total: number;
  bytes_done: number;
}

/** One S3 object an acquisition found, downloaded or not. */
export interface ObjectRow {
  acquisition_id: number;
  seq: number;
  kind: 'log' | 'digest' | 'flow-log' | 'athena-result';
  bucket: string;
  key: string;
  account: string | null;
  region: string | null;
  size: number;
  etag: string;
  last_modified: string | null;
  state: 'pending' | 'done' | 'outside-window' | 'missing' | 'failed';
  version_id: string | null;
  metadata: string | null;
  evidence_id: number | null;
  error: string | null;
}

export type NewObject = Pick<ObjectRow, 'kind' | 'bucket' | 'key' | 'account' | 'region' | 'size' | 'etag' | 'last_modified' | 'state'>;

const SELECT = `SELECT a.*, c.number AS case_number,
  (SELECT count(*) FROM acquisition_objects o WHERE o.acquisition_id = a.id AND o.state IN ('pending','done','failed')) AS objects_total,
  (SELECT count(*) FROM acquisition_objects o WHERE o.acquisition_id = a.id AND o.state = 'done') AS objects_done,
  (SELECT coalesce(sum(size), 0) FROM acquisition_objects o WHERE o.acquisition_id = a.id AND o.state IN ('pending','done','failed')) AS bytes_total,
  (SELECT coalesce(sum(size), 0) FROM acquisition_objects o WHERE o.acquisition_id = a.id AND o.state = 'done') AS bytes_done
  FROM acquisitions a JOIN cases c ON c.id = a.case_id`;

/** `host:pid` of this process: who runs an acquisition, so another process can tell it is alive. */
export const OWNER = `${os.hostname()}:${process.pid}`;

function ownerAlive(owner: string | null): boolean {
  if (!owner) return false;
  const i = owner.lastIndexOf(':');
  const host = owner.slice(0, i);
  const pid = Number(owner.slice(i + 1));
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Persistence of acquisitions and the S3 objects they found. Every state
 * change is its own committed statement (synchronous=FULL), so after a kill
 * the table says which objects are in the vault (with their evidence id) and
 * which are still to fetch.
 */
export class AcquisitionStore {
  /** Acquisitions this process is running now (the owner column says which process; this says it is still going). */
  private readonly active = new Set<number>();

  constructor(private readonly deps: { db: Db; clock: Clock; events: EventBus }) {}

  insert(a: { caseId: number; kind: AcquisitionKind; label: string; request: unknown; actor: string; state?: AcquisitionState }): number {
    const now = this.deps.clock.now().toISOString();
    const r = this.deps.db
      .prepare(
        'INSERT INTO acquisitions (case_id, kind, state, label, request, actor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(a.caseId, a.kind, a.state ?? 'planned', a.label, JSON.stringify(a.request ?? {}), a.actor, now, now);
    return Number(r.lastInsertRowid);
  }

  row(id: number): Row {
    const row = this.deps.db.prepare<[number], Row>(`${SELECT} WHERE a.id = ?`).get(id);
    if (!row) throw notFound('Acquisition', id, 'List the acquisitions of the case: lariat acquire list --case <case>.');
    return row;
  }

  request<T>(id: number): T {
    return JSON.parse(this.row(id).request) as T;
  }

  result<T extends Record<string, unknown>>(id: number): T {
    return JSON.parse(this.row(id).result) as T;
  }

  /** Marks an acquisition running in this process; refuses one that another live process runs. */
  claim(id: number): void {
    const row = this.row(id);
    if (row.state === 'running' && (this.active.has(id) || (row.owner !== OWNER && ownerAlive(row.owner)))) {
      throw new AppError(
        'acquisition-running',
        `Acquisition ${id} is running${row.owner && row.owner !== OWNER ? ` in another Lariat (${row.owner})` : ''}.`,
        'Wait for it to finish, or cancel its job; then run it again to resume.',
      );
    }
    if (row.state === 'done')
      throw new AppError('acquisition-done', `Acquisition ${id} has already completed.`, 'Plan a new one to acquire again.');
    this.active.add(id);
    this.setState(id, 'running', null);
  }

  release(id: number): void {
    this.active.delete(id);
  }

  setState(id: number, state: AcquisitionState, error: ErrorInfo | null): void {
    const row = this.row(id);
    this.deps.db
      .prepare('UPDATE acquisitions SET state = ?, error = ?, owner = ?, updated_at = ? WHERE id = ?')
      .run(state, error ? JSON.stringify(error) : null, state === 'running' ? OWNER : null, this.deps.clock.now().toISOString(), id);
    this.deps.events.emit('acquisitionChanged', { caseNumber: row.case_number, acquisitionId: id, state });
  }

  /** Ends a run: done, cancelled (the user asked) or failed with the error the investigator sees. */
  finish(id: number, err: unknown): void {
    this.release(id);
    if (err === null) return this.setState(id, 'done', null);
    const cancelled = err instanceof AppError && err.code === 'cancelled';
    this.setState(id, cancelled ? 'cancelled' : 'failed', cancelled ? null : toErrorInfo(err));
  }

  mergeResult(id: number, patch: Record<string, unknown>): void {
    this.deps.db
      .prepare('UPDATE acquisitions SET result = json_patch(result, ?), updated_at = ? WHERE id = ?')
      .run(JSON.stringify(patch), this.deps.clock.now().toISOString(), id);
  }

  addObjects(id: number, objects: NewObject[]): void {
    const start = this.deps.db
      .prepare<[number], { n: number }>('SELECT coalesce(max(seq), 0) AS n FROM acquisition_objects WHERE acquisition_id = ?')
      .get(id)!.n;
    const insert = this.deps.db.prepare(
      `INSERT INTO acquisition_objects (acquisition_id, seq, kind, bucket, key, account, region, size, etag, last_modified, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deps.db.transaction(() =>
      objects.forEach((o, i) =>
        insert.run(id, start + i + 1, o.kind, o.bucket, o.key, o.account, o.region, o.size, o.etag, o.last_modified, o.state),
      ),
    )();
  }

  objects(id: number, states?: ObjectRow['state'][]): ObjectRow[] {
    const all = this.deps.db
      .prepare<[number], ObjectRow>('SELECT * FROM acquisition_objects WHERE acquisition_id = ? ORDER BY seq')
      .all(id);
    return states ? all.filter((o) => states.includes(o.state)) : all;
  }

  objectDone(
    id: number,
    seq: number,
    facts: { evidenceId: number; versionId: string | null; metadata: Record<string, string> | null },
  ): void {
    this.deps.db
      .prepare(
        "UPDATE acquisition_objects SET state = 'done', evidence_id = ?, version_id = ?, metadata = ?, error = NULL WHERE acquisition_id = ? AND seq = ?",
      )
      .run(facts.evidenceId, facts.versionId, facts.metadata ? JSON.stringify(facts.metadata) : null, id, seq);
  }

  /** Several objects done at once: one transaction (one fsync) for a batch instead of one each. */
  objectsDone(
    id: number,
    done: { seq: number; evidenceId: number; versionId: string | null; metadata: Record<string, string> | null }[],
  ): void {
    if (!done.length) return;
    this.deps.db.transaction(() => {
      for (const o of done) this.objectDone(id, o.seq, o);
    })();
  }

  objectFailed(id: number, seq: number, state: 'missing' | 'failed', error: string): void {
    this.deps.db
      .prepare('UPDATE acquisition_objects SET state = ?, error = ? WHERE acquisition_id = ? AND seq = ?')
      .run(state, error, id, seq);
  }

  /** Objects of a case's acquisitions of one kind (every acquisition, oldest first): what validation reads. */
  caseObjects(caseId: number, kind: ObjectRow['kind']): ObjectRow[] {
    return this.deps.db
      .prepare<[number, string], ObjectRow>(
        `SELECT o.* FROM acquisition_objects o JOIN acquisitions a ON a.id = o.acquisition_id
         WHERE a.case_id = ? AND o.kind = ? ORDER BY o.acquisition_id, o.seq`,
      )
      .all(caseId, kind);
  }

  /** Acquisitions of a case of one kind, oldest first. */
  caseAcquisitions(caseId: number, kind: AcquisitionKind): Row[] {
    return this.deps.db.prepare<[number, string], Row>(`${SELECT} WHERE a.case_id = ? AND a.kind = ? ORDER BY a.id`).all(caseId, kind);
  }

  list(caseId: number): AcquisitionSummary[] {
    return this.deps.db
      .prepare<[number], Row>(`${SELECT} WHERE a.case_id = ? ORDER BY a.id DESC`)
      .all(caseId)
      .map((r) => this.summary(r));
  }

  get(id: number): AcquisitionRecord {
    const r = this.row(id);
    const objects = this.deps.db
      .prepare<[number], { kind: string; state: string; count: number; bytes: number }>(
        'SELECT kind, state, count(*) AS count, coalesce(sum(size), 0) AS bytes FROM acquisition_objects WHERE acquisition_id = ? GROUP BY kind, state ORDER BY kind, state',
      )
      .all(id);
    return {
      ...this.summary(r),
      // An external id is kept to assume the role again on resume, but never shown.
      request: JSON.parse(r.request, (k, v: unknown) => (k === 'externalId' && v != null ? '[redacted]' : v)) as Record<string, unknown>,
      result: JSON.parse(r.result) as Record<string, unknown>,
      objects,
    };
  }

  private summary(r: Row): AcquisitionSummary {
    const result = JSON.parse(r.result) as { evidenceIds?: number[] };
    const fromObjects = this.deps.db
      .prepare<[number], { evidence_id: number }>(
        "SELECT DISTINCT evidence_id FROM acquisition_objects WHERE acquisition_id = ? AND state = 'done' ORDER BY evidence_id",
      )
      .all(r.id)
      .map((x) => x.evidence_id);
    return {
      id: r.id,
      caseNumber: r.case_number,
      kind: r.kind,
      state: r.state,
      interrupted: r.state === 'running' && !this.active.has(r.id) && !(r.owner !== OWNER && ownerAlive(r.owner)),
      label: r.label,
      objectsTotal: r.objects_total,
      objectsDone: r.objects_done,
      bytesTotal: r.bytes_total,
      bytesDone: r.bytes_done,
      evidenceIds: [...new Set([...(result.evidenceIds ?? []), ...fromObjects])].sort((a, b) => a - b),
      error: r.error ? (JSON.parse(r.error) as ErrorInfo) : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
