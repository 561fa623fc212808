import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, openDatabase } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';
import { tempDir } from '../../helpers/services';

let dir: string;
beforeEach(() => {
  dir = tempDir('lariat-m012-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 012 (plans, incident sync, runbooks, analyses)', () => {
  it('applies on a database at schema 11 with cases in it, and its records keep what they promise', () => {
    const file = path.join(dir, 'lariat.db');
    openDatabase(file, { migrations: migrations.filter((m) => m.version <= 11) }).close();
    const db = new Database(file);
    db.prepare(
      "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-2026-0001', 'x', 'low', 'open', 'amber', 't', 't')",
    ).run();
    expect(migrate(db)).toBe(migrations.at(-1)!.version);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'plans',
        'plan_contacts',
        'case_plans',
        'case_plan_steps',
        'incident_sync',
        'incident_outbox',
        'incident_inbox',
        'runbook_runs',
        'runbook_steps',
        'analyses',
      ]),
    );

    // The plan a case was started from cannot be rewritten or removed.
    db.prepare(
      "INSERT INTO case_plans (case_id, plan_name, origin, body, sha256, applied_at, applied_by) VALUES (1, 'p', 'shipped', '{}', ?, 't', 'a')",
    ).run('a'.repeat(64));
    expect(() => db.prepare('UPDATE case_plans SET body = \'{"x":1}\'').run()).toThrow(/kept as applied/);
    expect(() => db.prepare('DELETE FROM case_plans').run()).toThrow(/kept as applied/);

    // An outbox item is queued once per key, and once sent is never pending again.
    const q = db.prepare(
      "INSERT INTO incident_outbox (case_id, key, kind, payload, state, created_at) VALUES (1, ?, 'timeline-event', '{}', 'pending', 't')",
    );
    q.run('k1');
    expect(() => q.run('k1')).toThrow(/UNIQUE/);
    db.prepare("UPDATE incident_outbox SET state = 'unknown' WHERE key = 'k1'").run();
    db.prepare("UPDATE incident_outbox SET state = 'sent', remote_id = 'e1' WHERE key = 'k1'").run();
    expect(() => db.prepare("UPDATE incident_outbox SET state = 'pending' WHERE key = 'k1'").run()).toThrow(/never sent again/);
    expect(() => db.prepare('DELETE FROM incident_outbox').run()).toThrow(/kept as a record/);
    expect(() =>
      db
        .prepare("INSERT INTO incident_outbox (case_id, key, kind, payload, state, created_at) VALUES (1, 'k2', 'x', '{}', 'pending', 't')")
        .run(),
    ).toThrow(/CHECK/);

    // Sync state is bounded to Incident Manager's values.
    const sync = db.prepare("INSERT INTO incident_sync (case_id, incident_arn, region, local_impact) VALUES (1, 'arn', 'eu-west-1', ?)");
    expect(() => sync.run(6)).toThrow(/CHECK/);
    sync.run(2);

    // Runbook steps are recorded once per state and never changed.
    db.prepare(
      "INSERT INTO runbook_runs (case_id, document_name, region, parameters, request, client_token, state, actor, created_at) VALUES (1, 'AWS-X', 'eu-west-1', '{}', '{}', 'tok', 'running', 'a', 't')",
    ).run();
    const step = db.prepare(
      "INSERT INTO runbook_steps (run_id, step_execution_id, status, body, recorded_at) VALUES (1, 's1', 'Success', '{}', 't') ON CONFLICT DO NOTHING",
    );
    expect(step.run().changes).toBe(1);
    expect(step.run().changes).toBe(0);
    expect(() => db.prepare("UPDATE runbook_steps SET status = 'Failed'").run()).toThrow(/kept as recorded/);
    expect(() => db.prepare('DELETE FROM runbook_steps').run()).toThrow(/kept as recorded/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO runbook_runs (case_id, document_name, region, parameters, request, client_token, state, actor, created_at) VALUES (1, 'AWS-Y', 'r', '{}', '{}', 'tok', 'planned', 'a', 't')",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    db.close();
  });
});
