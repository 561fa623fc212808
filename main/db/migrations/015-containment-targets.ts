import type { Migration } from './types';

/**
 * Response actions act on more than EC2 instances (issue 15): an IAM user or
 * role, an S3 bucket, a Lambda function. SQLite cannot relax a CHECK in
 * place, so `response_actions` (and the two tables that reference it) are
 * rebuilt with every row kept:
 *
 * - `target_type` says what `instance_id` identifies (`ec2-instance` for every
 *   existing row; the column keeps its historic name and now holds any target's
 *   identifier). An EC2 target must still look like an instance id.
 * - `kind` is any lower-case kind name: kinds are registered in code
 *   (main/response/kinds), not listed in the schema.
 * - `response_use_checks` keeps each "is this credential still in use?" check
 *   of a credential containment: when, the window, how many calls CloudTrail
 *   returned (denied ones counted apart) and the evidence item they were saved to.
 *
 * The step triggers (a succeeded step never runs again, steps are never
 * deleted) are recreated unchanged.
 */
export const m015ContainmentTargets: Migration = {
  version: 15,
  name: 'containment-targets',
  up(db) {
    db.exec(`
      CREATE TABLE response_actions_v15 (
        id          INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        kind        TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40 AND kind NOT GLOB '*[^a-z0-9-]*'),
        target_type TEXT NOT NULL DEFAULT 'ec2-instance' CHECK (length(target_type) BETWEEN 1 AND 40 AND target_type NOT GLOB '*[^a-z0-9-]*'),
        instance_id TEXT NOT NULL CHECK (length(instance_id) BETWEEN 1 AND 2048 AND (target_type <> 'ec2-instance' OR instance_id GLOB 'i-[0-9a-f]*')),
        region      TEXT NOT NULL,
        account     TEXT,
        options     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
        recorded    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(recorded)),
        state       TEXT NOT NULL CHECK (state IN ('planned','running','succeeded','failed','discarded')),
        error       TEXT CHECK (error IS NULL OR json_valid(error)),
        actor       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        started_at  TEXT,
        finished_at TEXT,
        warnings    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings) AND json_type(warnings) = 'array')
      ) STRICT;
      INSERT INTO response_actions_v15 (id, case_id, kind, target_type, instance_id, region, account, options, recorded, state, error, actor, created_at, started_at, finished_at, warnings)
        SELECT id, case_id, kind, 'ec2-instance', instance_id, region, account, options, recorded, state, error, actor, created_at, started_at, finished_at, warnings FROM response_actions;

      CREATE TABLE response_steps_v15 (
        action_id   INTEGER NOT NULL REFERENCES response_actions_v15(id),
        idx         INTEGER NOT NULL CHECK (idx >= 0),
        key         TEXT NOT NULL,
        title       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        service     TEXT NOT NULL,
        region      TEXT NOT NULL,
        operation   TEXT NOT NULL,
        iam_action  TEXT NOT NULL,
        request     TEXT NOT NULL CHECK (json_valid(request)),
        state       TEXT NOT NULL CHECK (state IN ('pending','running','succeeded','failed','skipped')),
        attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        result      TEXT CHECK (result IS NULL OR json_valid(result)),
        error       TEXT CHECK (error IS NULL OR json_valid(error)),
        started_at  TEXT,
        finished_at TEXT,
        PRIMARY KEY (action_id, idx),
        UNIQUE (action_id, key)
      ) STRICT;
      INSERT INTO response_steps_v15 SELECT action_id, idx, key, title, kind, service, region, operation, iam_action, request, state, attempts, result, error, started_at, finished_at FROM response_steps;

      CREATE TABLE response_leases_v15 (
        action_id    INTEGER PRIMARY KEY REFERENCES response_actions_v15(id),
        holder       TEXT NOT NULL CHECK (length(holder) BETWEEN 8 AND 64),
        pid          INTEGER NOT NULL CHECK (pid > 0),
        host         TEXT NOT NULL,
        acquired_at  TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        expires_at   TEXT NOT NULL CHECK (expires_at > heartbeat_at)
      ) STRICT;
      INSERT INTO response_leases_v15 SELECT action_id, holder, pid, host, acquired_at, heartbeat_at, expires_at FROM response_leases;

      DROP TABLE response_leases;
      DROP TABLE response_steps;
      DROP TABLE response_actions;
      ALTER TABLE response_actions_v15 RENAME TO response_actions;
      ALTER TABLE response_steps_v15 RENAME TO response_steps;
      ALTER TABLE response_leases_v15 RENAME TO response_leases;

      CREATE INDEX response_actions_case ON response_actions(case_id, id);
      CREATE INDEX response_actions_instance ON response_actions(instance_id, kind, state);
      CREATE INDEX response_actions_target ON response_actions(target_type, instance_id, kind, state);
      CREATE TRIGGER response_steps_no_undo BEFORE UPDATE OF state ON response_steps
      WHEN OLD.state IN ('succeeded','skipped')
      BEGIN SELECT RAISE(ABORT, 'a succeeded step is never run again'); END;
      CREATE TRIGGER response_steps_no_delete BEFORE DELETE ON response_steps
      BEGIN SELECT RAISE(ABORT, 'response steps are kept as a record'); END;

      CREATE TABLE response_use_checks (
        id           INTEGER PRIMARY KEY,
        action_id    INTEGER NOT NULL REFERENCES response_actions(id),
        checked_at   TEXT NOT NULL,
        since        TEXT NOT NULL,
        until        TEXT NOT NULL CHECK (until >= since),
        calls        INTEGER NOT NULL CHECK (calls >= 0),
        denied       INTEGER NOT NULL CHECK (denied >= 0 AND denied <= calls),
        evidence_id  INTEGER REFERENCES evidence(id),
        lookup       TEXT NOT NULL CHECK (json_valid(lookup)),
        actor        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX response_use_checks_action ON response_use_checks(action_id, id);
      CREATE TRIGGER response_use_checks_no_update BEFORE UPDATE ON response_use_checks
      BEGIN SELECT RAISE(ABORT, 'use checks are kept as a record'); END;
      CREATE TRIGGER response_use_checks_no_delete BEFORE DELETE ON response_use_checks
      BEGIN SELECT RAISE(ABORT, 'use checks are kept as a record'); END;
    `);
  },
};
