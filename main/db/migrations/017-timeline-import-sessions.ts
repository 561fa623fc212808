import type { Migration } from './types';

/**
 * An import in progress, whichever process runs it: one row from its start to its end. Start-up repairs
 * (deferred indexes rebuilt, the full-text index brought in line with the events) are for imports that
 * died; before this table a command started while another process imported saw no sign of it between two
 * groups of files (a threaded import's per-file rows are written and closed in one transaction), so it
 * "repaired" the live import: it indexed that import's newest events itself, beside its search thread,
 * reading vault copies as they were placed. A row whose process is gone is an import that died.
 */
export const m017TimelineImportSessions: Migration = {
  version: 17,
  name: 'timeline-import-sessions',
  up(db) {
    db.exec(`
      CREATE TABLE timeline_import_sessions (
        id         INTEGER PRIMARY KEY,
        owner      TEXT NOT NULL CHECK (length(owner) BETWEEN 3 AND 300),
        started_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
