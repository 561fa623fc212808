import type { Migration } from './types';

/**
 * The import log keeps, per file, how many records were kept though an event the case holds has their identity
 * (`ImportFileReport.reused`): they were only in a message before, so a script reading `--json` or the import log
 * later had to parse text to learn that a file held altered copies or reused eventIDs. Rows from before read 0.
 */
export const m019TimelineImportReused: Migration = {
  version: 19,
  name: 'timeline-import-reused',
  up(db) {
    db.exec('ALTER TABLE timeline_imports ADD COLUMN reused INTEGER NOT NULL DEFAULT 0 CHECK (reused >= 0);');
  },
};
