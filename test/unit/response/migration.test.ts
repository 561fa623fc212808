import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';

let s: TestServices;
beforeEach(() => {
  s = makeServices();
});
afterEach(() => s.cleanup());

describe('migration 004 (response)', () => {
  const insertAction = (caseId: number, instance = 'i-0abc1234def567890') =>
    Number(
      s.core.db
        .prepare(
          "INSERT INTO response_actions (case_id, kind, instance_id, region, state, actor, created_at) VALUES (?, 'isolate', ?, 'eu-west-1', 'planned', 'a', '2026-11-27T10:00:00Z')",
        )
        .run(caseId, instance).lastInsertRowid,
    );
  const insertStep = (actionId: number, idx: number, state = 'pending') =>
    s.core.db
      .prepare(
        "INSERT INTO response_steps (action_id, idx, key, title, kind, service, region, operation, iam_action, request, state) VALUES (?, ?, ?, 't', 'call', 'ec2', 'eu-west-1', 'CreateTags', 'ec2:CreateTags', '{}', ?)",
      )
      .run(actionId, idx, `k${idx}`, state);

  it('creates the action and step tables with their constraints', () => {
    const c = s.core.cases.create({ title: 'x', severity: 'low' });
    const caseId = s.core.cases.require(c.number).id;
    const id = insertAction(caseId);
    insertStep(id, 0);
    expect(() => insertStep(id, 0)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insertStep(id, 1, 'done')).toThrow(/CHECK/);
    expect(() => insertAction(caseId, 'not-an-instance')).toThrow(/CHECK/);
    expect(() => s.core.db.prepare("UPDATE response_actions SET state = 'exploded' WHERE id = ?").run(id)).toThrow(/CHECK/);
    expect(() => s.core.db.prepare('UPDATE response_steps SET request = ? WHERE action_id = ?').run('{not json', id)).toThrow(/CHECK/);
  });

  it('never lets a succeeded step go back to another state, nor be deleted', () => {
    const c = s.core.cases.create({ title: 'x', severity: 'low' });
    const id = insertAction(s.core.cases.require(c.number).id);
    insertStep(id, 0, 'succeeded');
    expect(() => s.core.db.prepare("UPDATE response_steps SET state = 'pending' WHERE action_id = ?").run(id)).toThrow(/never run again/);
    expect(() => s.core.db.prepare("UPDATE response_steps SET state = 'running' WHERE action_id = ?").run(id)).toThrow(/never run again/);
    expect(() => s.core.db.prepare('DELETE FROM response_steps WHERE action_id = ?').run(id)).toThrow(/kept as a record/);
  });
});

describe('migration 004: incident links', () => {
  it('accepts one incident record ARN per case', () => {
    const c = s.core.cases.create({ title: 'x', severity: 'low' });
    const id = s.core.cases.require(c.number).id;
    const ins = s.core.db.prepare(
      "INSERT INTO response_incidents (case_id, incident_arn, region, started, linked_at, linked_by) VALUES (?, ?, 'eu-west-1', 0, 't', 'a')",
    );
    expect(() => ins.run(id, 'arn:aws:ssm-incidents::111122223333:response-plan/x')).toThrow(/CHECK/);
    ins.run(id, 'arn:aws:ssm-incidents::111122223333:incident-record/p/1');
    expect(() => ins.run(id, 'arn:aws:ssm-incidents::111122223333:incident-record/p/2')).toThrow(/UNIQUE|PRIMARY/);
  });
});
