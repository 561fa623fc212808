import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrations } from '../../../main/db/migrations';
import { tempDir } from '../../helpers/services';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Migration 015 on a database with an isolation, its steps and a live lease, written before it. */
test('migration 015 keeps every action, step and lease, accepts other targets and kinds, and keeps the step guarantees', () => {
  const dir = tempDir();
  dirs.push(dir);
  const file = path.join(dir, 'lariat.db');
  const old = openDatabase(file, { migrations: migrations.slice(0, 14) });
  const now = '2026-11-27T10:00:00.000Z';
  old
    .prepare(
      "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-2026-0001', 'c', 'low', 'open', 'amber', ?, ?)",
    )
    .run(now, now);
  old
    .prepare(
      "INSERT INTO response_actions (case_id, kind, instance_id, region, state, actor, created_at, recorded, warnings) VALUES (1, 'isolate', 'i-0abc1234def567890', 'eu-west-1', 'running', 'a', ?, '{\"x\":1}', '[\"w\"]')",
    )
    .run(now);
  const step = old.prepare(
    "INSERT INTO response_steps (action_id, idx, key, title, kind, service, region, operation, iam_action, request, state, result) VALUES (1, ?, ?, 't', 'call', 'ec2', 'eu-west-1', 'CreateTags', 'ec2:CreateTags', '{}', ?, ?)",
  );
  step.run(0, 'k0', 'succeeded', '{"ok":true}');
  step.run(1, 'k1', 'running', null);
  old
    .prepare(
      "INSERT INTO response_leases (action_id, holder, pid, host, acquired_at, heartbeat_at, expires_at) VALUES (1, 'holder-123', 42, 'h', ?, ?, '2026-11-27T10:01:00.000Z')",
    )
    .run(now, now);
  old.close();

  const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 15) });
  expect(db.pragma('user_version', { simple: true })).toBe(15);
  expect(db.pragma('foreign_key_check')).toEqual([]);
  const a = db.prepare('SELECT kind, target_type, instance_id, recorded, warnings, state FROM response_actions WHERE id = 1').get();
  expect(a).toEqual({
    kind: 'isolate',
    target_type: 'ec2-instance',
    instance_id: 'i-0abc1234def567890',
    recorded: '{"x":1}',
    warnings: '["w"]',
    state: 'running',
  });
  expect(db.prepare('SELECT idx, state, result FROM response_steps ORDER BY idx').all()).toEqual([
    { idx: 0, state: 'succeeded', result: '{"ok":true}' },
    { idx: 1, state: 'running', result: null },
  ]);
  expect(db.prepare('SELECT holder, pid FROM response_leases').get()).toEqual({ holder: 'holder-123', pid: 42 });

  const insert = db.prepare(
    "INSERT INTO response_actions (case_id, kind, target_type, instance_id, region, state, actor, created_at) VALUES (1, ?, ?, ?, 'eu-west-1', 'planned', 'a', ?)",
  );
  // Other targets and kinds are accepted; an EC2 target must still be an instance id; kinds stay lower-case names.
  insert.run('credentials', 'iam-user', 'alice', now);
  insert.run('role-sessions', 'iam-role', 'web-role', now);
  expect(() => insert.run('isolate', 'ec2-instance', 'alice', now)).toThrow(/CHECK/);
  expect(() => insert.run('Drop Table', 'iam-user', 'alice', now)).toThrow(/CHECK/);
  expect(() => insert.run('credentials', 'iam-user', '', now)).toThrow(/CHECK/);
  // Steps still reference actions, and the step triggers survived the rebuild.
  expect(() =>
    db
      .prepare(
        "INSERT INTO response_steps (action_id, idx, key, title, kind, service, region, operation, iam_action, request, state) VALUES (99, 0, 'k', 't', 'call', 'ec2', 'r', 'o', 'i', '{}', 'pending')",
      )
      .run(),
  ).toThrow(/FOREIGN KEY/);
  expect(() => db.prepare("UPDATE response_steps SET state = 'pending' WHERE idx = 0").run()).toThrow(/never run again/);
  expect(() => db.prepare('DELETE FROM response_steps').run()).toThrow(/kept as a record/);

  // Use checks are append-only and tied to an action.
  const check = db.prepare(
    "INSERT INTO response_use_checks (action_id, checked_at, since, until, calls, denied, lookup, actor) VALUES (?, ?, ?, ?, ?, ?, '{}', 'a')",
  );
  check.run(2, now, now, now, 3, 1);
  expect(() => check.run(2, now, now, now, 1, 2)).toThrow(/CHECK/);
  expect(() => check.run(99, now, now, now, 0, 0)).toThrow(/FOREIGN KEY/);
  expect(() => db.prepare('UPDATE response_use_checks SET calls = 0').run()).toThrow(/kept as a record/);
  expect(() => db.prepare('DELETE FROM response_use_checks').run()).toThrow(/kept as a record/);
  db.close();
});
