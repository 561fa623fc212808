import type { Migration } from './types';

/**
 * Investigator identities, the evidence register and the per-case custody
 * ledger. The ledger stores each entry's exact signed bytes (`body`, RFC 8785
 * canonical JSON) beside a few columns copied out of it for querying;
 * verification checks both agree. Triggers make the ledger append-only and
 * freeze the public keys and the recorded hashes of evidence.
 */
export const m002Custody: Migration = {
  version: 2,
  name: 'custody',
  up(db) {
    db.exec(`
      CREATE TABLE investigators (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        role           TEXT NOT NULL DEFAULT '' CHECK (length(role) <= 200),
        organisation   TEXT NOT NULL DEFAULT '' CHECK (length(organisation) <= 200),
        contact        TEXT NOT NULL DEFAULT '' CHECK (length(contact) <= 200),
        public_key_pem TEXT NOT NULL CHECK (public_key_pem LIKE '-----BEGIN PUBLIC KEY-----%'),
        fingerprint    TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
        key_storage    TEXT NOT NULL CHECK (key_storage IN ('safe-storage','key-file','public-only')),
        is_current     INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0,1)),
        demo           INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0,1)),
        created_at     TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX investigators_one_current ON investigators(is_current) WHERE is_current = 1;
      CREATE TRIGGER investigators_key_frozen BEFORE UPDATE OF public_key_pem, fingerprint ON investigators
      BEGIN SELECT RAISE(ABORT, 'an investigator public key cannot change'); END;
      CREATE TRIGGER investigators_no_delete BEFORE DELETE ON investigators
      BEGIN SELECT RAISE(ABORT, 'investigator keys are kept to verify the custody record'); END;

      CREATE TABLE evidence (
        id                 INTEGER PRIMARY KEY,
        case_id            INTEGER NOT NULL REFERENCES cases(id),
        kind               TEXT NOT NULL CHECK (kind IN ('file','memory-image','ebs-snapshot','s3-object','log-export','finding','report')),
        description        TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
        source_path        TEXT,
        source_account     TEXT,
        source_region      TEXT,
        source_resource    TEXT,
        acquired_by        TEXT NOT NULL,
        acquired_by_fp     TEXT,
        acquired_at        TEXT NOT NULL,
        acquisition_tool   TEXT NOT NULL,
        acquisition_method TEXT NOT NULL DEFAULT '',
        acquisition_host   TEXT NOT NULL DEFAULT '',
        size               INTEGER CHECK (size IS NULL OR size >= 0),
        md5                TEXT CHECK (md5 IS NULL OR (length(md5) = 32 AND md5 NOT GLOB '*[^0-9a-f]*')),
        sha1               TEXT CHECK (sha1 IS NULL OR (length(sha1) = 40 AND sha1 NOT GLOB '*[^0-9a-f]*')),
        sha256             TEXT CHECK (sha256 IS NULL OR (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*')),
        vault_path         TEXT UNIQUE,
        custodian          TEXT NOT NULL,
        custodian_fp       TEXT,
        status             TEXT NOT NULL CHECK (status IN ('held','transferred','released','disposed')),
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        CHECK (vault_path IS NULL OR (sha256 IS NOT NULL AND size IS NOT NULL))
      ) STRICT;
      CREATE INDEX evidence_case ON evidence(case_id, id);
      CREATE UNIQUE INDEX evidence_case_content ON evidence(case_id, sha256) WHERE vault_path IS NOT NULL;
      CREATE TRIGGER evidence_facts_frozen BEFORE UPDATE OF case_id, kind, size, md5, sha1, sha256, vault_path, acquired_by, acquired_at, acquisition_tool ON evidence
      BEGIN SELECT RAISE(ABORT, 'recorded evidence facts cannot change; add a custody entry instead'); END;
      CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
      BEGIN SELECT RAISE(ABORT, 'evidence records are never deleted; record disposal instead'); END;

      CREATE TABLE custody_entries (
        id                INTEGER PRIMARY KEY,
        case_id           INTEGER NOT NULL REFERENCES cases(id),
        seq               INTEGER NOT NULL CHECK (seq >= 1),
        evidence_id       INTEGER REFERENCES evidence(id),
        action            TEXT NOT NULL CHECK (action IN ('acquired','imported','hash-verified','transferred','accessed','exported','released','disposed','note','received')),
        at                TEXT NOT NULL,
        actor_fp          TEXT NOT NULL,
        body              TEXT NOT NULL CHECK (json_valid(body)),
        prev_hash         TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash              TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
        signature         TEXT NOT NULL,
        counter_fp        TEXT,
        counter_signature TEXT,
        UNIQUE (case_id, seq),
        CHECK ((counter_fp IS NULL) = (counter_signature IS NULL))
      ) STRICT;
      CREATE INDEX custody_evidence ON custody_entries(evidence_id, seq);
      CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody_entries
      BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;
      CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody_entries
      BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;
    `);
  },
};
