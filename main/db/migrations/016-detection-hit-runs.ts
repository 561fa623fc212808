import type { Migration } from './types';

/**
 * Detection hits are stored as runs, not one row per hit (issue 17: import with every rule on at most
 * 1.1x the import with rules off). One row per hit cost two B-tree entries each (the primary key and the
 * event index); at a million CloudTrail records the shipped rules hit about 950,000 times, and storing
 * them was the largest part of what rules added to an import on the main thread.
 *
 * A run is one rule's hits among the events one transaction wrote (an import's file, a rescan's page)
 * within one block of 4,096 event ids (`id >> 12`): its event ids as a JSON array, ascending, with bounds
 * and a count. `first_event`/`last_event` bound the ids (every id lies between them; a pruned run keeps
 * its old bounds), `n` is the array's length. Because a run never leaves its block, the runs that can
 * hold an event start at most 4,095 ids before it: the event panel reads that range of the index on
 * `first_event` and looks in those runs only. Counts read `n`; everything else reads the view
 * `detection_hits`, which expands the runs back into one row per hit, so those queries are unchanged.
 *
 * An event deleted (an import rolled back) no longer removes its hits through a per-row trigger (that
 * would rewrite a run per event): the rollback prunes the import's ids from the runs that cover them
 * (`prepareHitPrune` in main/detection/store/hit-runs.ts, called by `EventStore.rollbackImport`). The
 * trigger keeps doing so for correlation links, which stay one row each.
 *
 * Existing hits become runs per scan, rule and block.
 */
export const m016DetectionHitRuns: Migration = {
  version: 16,
  name: 'detection-hit-runs',
  up(db) {
    db.exec(`
      CREATE TABLE detection_hit_runs (
        scan_id     INTEGER NOT NULL REFERENCES detection_scans(id),
        rule        INTEGER NOT NULL REFERENCES detection_rules(id),
        first_event INTEGER NOT NULL,
        last_event  INTEGER NOT NULL CHECK (last_event >= first_event AND last_event >> 12 = first_event >> 12),
        n           INTEGER NOT NULL CHECK (n >= 0),
        events      TEXT NOT NULL CHECK (json_valid(events)),
        PRIMARY KEY (scan_id, rule, first_event)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX detection_hit_runs_first ON detection_hit_runs(scan_id, first_event);

      INSERT INTO detection_hit_runs (scan_id, rule, first_event, last_event, n, events)
        SELECT scan_id, rule, min(event_id), max(event_id), count(*), json_group_array(event_id)
        FROM (SELECT scan_id, rule, event_id FROM detection_hits ORDER BY scan_id, rule, event_id)
        GROUP BY scan_id, rule, event_id >> 12;

      DROP TRIGGER detection_event_deleted;
      DROP TABLE detection_hits;

      CREATE VIEW detection_hits (scan_id, rule, event_id) AS
        SELECT h.scan_id, h.rule, j.value FROM detection_hit_runs h, json_each(h.events) j;

      -- An event removed takes its correlation links with it (its hits: see prepareHitPrune).
      CREATE TRIGGER detection_event_deleted AFTER DELETE ON timeline_events
      BEGIN
        DELETE FROM detection_correlation_events WHERE event_id = old.id;
      END;
    `);
  },
};
