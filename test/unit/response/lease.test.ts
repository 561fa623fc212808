import { afterEach, describe, expect, it } from 'vitest';
import { lariatWithModel, type LariatEnv } from '../../aws-model/lariat-env';
import { makeServices, type TestServices } from '../../helpers/services';
import { ID } from '../../aws-model/scenario';

let e: LariatEnv;
afterEach(() => e?.cleanup());

describe('one runner per action (two Lariats on one data folder)', () => {
  it('shows "running in another Lariat", refuses a second runner until the lease expires, then "interrupted" means interrupted', async () => {
    e = lariatWithModel();
    const p = await e.plan('isolate', { profileMode: 'keep' });
    const hang = e.model.inject({ op: 'ModifyNetworkInterfaceAttribute', fault: { kind: 'hang', apply: true } });
    void e.run(p.id).catch(() => undefined);
    await hang.reached;
    const other = e.open();
    const seen = other.feature.response.list(e.caseNumber)[0]!;
    expect(seen.interrupted).toBe(false);
    expect(seen.runningElsewhere).toMatchObject({ pid: process.pid, since: expect.stringMatching(/^2026-11-27T10:00/) });
    expect(other.feature.response.get(p.id).runningElsewhere).not.toBeNull();
    const changes = e.model.mutations().length;
    expect(() => other.feature.response.start(p.id, ID)).toThrow(
      /is running in another Lariat \(pid \d+ on .+, since .+; last heartbeat .+\)/,
    );
    await expect(other.plan('release')).rejects.toMatchObject({ code: 'action-running' });
    expect(e.model.mutations().length).toBe(changes);
    // The first runner stopped renewing (killed, asleep); once its lease has expired the action is interrupted, and resumable.
    e.clock.advance(other.feature.response.leases.ttlMs);
    expect(other.feature.response.list(e.caseNumber)[0]).toMatchObject({ interrupted: true, runningElsewhere: null });
    const done = await other.run(p.id);
    expect(done.state).toBe('succeeded');
    expect(e.services.core.activity.list(e.caseNumber).filter((a) => a.action === 'response.action.resumed')).toHaveLength(1);
  });

  it('a runner that wakes up after another Lariat took over makes no further call and records nothing', async () => {
    e = lariatWithModel();
    const p = await e.plan('isolate', { profileMode: 'keep' });
    const hang = e.model.inject({ op: 'ModifyNetworkInterfaceAttribute', fault: { kind: 'hang', apply: true } });
    const first = e.run(p.id);
    first.catch(() => undefined);
    await hang.reached;
    e.clock.advance(10 * 60_000);
    const other = e.open();
    const done = await other.run(p.id);
    expect(done.state).toBe('succeeded');
    const snapshot = JSON.stringify(other.feature.response.get(p.id));
    const calls = e.model.calls.length;
    hang.release();
    await expect(first).rejects.toMatchObject({ code: 'lease-lost', hint: expect.stringMatching(/stopped before making another call/) });
    expect(e.model.calls.length).toBe(calls);
    expect(JSON.stringify(other.feature.response.get(p.id))).toBe(snapshot);
  });

  it('releases the lease when the action ends, so a plan never shows a stale runner', async () => {
    e = lariatWithModel();
    const p = await e.plan('snapshot');
    await e.run(p.id);
    expect(e.feature.response.leases.get(p.id)).toBeNull();
    e.model.inject({ op: 'DescribeSnapshots', fault: { kind: 'fail', code: 'AuthFailure' } });
    const q = await e.plan('snapshot');
    await expect(e.run(q.id)).rejects.toMatchObject({ code: 'aws-credentials-expired' });
    expect(e.feature.response.leases.get(q.id)).toBeNull();
    expect(
      e
        .open()
        .feature.response.list(e.caseNumber)
        .find((a) => a.id === q.id),
    ).toMatchObject({ state: 'failed', interrupted: false, runningElsewhere: null });
  });
});

describe('migration 008 (action lease, plan warnings)', () => {
  let s: TestServices;
  afterEach(() => s?.cleanup());

  it('keeps one lease per action, with a sane holder and expiry, and plan warnings as a JSON array', () => {
    s = makeServices();
    const c = s.core.cases.create({ title: 'x', severity: 'low' });
    const caseId = s.core.cases.require(c.number).id;
    const id = Number(
      s.core.db
        .prepare(
          "INSERT INTO response_actions (case_id, kind, instance_id, region, state, actor, created_at) VALUES (?, 'isolate', 'i-0abc1234def567890', 'eu-west-1', 'planned', 'a', 't')",
        )
        .run(caseId).lastInsertRowid,
    );
    expect(s.core.db.prepare('SELECT warnings FROM response_actions WHERE id = ?').get(id)).toEqual({ warnings: '[]' });
    expect(() => s.core.db.prepare("UPDATE response_actions SET warnings = '{}' WHERE id = ?").run(id)).toThrow(/CHECK/);
    const lease = s.core.db.prepare(
      'INSERT INTO response_leases (action_id, holder, pid, host, acquired_at, heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    expect(() => lease.run(id, 'short', 1, 'h', 't1', 't1', 't2')).toThrow(/CHECK/);
    expect(() => lease.run(id, 'holder-0001', 0, 'h', 't1', 't1', 't2')).toThrow(/CHECK/);
    expect(() => lease.run(id, 'holder-0001', 1, 'h', 't1', 't2', 't1')).toThrow(/CHECK/);
    expect(() => lease.run(id + 99, 'holder-0001', 1, 'h', 't1', 't1', 't2')).toThrow(/FOREIGN KEY/);
    lease.run(id, 'holder-0001', 1, 'h', 't1', 't1', 't2');
    expect(() => lease.run(id, 'holder-0002', 2, 'h', 't1', 't1', 't2')).toThrow(/UNIQUE|PRIMARY/);
  });
});
