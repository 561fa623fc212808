import type { Migration } from './types';

/**
 * The full-text index moves to its own file (`lariat-search.db`, see
 * main/timeline/fts/fts-index.ts), so a second thread can build it while the
 * main thread writes events. It holds nothing that is not also in
 * `timeline_raw`: the copy here is dropped, and the index in the new file is
 * rebuilt from the raw records at the next start.
 */
export const m006SearchFile: Migration = {
  version: 6,
  name: 'search-file',
  up(db) {
    db.exec('DROP TABLE IF EXISTS timeline_fts');
  },
};
