import os from 'node:os';
import type { Db } from '../../db/database';
import { moveHitsAfter } from './hit-runs';

export interface ScanRow {
  id: number;
  case_id: number;
  state: 'running' | 'current' | 'replaced' | 'failed';
  kind: 'import' | 'rescan';
  upto_event: number;
  rules: number;
  started_at: string;
  finished_at: string | null;
}

const owner = (): string => `${os.hostname()}:${process.pid}`;

function ownerAlive(o: string): boolean {
  const i = o.lastIndexOf(':');
  const [host, pid] = [o.slice(0, i), Number(o.slice(i + 1))];
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
 * Scans of a case. Import-time matching writes into the case's current scan
 * (created on first use); a rescan writes a new `running` scan and swaps it
 * in only once complete, so a cancelled or crashed rescan leaves the
 * previous hits exactly as they were.
 */
export class ScanStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => string,
  ) {}

  current(caseId: number): ScanRow | undefined {
    return this.db.prepare<[number], ScanRow>("SELECT * FROM detection_scans WHERE case_id = ? AND state = 'current'").get(caseId);
  }

  /** The current scan, created (empty, matched up to nothing) when the case has none. */
  ensureCurrent(caseId: number): ScanRow {
    const cur = this.current(caseId);
    if (cur) return cur;
    const id = Number(
      this.db
        .prepare("INSERT INTO detection_scans (case_id, state, kind, started_at, finished_at) VALUES (?, 'current', 'import', ?, ?)")
        .run(caseId, this.now(), this.now()).lastInsertRowid,
    );
    return this.db.prepare<[number], ScanRow>('SELECT * FROM detection_scans WHERE id = ?').get(id)!;
  }

  advance(scanId: number, uptoEvent: number, rules: number): void {
    this.db
      .prepare('UPDATE detection_scans SET upto_event = max(upto_event, ?), rules = ?, finished_at = ? WHERE id = ?')
      .run(uptoEvent, rules, this.now(), scanId);
  }

  startRescan(caseId: number, rules: number): number {
    return Number(
      this.db
        .prepare("INSERT INTO detection_scans (case_id, state, kind, owner, rules, started_at) VALUES (?, 'running', 'rescan', ?, ?, ?)")
        .run(caseId, owner(), rules, this.now()).lastInsertRowid,
    );
  }

  /** Deletes what a scan wrote (its hits and correlations) and marks it failed. */
  discard(scanId: number): void {
    this.db.transaction(() => {
      this.clearCorrelations(scanId);
      this.db.prepare('DELETE FROM detection_hit_runs WHERE scan_id = ?').run(scanId);
      this.db.prepare("UPDATE detection_scans SET state = 'failed', finished_at = ? WHERE id = ?").run(this.now(), scanId);
    })();
  }

  clearCorrelations(scanId: number): void {
    this.db.prepare('DELETE FROM detection_correlations WHERE scan_id = ?').run(scanId);
  }

  /**
   * Makes a finished rescan current. Hits that imports wrote into the old
   * scan meanwhile (events newer than the rescan's last) move over; the rest
   * of the old scan is deleted. Runs inside the caller's transaction.
   */
  swapIn(caseId: number, scanId: number, uptoEvent: number): void {
    const old = this.current(caseId);
    if (old) {
      moveHitsAfter(this.db, old.id, scanId, uptoEvent);
      this.clearCorrelations(old.id);
      this.db.prepare('DELETE FROM detection_hit_runs WHERE scan_id = ?').run(old.id);
      this.db.prepare("UPDATE detection_scans SET state = 'replaced' WHERE id = ?").run(old.id);
    }
    const upto = Math.max(uptoEvent, old?.upto_event ?? 0);
    this.db
      .prepare("UPDATE detection_scans SET state = 'current', upto_event = ?, finished_at = ? WHERE id = ?")
      .run(upto, this.now(), scanId);
  }

  /** Rescans left `running` by a Lariat that is gone: their partial hits are removed. */
  recoverInterrupted(): void {
    const rows = this.db.prepare<[], { id: number; owner: string }>("SELECT id, owner FROM detection_scans WHERE state = 'running'").all();
    for (const r of rows) if (!ownerAlive(r.owner)) this.discard(r.id);
  }
}
