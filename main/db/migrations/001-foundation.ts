import type { Migration } from './types';

/** Cases, their tasks, notes and assets, the activity log and settings. */
export const m001Foundation: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;

      CREATE TABLE case_counters (
        year INTEGER PRIMARY KEY,
        last INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE cases (
        id         INTEGER PRIMARY KEY,
        number     TEXT NOT NULL UNIQUE,
        title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        summary    TEXT NOT NULL DEFAULT '',
        severity   TEXT NOT NULL CHECK (severity IN ('low','medium','high','critical')),
        status     TEXT NOT NULL CHECK (status IN ('open','contained','eradicated','recovered','closed')),
        tlp        TEXT NOT NULL CHECK (tlp IN ('clear','green','amber','amber+strict','red')),
        lead       TEXT NOT NULL DEFAULT '',
        accounts   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(accounts)),
        regions    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(regions)),
        tags       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
        read_only  INTEGER NOT NULL DEFAULT 0 CHECK (read_only IN (0,1)),
        opened_at  TEXT NOT NULL,
        closed_at  TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE tasks (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
        assignee   TEXT NOT NULL DEFAULT '',
        status     TEXT NOT NULL CHECK (status IN ('todo','in-progress','blocked','done')),
        due_date   TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX tasks_case ON tasks(case_id);

      CREATE TABLE notes (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
        body       TEXT NOT NULL,
        author     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX notes_case ON notes(case_id);

      CREATE TABLE assets (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        kind       TEXT NOT NULL CHECK (kind IN ('ec2-instance','access-key','iam-principal','s3-bucket','ip','domain','other')),
        identifier TEXT NOT NULL CHECK (length(identifier) BETWEEN 1 AND 2048),
        label      TEXT NOT NULL DEFAULT '',
        account    TEXT,
        region     TEXT,
        details    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (case_id, kind, identifier)
      ) STRICT;

      CREATE TABLE activity (
        id        INTEGER PRIMARY KEY,
        case_id   INTEGER REFERENCES cases(id),
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        entity    TEXT NOT NULL,
        entity_id TEXT,
        details   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
      ) STRICT;
      CREATE INDEX activity_case ON activity(case_id, id);

      CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
      BEGIN SELECT RAISE(ABORT, 'activity log is append-only'); END;
      CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
      BEGIN SELECT RAISE(ABORT, 'activity log is append-only'); END;
    `);
  },
};
