import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { migrations } from '../../../main/db/migrations';

let s: TestServices;
beforeEach(() => {
  s = makeServices();
});
afterEach(() => s.cleanup());

describe('migration 013 (acquire)', () => {
  it('is applied in order after the numbers reserved for other work', () => {
    expect(migrations.map((m) => m.version)).toEqual(Array.from({ length: migrations.length }, (_, i) => i + 1));
    expect(migrations.find((m) => m.version === 13)!.name).toBe('acquire');
    expect(s.core.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(13);
  });

  it('creates checked acquisition, object and inbox tables', () => {
    const c = s.core.cases.create({ title: 'X', severity: 'low' });
    const caseId = s.core.cases.require(c.number).id;
    const acq = s.core.db.prepare(
      "INSERT INTO acquisitions (case_id, kind, state, label, request, actor, created_at, updated_at) VALUES (?, ?, ?, 'l', ?, 'a', 't', 't')",
    );
    const id = Number(acq.run(caseId, 'bucket', 'planned', '{}').lastInsertRowid);
    expect(() => acq.run(caseId, 'ftp', 'planned', '{}')).toThrow(/CHECK/);
    expect(() => acq.run(caseId, 'bucket', 'paused', '{}')).toThrow(/CHECK/);
    expect(() => acq.run(caseId, 'bucket', 'planned', 'not json')).toThrow(/CHECK/);
    const obj = s.core.db.prepare(
      "INSERT INTO acquisition_objects (acquisition_id, seq, kind, bucket, key, size, etag, state, evidence_id) VALUES (?, ?, 'log', 'b', 'k', 1, 'e', ?, ?)",
    );
    obj.run(id, 1, 'pending', null);
    expect(() => obj.run(id, 1, 'pending', null)).toThrow(/UNIQUE|PRIMARY/);
    // An object can only be done with the evidence item that holds it.
    expect(() => obj.run(id, 2, 'done', null)).toThrow(/CHECK/);
    expect(() => obj.run(id, 3, 'done', 424242)).toThrow(/FOREIGN KEY/);
    const inbox = s.core.db.prepare(
      "INSERT INTO finding_inbox (source, finding_id, account, region, type, title, severity_label, severity_score, raw, pulled_at, state, cases) VALUES ('guardduty', ?, 'a', 'r', 't', 't', ?, 5, '{}', 't', ?, ?)",
    );
    inbox.run('f1', 'medium', 'new', '[]');
    expect(() => inbox.run('f1', 'medium', 'new', '[]')).toThrow(/UNIQUE/);
    expect(() => inbox.run('f2', 'severe', 'new', '[]')).toThrow(/CHECK/);
    expect(() => inbox.run('f3', 'low', 'archived', '[]')).toThrow(/CHECK/);
    expect(() => inbox.run('f4', 'low', 'new', '{"a":1}')).toThrow(/CHECK/);
  });
});
