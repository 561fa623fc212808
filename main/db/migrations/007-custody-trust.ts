import type { Migration } from './types';

/**
 * Custody that cannot be forged (issue 10):
 *
 * - `custody_entries` is rebuilt (SQLite cannot alter a CHECK) to accept the
 *   new actions `introduced` (a key vouched for by an accepted signer),
 *   `resealed` (a head problem investigated and accepted, signed) and
 *   `anchored` (a checkpoint published outside the data folder); a
 *   counter-party without a counter-signature is now allowed (introductions,
 *   received bundles). Every row is copied unchanged, ids included.
 * - `custody_heads`: the signed head of each ledger (the checkpoint of its
 *   newest entry, signed by that entry's actor), replaced in the same
 *   transaction as every append. A copy lives outside the database in the
 *   case's vault folder.
 * - `custody_anchors`: checkpoints published to an S3 Object Lock bucket or
 *   stamped by an RFC 3161 authority (append-only).
 * - `bundle_receipts.original_number`: the sender's case number when a
 *   received case had to take a local alias.
 * - The trust list starts with the identities whose private keys are here.
 */
export const m007CustodyTrust: Migration = {
  version: 7,
  name: 'custody-trust',
  up(db) {
    db.exec(`
      CREATE TABLE custody_entries_v7 (
        id                INTEGER PRIMARY KEY,
        case_id           INTEGER NOT NULL REFERENCES cases(id),
        seq               INTEGER NOT NULL CHECK (seq >= 1),
        evidence_id       INTEGER REFERENCES evidence(id),
        action            TEXT NOT NULL CHECK (action IN ('acquired','imported','hash-verified','transferred','accessed','exported','released','disposed','note','received','introduced','resealed','anchored')),
        at                TEXT NOT NULL,
        actor_fp          TEXT NOT NULL,
        body              TEXT NOT NULL CHECK (json_valid(body)),
        prev_hash         TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash              TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
        signature         TEXT NOT NULL,
        counter_fp        TEXT,
        counter_signature TEXT,
        UNIQUE (case_id, seq),
        CHECK (counter_signature IS NULL OR counter_fp IS NOT NULL)
      ) STRICT;
      INSERT INTO custody_entries_v7 (id, case_id, seq, evidence_id, action, at, actor_fp, body, prev_hash, hash, signature, counter_fp, counter_signature)
        SELECT id, case_id, seq, evidence_id, action, at, actor_fp, body, prev_hash, hash, signature, counter_fp, counter_signature FROM custody_entries;
      DROP TABLE custody_entries;
      ALTER TABLE custody_entries_v7 RENAME TO custody_entries;
      CREATE INDEX custody_evidence ON custody_entries(evidence_id, seq);
      CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody_entries
      BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;
      CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody_entries
      BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;

      CREATE TABLE custody_heads (
        case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
        seq        INTEGER NOT NULL CHECK (seq >= 1),
        hash       TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
        checkpoint TEXT NOT NULL CHECK (length(checkpoint) BETWEEN 10 AND 8192)
      ) STRICT;

      CREATE TABLE custody_anchors (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        kind       TEXT NOT NULL CHECK (kind IN ('s3','tsa')),
        seq        INTEGER NOT NULL CHECK (seq >= 1),
        hash       TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
        location   TEXT NOT NULL,
        detail     TEXT NOT NULL DEFAULT '',
        checkpoint TEXT NOT NULL,
        token      TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX custody_anchors_case ON custody_anchors(case_id, id);
      CREATE TRIGGER custody_anchors_no_update BEFORE UPDATE ON custody_anchors
      BEGIN SELECT RAISE(ABORT, 'anchor records are append-only'); END;
      CREATE TRIGGER custody_anchors_no_delete BEFORE DELETE ON custody_anchors
      BEGIN SELECT RAISE(ABORT, 'anchor records are append-only'); END;

      ALTER TABLE bundle_receipts ADD COLUMN original_number TEXT;
    `);
    const own = db
      .prepare<[], { fingerprint: string; name: string; created_at: string }>(
        "SELECT fingerprint, name, created_at FROM investigators WHERE key_storage <> 'public-only' ORDER BY id",
      )
      .all()
      .map((r) => ({ fingerprint: r.fingerprint, name: r.name, source: 'own', addedAt: r.created_at }));
    if (own.length > 0)
      db.prepare("INSERT INTO settings (key, value) VALUES ('custody.trust', ?) ON CONFLICT(key) DO NOTHING").run(JSON.stringify(own));
  },
};
