import type { Migration } from './types';

/**
 * Response actions and their steps. A step's state is committed before and
 * after each AWS call, so an action interrupted by a crash, a lost network or
 * a failed call resumes at the first step that did not succeed. `recorded`
 * holds the original state (security groups, profile, group memberships)
 * that a release restores. A case may be linked to one AWS Incident Manager
 * incident, which then receives each action as a timeline event.
 */
export const m004Response: Migration = {
  version: 4,
  name: 'response',
  up(db) {
    db.exec(`
      CREATE TABLE response_actions (
        id          INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        kind        TEXT NOT NULL CHECK (kind IN ('isolate','release','snapshot','memory')),
        instance_id TEXT NOT NULL CHECK (instance_id GLOB 'i-[0-9a-f]*'),
        region      TEXT NOT NULL,
        account     TEXT,
        options     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
        recorded    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(recorded)),
        state       TEXT NOT NULL CHECK (state IN ('planned','running','succeeded','failed','discarded')),
        error       TEXT CHECK (error IS NULL OR json_valid(error)),
        actor       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        started_at  TEXT,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX response_actions_case ON response_actions(case_id, id);
      CREATE INDEX response_actions_instance ON response_actions(instance_id, kind, state);

      CREATE TABLE response_steps (
        action_id   INTEGER NOT NULL REFERENCES response_actions(id),
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

      CREATE TABLE response_incidents (
        case_id      INTEGER PRIMARY KEY REFERENCES cases(id),
        incident_arn TEXT NOT NULL CHECK (incident_arn LIKE 'arn:%:ssm-incidents::%:incident-record/%'),
        region       TEXT NOT NULL,
        started      INTEGER NOT NULL CHECK (started IN (0,1)),
        linked_at    TEXT NOT NULL,
        linked_by    TEXT NOT NULL
      ) STRICT;

      CREATE TRIGGER response_steps_no_undo BEFORE UPDATE OF state ON response_steps
      WHEN OLD.state IN ('succeeded','skipped')
      BEGIN SELECT RAISE(ABORT, 'a succeeded step is never run again'); END;
      CREATE TRIGGER response_steps_no_delete BEFORE DELETE ON response_steps
      BEGIN SELECT RAISE(ABORT, 'response steps are kept as a record'); END;
    `);
  },
};
