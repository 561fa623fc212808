import type { Migration } from './types';

/**
 * Evidence acquisition from AWS (issue 18). `acquisitions` is one row per
 * acquisition (event history, bucket download, findings pull, coverage map,
 * Athena setup or query) with its exact request and outcome; what it brought
 * in lives in the evidence register and the custody ledger, which it only
 * points to. `acquisition_objects` lists every S3 object a bucket plan found
 * (downloaded or not), so a run resumes after a kill and the offline
 * CloudTrail validation can tell a deleted log from one never listed.
 * `finding_inbox` holds GuardDuty and Security Hub findings pulled from AWS
 * with the investigator's local triage state, which a later pull keeps.
 */
export const m013Acquire: Migration = {
  version: 13,
  name: 'acquire',
  up(db) {
    db.exec(`
      CREATE TABLE acquisitions (
        id          INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        kind        TEXT NOT NULL CHECK (kind IN ('lookup-events','bucket','findings','coverage','athena-setup','athena-query')),
        state       TEXT NOT NULL CHECK (state IN ('planned','running','done','failed','cancelled')),
        label       TEXT NOT NULL,
        request     TEXT NOT NULL CHECK (json_valid(request)),
        result      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(result)),
        error       TEXT CHECK (error IS NULL OR json_valid(error)),
        owner       TEXT,
        actor       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX acquisitions_case ON acquisitions(case_id, id);

      CREATE TABLE acquisition_objects (
        acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),
        seq            INTEGER NOT NULL CHECK (seq >= 1),
        kind           TEXT NOT NULL CHECK (kind IN ('log','digest','flow-log','athena-result')),
        bucket         TEXT NOT NULL,
        key            TEXT NOT NULL,
        account        TEXT,
        region         TEXT,
        size           INTEGER NOT NULL CHECK (size >= 0),
        etag           TEXT NOT NULL,
        last_modified  TEXT,
        state          TEXT NOT NULL CHECK (state IN ('pending','done','outside-window','missing','failed')),
        version_id     TEXT,
        metadata       TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
        evidence_id    INTEGER REFERENCES evidence(id),
        error          TEXT,
        PRIMARY KEY (acquisition_id, seq),
        CHECK (state <> 'done' OR evidence_id IS NOT NULL)
      ) STRICT;
      CREATE INDEX acquisition_objects_key ON acquisition_objects(bucket, key);
      CREATE INDEX acquisition_objects_state ON acquisition_objects(acquisition_id, state, seq);

      CREATE TABLE finding_inbox (
        id              INTEGER PRIMARY KEY,
        source          TEXT NOT NULL CHECK (source IN ('guardduty','securityhub')),
        finding_id      TEXT NOT NULL,
        account         TEXT NOT NULL,
        region          TEXT NOT NULL,
        type            TEXT NOT NULL,
        title           TEXT NOT NULL,
        severity_label  TEXT NOT NULL CHECK (severity_label IN ('informational','low','medium','high','critical')),
        severity_score  REAL NOT NULL,
        resource        TEXT,
        first_seen      TEXT,
        last_seen       TEXT,
        aws_updated_at  TEXT,
        raw             TEXT NOT NULL CHECK (json_valid(raw)),
        state           TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new','triaged','in-case','dismissed')),
        cases           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cases) AND json_type(cases) = 'array'),
        note            TEXT,
        pulled_at       TEXT NOT NULL,
        triaged_by      TEXT,
        triaged_at      TEXT,
        triaged_version TEXT,
        UNIQUE (source, account, region, finding_id)
      ) STRICT;
      CREATE INDEX finding_inbox_state ON finding_inbox(state, severity_score DESC);
    `);
  },
};
