import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import type { SettingsService } from '../settings/settings-service';
import type { ErrorInfo } from '../../common/contract/errors';

/** The case's link (response_incidents, shared with the response feature) and its sync state. */
export interface SyncRow {
  case_id: number;
  incident_arn: string;
  region: string;
  title: string | null;
  remote_status: 'OPEN' | 'RESOLVED' | null;
  remote_impact: number | null;
  remote_created_at: string | null;
  remote_resolved_at: string | null;
  remote_modified_at: string | null;
  remote_modified_by: string | null;
  local_status: 'OPEN' | 'RESOLVED';
  local_impact: number | null;
  base_status: 'OPEN' | 'RESOLVED' | null;
  base_impact: number | null;
  local_changed_at: string | null;
  chat_channel: string;
  engagements: string;
  problem: string | null;
  failures: number;
  last_attempt_at: string | null;
  last_success_at: string | null;
  next_retry_at: string | null;
}

export type SyncPatch = Partial<Omit<SyncRow, 'case_id' | 'incident_arn' | 'region'>>;

/** Columns a patch may set: a fixed whitelist, so column names never come from input. */
const COLUMNS: (keyof SyncPatch)[] = [
  'title',
  'remote_status',
  'remote_impact',
  'remote_created_at',
  'remote_resolved_at',
  'remote_modified_at',
  'remote_modified_by',
  'local_status',
  'local_impact',
  'base_status',
  'base_impact',
  'local_changed_at',
  'chat_channel',
  'engagements',
  'problem',
  'failures',
  'last_attempt_at',
  'last_success_at',
  'next_retry_at',
];

/** A stable, per-data-folder id: part of every dedupe key, so two laptops syncing one incident never mistake each other's events. */
export function installationId(settings: SettingsService): string {
  let id = settings.getRaw<string>('incidents.installationId');
  if (!id) {
    id = randomBytes(8).toString('hex');
    settings.setRaw('incidents.installationId', id);
  }
  return id;
}

/** An AWS client token from a dedupe key (Incident Manager accepts up to 128 characters). */
export const clientToken = (...parts: (string | number)[]): string =>
  createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 64);

export class SyncStore {
  constructor(private readonly db: Db) {}

  linkOf(caseId: number): { incident_arn: string; region: string } | null {
    return (
      this.db
        .prepare<[number], { incident_arn: string; region: string }>(
          'SELECT incident_arn, region FROM response_incidents WHERE case_id = ?',
        )
        .get(caseId) ?? null
    );
  }

  caseOfIncident(arn: string): string | null {
    return (
      this.db
        .prepare<[string], { number: string }>(
          'SELECT c.number FROM response_incidents i JOIN cases c ON c.id = i.case_id WHERE i.incident_arn = ? ORDER BY i.case_id LIMIT 1',
        )
        .get(arn)?.number ?? null
    );
  }

  /** The link row (response_incidents) and a sync row; call inside the caller's transaction. */
  insertLink(caseId: number, arn: string, region: string, started: boolean, at: string, by: string): void {
    this.db
      .prepare('INSERT INTO response_incidents (case_id, incident_arn, region, started, linked_at, linked_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(caseId, arn, region, started ? 1 : 0, at, by);
    this.ensureRow(caseId);
  }

  /** Creates the sync row of a linked case if missing (cases linked before the sync existed). */
  ensureRow(caseId: number): SyncRow | null {
    const link = this.linkOf(caseId);
    if (!link) return null;
    this.db
      .prepare('INSERT INTO incident_sync (case_id, incident_arn, region) VALUES (?, ?, ?) ON CONFLICT(case_id) DO NOTHING')
      .run(caseId, link.incident_arn, link.region);
    return this.row(caseId);
  }

  row(caseId: number): SyncRow | null {
    return this.db.prepare<[number], SyncRow>('SELECT * FROM incident_sync WHERE case_id = ?').get(caseId) ?? null;
  }

  patch(caseId: number, patch: SyncPatch): void {
    const keys = COLUMNS.filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    const sets = keys.map((k) => `${k} = @${k}`).join(', ');
    // eslint-disable-next-line no-restricted-syntax -- column names come from the fixed COLUMNS whitelist; values are named parameters
    this.db.prepare(`UPDATE incident_sync SET ${sets} WHERE case_id = @case_id`).run({ ...pick(patch, keys), case_id: caseId });
  }

  problemOf(row: SyncRow): (ErrorInfo & { stage: string }) | null {
    return row.problem ? (JSON.parse(row.problem) as ErrorInfo & { stage: string }) : null;
  }

  // Inbox: events written by others that were copied into the case timeline.
  inboxed(caseId: number): Map<string, string | null> {
    return new Map(
      this.db
        .prepare<[number], { event_id: string; event_updated_at: string | null }>(
          'SELECT event_id, event_updated_at FROM incident_inbox WHERE case_id = ?',
        )
        .all(caseId)
        .map((r) => [r.event_id, r.event_updated_at]),
    );
  }

  putInbox(caseId: number, eventId: string, updatedAt: string | null, at: string): void {
    this.db
      .prepare(
        `INSERT INTO incident_inbox (case_id, event_id, event_updated_at, imported_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(case_id, event_id) DO UPDATE SET event_updated_at = excluded.event_updated_at`,
      )
      .run(caseId, eventId, updatedAt, at);
  }

  inboxCount(caseId: number): number {
    return this.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM incident_inbox WHERE case_id = ?').get(caseId)!.n;
  }
}

function pick(patch: SyncPatch, keys: (keyof SyncPatch)[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, patch[k]]));
}
