import type { Migration } from './types';

/**
 * Timeline events gain who-did-it columns (principal, caller account,
 * session name, identity type), their CloudTrail event type and id, a
 * de-duplication key, and a reference to their bytes in the vault copy of
 * their file (offset, length, kind) instead of a second copy in
 * `timeline_raw`, which keeps only records that have no file (Lariat's own
 * events, findings copied between cases). Columns are added, not rebuilt:
 * on a million-event case this migration takes the time of three indexes.
 *
 * Filters that AWS treats case-insensitively (event names, source IPs,
 * principals: IAM names are unique whatever their case) get NOCASE indexes.
 * The import log remembers duplicates skipped and where the file's bytes are;
 * `timeline_settings` holds per-case options (keep duplicates on purpose).
 */
export const m009TimelineIdentityDedup: Migration = {
  version: 9,
  name: 'timeline-identity-dedup',
  up(db) {
    db.exec(`
      ALTER TABLE timeline_events ADD COLUMN principal TEXT;
      ALTER TABLE timeline_events ADD COLUMN caller_account TEXT;
      ALTER TABLE timeline_events ADD COLUMN session_name TEXT;
      ALTER TABLE timeline_events ADD COLUMN identity_type TEXT;
      ALTER TABLE timeline_events ADD COLUMN event_type TEXT;
      ALTER TABLE timeline_events ADD COLUMN event_uid TEXT;
      -- 53-bit hash of the record's identity (eventID + recipient account, finding id + update, flow record); NULL: none.
      ALTER TABLE timeline_events ADD COLUMN dedup INTEGER;
      -- NULL/0: the raw record is in timeline_raw; 1: JSON text, 3: a flow log line, at raw_offset/raw_length of the import's file.
      ALTER TABLE timeline_events ADD COLUMN raw_kind INTEGER;
      ALTER TABLE timeline_events ADD COLUMN raw_offset INTEGER;
      ALTER TABLE timeline_events ADD COLUMN raw_length INTEGER;

      DROP INDEX IF EXISTS timeline_events_action;
      DROP INDEX IF EXISTS timeline_events_ip;
      CREATE INDEX timeline_events_action ON timeline_events(case_id, action COLLATE NOCASE, ts);
      CREATE INDEX timeline_events_ip ON timeline_events(case_id, source_ip COLLATE NOCASE, ts);
      CREATE INDEX timeline_events_principal ON timeline_events(case_id, principal COLLATE NOCASE, ts);
      CREATE INDEX timeline_events_dedup ON timeline_events(case_id, dedup) WHERE dedup IS NOT NULL;

      ALTER TABLE timeline_imports ADD COLUMN duplicates INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE timeline_imports ADD COLUMN duplicates_of TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(duplicates_of));
      ALTER TABLE timeline_imports ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0,1));
      -- The vault copy the events' raw_offset points into (relative to the vault folder), and flow log fields.
      ALTER TABLE timeline_imports ADD COLUMN vault_path TEXT;
      ALTER TABLE timeline_imports ADD COLUMN flow_fields TEXT;

      CREATE TABLE timeline_settings (
        case_id         INTEGER PRIMARY KEY REFERENCES cases(id),
        keep_duplicates INTEGER NOT NULL DEFAULT 0 CHECK (keep_duplicates IN (0,1))
      ) STRICT;
    `);
  },
};
