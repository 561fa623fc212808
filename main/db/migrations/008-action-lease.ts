import type { Migration } from './types';

/**
 * One runner per response action across processes and windows. A runner
 * holds a lease on the action (holder id, pid, host, since, heartbeat,
 * expiry) while it runs; another Lariat sees "running in another Lariat"
 * and may only resume once the lease has expired (the holder died), so
 * "interrupted" means interrupted. Plans also keep the warnings raised while
 * planning (a lookup that failed, a reused group that will be repaired,
 * an Auto Scaling group at its maximum).
 */
export const m008ActionLease: Migration = {
  version: 8,
  name: 'action-lease',
  up(db) {
    db.exec(`
      CREATE TABLE response_leases (
        action_id    INTEGER PRIMARY KEY REFERENCES response_actions(id),
        holder       TEXT NOT NULL CHECK (length(holder) BETWEEN 8 AND 64),
        pid          INTEGER NOT NULL CHECK (pid > 0),
        host         TEXT NOT NULL,
        acquired_at  TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        expires_at   TEXT NOT NULL CHECK (expires_at > heartbeat_at)
      ) STRICT;

      ALTER TABLE response_actions ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings) AND json_type(warnings) = 'array');
    `);
  },
};
