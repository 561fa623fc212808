import type { Migration } from './types';

/**
 * Timeline events, their full-text index, findings, IOCs and the per-file
 * import log. The FTS table is contentless with detail=none: it only maps
 * tokens to event ids (the raw JSON lives once, in `timeline_raw`),
 * which keeps the index small and the import fast; exact phrases are checked
 * against the raw record after the token match.
 */
export const m003Timeline: Migration = {
  version: 3,
  name: 'timeline',
  up(db) {
    db.exec(`
      CREATE TABLE timeline_imports (
        id          INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        file        TEXT NOT NULL,
        sha256      TEXT,
        format      TEXT,
        evidence_id INTEGER,
        duplicate   INTEGER NOT NULL DEFAULT 0 CHECK (duplicate IN (0,1)),
        state       TEXT NOT NULL CHECK (state IN ('running','done','cancelled','failed')),
        owner       TEXT NOT NULL DEFAULT '',
        imported    INTEGER NOT NULL DEFAULT 0,
        flagged     INTEGER NOT NULL DEFAULT 0,
        rejected    INTEGER NOT NULL DEFAULT 0,
        findings    INTEGER NOT NULL DEFAULT 0,
        errors      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
        started_at  TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX timeline_imports_case ON timeline_imports(case_id, id);

      CREATE TABLE timeline_events (
        id            INTEGER PRIMARY KEY,
        case_id       INTEGER NOT NULL REFERENCES cases(id),
        ts            INTEGER NOT NULL,
        time          TEXT,
        source        TEXT NOT NULL CHECK (source IN ('cloudtrail','guardduty','securityhub','vpcflow','lariat')),
        actor         TEXT,
        access_key_id TEXT,
        action        TEXT,
        event_source  TEXT,
        resource      TEXT,
        source_ip     TEXT,
        user_agent    TEXT,
        region        TEXT,
        account       TEXT,
        error_code    TEXT,
        severity      TEXT,
        flagged       INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0,1)),
        tags          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
        issues        TEXT,
        highlight     TEXT,
        import_id     INTEGER REFERENCES timeline_imports(id),
        evidence_id   INTEGER,
        file          TEXT,
        record_no     INTEGER
      ) STRICT;
      -- Every index ends with the rowid (id) implicitly, which orders ties: ORDER BY ts, id needs no sort.
      CREATE INDEX timeline_events_time ON timeline_events(case_id, ts);
      CREATE INDEX timeline_events_action ON timeline_events(case_id, action, ts);
      CREATE INDEX timeline_events_ip ON timeline_events(case_id, source_ip, ts);
      CREATE INDEX timeline_events_actor ON timeline_events(case_id, actor, ts);
      CREATE INDEX timeline_events_key ON timeline_events(case_id, access_key_id, ts);
      CREATE INDEX timeline_events_highlight ON timeline_events(case_id, highlight, ts) WHERE highlight IS NOT NULL;
      CREATE INDEX timeline_events_error ON timeline_events(case_id, ts) WHERE error_code IS NOT NULL;
      CREATE INDEX timeline_events_flagged ON timeline_events(case_id, ts) WHERE flagged = 1;
      CREATE INDEX timeline_events_import ON timeline_events(import_id);

      -- The raw record, apart from the filterable columns: event rows stay small (dozens per page),
      -- so filters and sorts touch few pages; the raw JSON is read only for one event or a
      -- phrase check. Same id as its timeline_events row.
      CREATE TABLE timeline_raw (
        id  INTEGER PRIMARY KEY,
        raw TEXT NOT NULL
      ) STRICT;

      -- Secondary indexes dropped for a bulk import into an empty timeline; rebuilt from here
      -- after the import, or at the next start if Lariat stopped in between.
      CREATE TABLE timeline_deferred_indexes (
        name TEXT PRIMARY KEY,
        sql  TEXT NOT NULL
      ) STRICT;

      CREATE VIRTUAL TABLE timeline_fts USING fts5(raw, content='', contentless_delete=1, detail=none);

      CREATE TABLE findings (
        id             INTEGER PRIMARY KEY,
        case_id        INTEGER NOT NULL REFERENCES cases(id),
        source         TEXT NOT NULL CHECK (source IN ('guardduty','securityhub')),
        finding_id     TEXT NOT NULL,
        type           TEXT NOT NULL,
        title          TEXT NOT NULL,
        severity_label TEXT NOT NULL CHECK (severity_label IN ('informational','low','medium','high','critical')),
        severity_score REAL NOT NULL,
        account        TEXT,
        region         TEXT,
        resources      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(resources)),
        first_seen     TEXT,
        last_seen      TEXT,
        linked_cases   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(linked_cases)),
        import_id      INTEGER REFERENCES timeline_imports(id),
        raw            TEXT NOT NULL CHECK (json_valid(raw)),
        UNIQUE (case_id, source, finding_id)
      ) STRICT;
      CREATE INDEX findings_case ON findings(case_id, severity_score DESC, type);

      CREATE TABLE iocs (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        type       TEXT NOT NULL CHECK (type IN ('ip','domain','access-key-id','arn','hash','user-agent')),
        value      TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 2048),
        tlp        TEXT NOT NULL CHECK (tlp IN ('clear','green','amber','amber+strict','red')),
        notes      TEXT NOT NULL DEFAULT '',
        source     TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (case_id, type, value)
      ) STRICT;
    `);
  },
};
