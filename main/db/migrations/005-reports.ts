import type { Migration } from './types';

/**
 * What the reports feature writes: every report or bundle exported (with the
 * hash of the file handed over) and every bundle received. Both are
 * append-only records of hand-overs, like the activity log.
 */
export const m005Reports: Migration = {
  version: 5,
  name: 'reports',
  up(db) {
    db.exec(`
      CREATE TABLE report_exports (
        id          INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        export_id   TEXT NOT NULL UNIQUE CHECK (length(export_id) BETWEEN 8 AND 120),
        kind        TEXT NOT NULL CHECK (kind IN ('html','pdf','bundle')),
        path        TEXT NOT NULL,
        size        INTEGER NOT NULL CHECK (size >= 0),
        sha256      TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
        options     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
        evidence_id INTEGER REFERENCES evidence(id),
        actor       TEXT NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX report_exports_case ON report_exports(case_id, id);
      CREATE TRIGGER report_exports_no_update BEFORE UPDATE ON report_exports
      BEGIN SELECT RAISE(ABORT, 'export records are append-only'); END;
      CREATE TRIGGER report_exports_no_delete BEFORE DELETE ON report_exports
      BEGIN SELECT RAISE(ABORT, 'export records are append-only'); END;

      CREATE TABLE bundle_receipts (
        id            INTEGER PRIMARY KEY,
        case_id       INTEGER NOT NULL UNIQUE REFERENCES cases(id),
        bundle_id     TEXT NOT NULL,
        bundle_sha256 TEXT NOT NULL CHECK (length(bundle_sha256) = 64 AND bundle_sha256 NOT GLOB '*[^0-9a-f]*'),
        exporter      TEXT NOT NULL,
        exporter_fp   TEXT NOT NULL CHECK (length(exporter_fp) = 64),
        exported_at   TEXT NOT NULL,
        manifest      TEXT NOT NULL CHECK (json_valid(manifest)),
        folder        TEXT NOT NULL,
        received_by   TEXT NOT NULL,
        received_at   TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER bundle_receipts_no_update BEFORE UPDATE ON bundle_receipts
      BEGIN SELECT RAISE(ABORT, 'bundle receipts are append-only'); END;
      CREATE TRIGGER bundle_receipts_no_delete BEFORE DELETE ON bundle_receipts
      BEGIN SELECT RAISE(ABORT, 'bundle receipts are append-only'); END;
    `);
  },
};
