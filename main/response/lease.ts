import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/database';
import { writeTransaction } from '../db/database';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';

/** Who holds an action, as another Lariat sees it. */
export interface LeaseInfo {
  holder: string;
  pid: number;
  host: string;
  since: string;
  heartbeatAt: string;
  expiresAt: string;
}

interface LeaseRow {
  action_id: number;
  holder: string;
  pid: number;
  host: string;
  acquired_at: string;
  heartbeat_at: string;
  expires_at: string;
}

const info = (r: LeaseRow): LeaseInfo => ({
  holder: r.holder,
  pid: r.pid,
  host: r.host,
  since: r.acquired_at,
  heartbeatAt: r.heartbeat_at,
  expiresAt: r.expires_at,
});

export const DEFAULT_LEASE_MS = 60_000;

/**
 * One runner per action, across processes sharing a data folder (the app
 * and a CLI, two CLIs): the runner holds a lease in SQLite that it renews
 * (heartbeat) while it works. Taking a lease is one write transaction, so
 * two processes cannot both win; a lease that was not renewed before it
 * expired belonged to a Lariat that died (or slept), and may be taken over.
 */
export class ActionLeases {
  /** This Lariat instance (process, or service instance in tests). */
  readonly holder = crypto.randomUUID();
  readonly pid = process.pid;
  readonly host = os.hostname();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly ttlMs = DEFAULT_LEASE_MS,
  ) {}

  private expiry(now: Date): string {
    return new Date(now.getTime() + this.ttlMs).toISOString();
  }

  get(actionId: number): LeaseInfo | null {
    const r = this.db.prepare<[number], LeaseRow>('SELECT * FROM response_leases WHERE action_id = ?').get(actionId);
    return r ? info(r) : null;
  }

  /** The live lease of an action held by another Lariat, if any (what `respond list` shows). */
  heldElsewhere(actionId: number, now = this.clock.now()): LeaseInfo | null {
    const l = this.get(actionId);
    return l && l.holder !== this.holder && l.expiresAt > now.toISOString() ? l : null;
  }

  /**
   * Takes the lease inside the caller's write transaction (with the action's
   * state change), or refuses while another Lariat's lease is live.
   */
  acquire(actionId: number): LeaseInfo {
    return writeTransaction(this.db, () => {
      const now = this.clock.now();
      const other = this.heldElsewhere(actionId, now);
      if (other) throw runningElsewhere(actionId, other);
      const iso = now.toISOString();
      this.db
        .prepare(
          `INSERT INTO response_leases (action_id, holder, pid, host, acquired_at, heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(action_id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
             acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
        )
        .run(actionId, this.holder, this.pid, this.host, iso, iso, this.expiry(now));
      return this.get(actionId)!;
    });
  }

  /** Renews this Lariat's lease; false when another Lariat took it over (ours had expired). */
  renew(actionId: number): boolean {
    const now = this.clock.now();
    const r = this.db
      .prepare('UPDATE response_leases SET heartbeat_at = ?, expires_at = ? WHERE action_id = ? AND holder = ?')
      .run(now.toISOString(), this.expiry(now), actionId, this.holder);
    return r.changes === 1;
  }

  /** Renews, or stops the runner: a Lariat that lost its lease must not make another call for the action. */
  requireHeld(actionId: number): void {
    if (!this.renew(actionId)) {
      const other = this.get(actionId);
      throw new AppError(
        'lease-lost',
        `Action ${actionId} was taken over by another Lariat${other ? ` (pid ${other.pid} on ${other.host}, since ${other.since})` : ''} while this one was not renewing its lease (asleep or stalled).`,
        'Follow the action there; this Lariat stopped before making another call for it.',
      );
    }
  }

  release(actionId: number): void {
    this.db.prepare('DELETE FROM response_leases WHERE action_id = ? AND holder = ?').run(actionId, this.holder);
  }
}

export function runningElsewhere(actionId: number, l: LeaseInfo): AppError {
  return new AppError(
    'action-running-elsewhere',
    `Action ${actionId} is running in another Lariat (pid ${l.pid} on ${l.host}, since ${l.since}; last heartbeat ${l.heartbeatAt}).`,
    `Follow it there. If that Lariat was killed or lost, this one may resume the action once its lease expires at ${l.expiresAt}.`,
  );
}
