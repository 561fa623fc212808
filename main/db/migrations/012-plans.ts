import type { Migration } from './types';

/**
 * Response plans and playbooks, the plan a case was started from, the two-way
 * Incident Manager sync, SSM Automation runbook runs and post-incident
 * analyses (issue 16).
 *
 * - `case_plans` keeps the plan exactly as applied (a later edit of the plan
 *   file never rewrites what a case was started from); a trigger refuses
 *   updates.
 * - `incident_outbox` is what Lariat owes the incident, one row per stable
 *   dedupe key: `pending` (never reached AWS for sure), `unknown` (sent, reply
 *   lost: reconciled against the incident before any retry), `sent` (final,
 *   enforced by a trigger). `incident_inbox` remembers the events written by
 *   others that were copied into the case timeline, so a repeated sync never
 *   copies one twice.
 * - `runbook_steps` holds each step state of an automation once; its primary
 *   key is what keeps repeated polls from writing a step twice.
 */
export const m012Plans: Migration = {
  version: 12,
  name: 'plans',
  up(db) {
    db.exec(`
      CREATE TABLE plans (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
        kind       TEXT NOT NULL CHECK (kind IN ('plan','playbook')),
        body       TEXT NOT NULL CHECK (json_valid(body)),
        origin     TEXT NOT NULL CHECK (origin IN ('local','incident-manager')),
        origin_arn TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE plan_contacts (
        id         INTEGER PRIMARY KEY,
        alias      TEXT NOT NULL UNIQUE CHECK (length(alias) BETWEEN 1 AND 255),
        body       TEXT NOT NULL CHECK (json_valid(body)),
        origin     TEXT NOT NULL CHECK (origin IN ('local','ssm-contacts')),
        arn        TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE case_plans (
        case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
        plan_name  TEXT NOT NULL,
        origin     TEXT NOT NULL,
        body       TEXT NOT NULL CHECK (json_valid(body)),
        sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
        applied_at TEXT NOT NULL,
        applied_by TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER case_plans_no_update BEFORE UPDATE ON case_plans
      BEGIN SELECT RAISE(ABORT, 'the plan a case was started from is kept as applied'); END;
      CREATE TRIGGER case_plans_no_delete BEFORE DELETE ON case_plans
      BEGIN SELECT RAISE(ABORT, 'the plan a case was started from is kept as applied'); END;

      CREATE TABLE case_plan_steps (
        case_id INTEGER NOT NULL REFERENCES case_plans(case_id),
        step_id TEXT NOT NULL,
        task_id INTEGER NOT NULL UNIQUE REFERENCES tasks(id),
        note_id INTEGER REFERENCES notes(id),
        PRIMARY KEY (case_id, step_id)
      ) STRICT;

      CREATE TABLE incident_sync (
        case_id            INTEGER PRIMARY KEY REFERENCES cases(id),
        incident_arn       TEXT NOT NULL,
        region             TEXT NOT NULL,
        title              TEXT,
        remote_status      TEXT CHECK (remote_status IS NULL OR remote_status IN ('OPEN','RESOLVED')),
        remote_impact      INTEGER CHECK (remote_impact IS NULL OR remote_impact BETWEEN 1 AND 5),
        remote_created_at  TEXT,
        remote_resolved_at TEXT,
        remote_modified_at TEXT,
        remote_modified_by TEXT,
        local_status       TEXT NOT NULL DEFAULT 'OPEN' CHECK (local_status IN ('OPEN','RESOLVED')),
        local_impact       INTEGER CHECK (local_impact IS NULL OR local_impact BETWEEN 1 AND 5),
        base_status        TEXT CHECK (base_status IS NULL OR base_status IN ('OPEN','RESOLVED')),
        base_impact        INTEGER CHECK (base_impact IS NULL OR base_impact BETWEEN 1 AND 5),
        local_changed_at   TEXT,
        chat_channel       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(chat_channel)),
        engagements        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(engagements)),
        problem            TEXT CHECK (problem IS NULL OR json_valid(problem)),
        failures           INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
        last_attempt_at    TEXT,
        last_success_at    TEXT,
        next_retry_at      TEXT
      ) STRICT;

      CREATE TABLE incident_outbox (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        key        TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 300),
        kind       TEXT NOT NULL CHECK (kind IN ('timeline-event','related-item')),
        payload    TEXT NOT NULL CHECK (json_valid(payload)),
        state      TEXT NOT NULL CHECK (state IN ('pending','unknown','sent')),
        attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        remote_id  TEXT,
        last_error TEXT CHECK (last_error IS NULL OR json_valid(last_error)),
        created_at TEXT NOT NULL,
        sent_at    TEXT,
        UNIQUE (case_id, key)
      ) STRICT;
      CREATE INDEX incident_outbox_state ON incident_outbox(case_id, state);
      CREATE TRIGGER incident_outbox_sent_is_final BEFORE UPDATE OF state ON incident_outbox
      WHEN OLD.state = 'sent' AND NEW.state != 'sent'
      BEGIN SELECT RAISE(ABORT, 'an item sent to the incident is never sent again'); END;
      CREATE TRIGGER incident_outbox_no_delete BEFORE DELETE ON incident_outbox
      BEGIN SELECT RAISE(ABORT, 'the incident outbox is kept as a record'); END;

      CREATE TABLE incident_inbox (
        case_id          INTEGER NOT NULL REFERENCES cases(id),
        event_id         TEXT NOT NULL,
        event_updated_at TEXT,
        imported_at      TEXT NOT NULL,
        PRIMARY KEY (case_id, event_id)
      ) STRICT;

      CREATE TABLE runbook_runs (
        id               INTEGER PRIMARY KEY,
        case_id          INTEGER NOT NULL REFERENCES cases(id),
        document_name    TEXT NOT NULL CHECK (length(document_name) BETWEEN 3 AND 128),
        document_version TEXT,
        region           TEXT NOT NULL,
        parameters       TEXT NOT NULL CHECK (json_valid(parameters)),
        request          TEXT NOT NULL CHECK (json_valid(request)),
        client_token     TEXT NOT NULL UNIQUE,
        execution_id     TEXT UNIQUE,
        state            TEXT NOT NULL CHECK (state IN ('planned','starting','running','succeeded','failed','cancelled','discarded')),
        aws_status       TEXT,
        outputs          TEXT CHECK (outputs IS NULL OR json_valid(outputs)),
        failure          TEXT,
        error            TEXT CHECK (error IS NULL OR json_valid(error)),
        actor            TEXT NOT NULL,
        caller_arn       TEXT,
        evidence_ids     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evidence_ids)),
        created_at       TEXT NOT NULL,
        attempted_at     TEXT,
        started_at       TEXT,
        finished_at      TEXT
      ) STRICT;
      CREATE INDEX runbook_runs_case ON runbook_runs(case_id, id);

      CREATE TABLE runbook_steps (
        run_id            INTEGER NOT NULL REFERENCES runbook_runs(id),
        step_execution_id TEXT NOT NULL,
        status            TEXT NOT NULL,
        body              TEXT NOT NULL CHECK (json_valid(body)),
        recorded_at       TEXT NOT NULL,
        PRIMARY KEY (run_id, step_execution_id, status)
      ) STRICT;
      CREATE TRIGGER runbook_steps_no_update BEFORE UPDATE ON runbook_steps
      BEGIN SELECT RAISE(ABORT, 'runbook steps are kept as recorded'); END;
      CREATE TRIGGER runbook_steps_no_delete BEFORE DELETE ON runbook_steps
      BEGIN SELECT RAISE(ABORT, 'runbook steps are kept as recorded'); END;

      CREATE TABLE analyses (
        case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
        template   TEXT NOT NULL,
        body       TEXT NOT NULL CHECK (json_valid(body)),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
