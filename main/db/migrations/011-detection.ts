import type { Migration } from './types';

/**
 * Detection (issue 17): the rule versions that produced hits, the scans of
 * each case (a rescan writes a new scan and swaps it in only when complete),
 * hits per event, correlation detections with the events they link, and the
 * cross-case indicator index (one row per normalised value, case, kind and
 * type, so a lookup is one primary-key range).
 */
export const m011Detection: Migration = {
  version: 11,
  name: 'detection',
  up(db) {
    db.exec(`
      -- One row per rule version (id + SHA-256 of its file): a hit keeps the title, level, author
      -- (Detection Rule License 1.1 attribution) and tags of the rule as it was when it matched.
      CREATE TABLE detection_rules (
        id             INTEGER PRIMARY KEY,
        rule_id        TEXT NOT NULL CHECK (length(rule_id) BETWEEN 1 AND 400),
        sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
        name           TEXT,
        kind           TEXT NOT NULL CHECK (kind IN ('detection','correlation')),
        title          TEXT NOT NULL,
        level          TEXT NOT NULL CHECK (level IN ('informational','low','medium','high','critical')),
        author         TEXT NOT NULL,
        tags           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
        techniques     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(techniques)),
        description    TEXT NOT NULL DEFAULT '',
        falsepositives TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(falsepositives)),
        refs           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(refs)),
        origin         TEXT NOT NULL CHECK (origin IN ('sigmahq','lariat','investigator')),
        path           TEXT NOT NULL,
        first_used     TEXT NOT NULL,
        UNIQUE (rule_id, sha256)
      ) STRICT;

      -- At most one current scan per case. Hits of a running scan are invisible until it becomes current.
      CREATE TABLE detection_scans (
        id          INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        state       TEXT NOT NULL CHECK (state IN ('running','current','replaced','failed')),
        kind        TEXT NOT NULL CHECK (kind IN ('import','rescan')),
        owner       TEXT NOT NULL DEFAULT '',
        -- Every event of the case with an id up to this one has been matched in this scan.
        upto_event  INTEGER NOT NULL DEFAULT 0,
        rules       INTEGER NOT NULL DEFAULT 0,
        started_at  TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX detection_scans_current ON detection_scans(case_id) WHERE state = 'current';

      CREATE TABLE detection_hits (
        scan_id  INTEGER NOT NULL REFERENCES detection_scans(id),
        rule     INTEGER NOT NULL REFERENCES detection_rules(id),
        event_id INTEGER NOT NULL,
        PRIMARY KEY (scan_id, rule, event_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX detection_hits_event ON detection_hits(event_id, scan_id);

      CREATE TABLE detection_correlations (
        id        INTEGER PRIMARY KEY,
        scan_id   INTEGER NOT NULL REFERENCES detection_scans(id),
        rule      INTEGER NOT NULL REFERENCES detection_rules(id),
        group_key TEXT NOT NULL CHECK (json_valid(group_key)),
        first_ts  INTEGER NOT NULL,
        last_ts   INTEGER NOT NULL,
        events    INTEGER NOT NULL CHECK (events >= 0)
      ) STRICT;
      CREATE INDEX detection_correlations_scan ON detection_correlations(scan_id, first_ts);

      CREATE TABLE detection_correlation_events (
        correlation_id INTEGER NOT NULL REFERENCES detection_correlations(id) ON DELETE CASCADE,
        event_id       INTEGER NOT NULL,
        PRIMARY KEY (correlation_id, event_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX detection_correlation_events_event ON detection_correlation_events(event_id);

      -- An event removed (an import cancelled or rolled back) takes its hits with it.
      CREATE TRIGGER detection_event_deleted AFTER DELETE ON timeline_events
      BEGIN
        DELETE FROM detection_hits WHERE event_id = old.id;
        DELETE FROM detection_correlation_events WHERE event_id = old.id;
      END;

      -- Search across cases: one row per normalised value (trimmed, lower-case), case, kind and type.
      CREATE TABLE indicator_index (
        value      TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 2048),
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        kind       TEXT NOT NULL CHECK (kind IN ('event','finding','ioc','bundle')),
        type       TEXT NOT NULL CHECK (type IN ('ip','access-key-id','arn','account-id','user-agent','hash','domain')),
        hits       INTEGER NOT NULL CHECK (hits >= 0),
        first_seen TEXT,
        last_seen  TEXT,
        PRIMARY KEY (value, case_id, kind, type)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX indicator_index_case ON indicator_index(case_id, kind);

      -- What each case's rows were built from: the index of a case is rebuilt when this changes.
      CREATE TABLE indicator_cases (
        case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
        signature  TEXT NOT NULL,
        indexed_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
