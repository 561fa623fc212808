import type { Migration } from './types';

/**
 * Sample findings (GuardDuty's "generate sample findings", Security Hub's
 * copies of them) are marked on the finding and on its timeline event: they
 * stay visible, flagged as samples, and never become indicators (their
 * addresses, such as 0.0.0.0, are made up).
 */
export const m010SampleFindings: Migration = {
  version: 10,
  name: 'sample-findings',
  up(db) {
    db.exec(`
      ALTER TABLE findings ADD COLUMN sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0,1));
      ALTER TABLE timeline_events ADD COLUMN sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0,1));
    `);
  },
};
