import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';

let s: TestServices;
beforeEach(() => {
  s = makeServices();
});
afterEach(() => s.cleanup());

describe('migration 005 (reports)', () => {
  it('creates append-only export and receipt tables with checked columns', () => {
    const c = s.core.cases.create({ title: 'X', severity: 'low' });
    const id = s.core.cases.require(c.number).id;
    const insert = s.core.db.prepare(
      "INSERT INTO report_exports (case_id, export_id, kind, path, size, sha256, actor, created_at) VALUES (?, ?, ?, '/tmp/x', 1, ?, 'a', 't')",
    );
    insert.run(id, 'RPT-1-abcdef', 'html', 'a'.repeat(64));
    expect(() => insert.run(id, 'RPT-2-abcdef', 'docx', 'a'.repeat(64))).toThrow(/CHECK/);
    expect(() => insert.run(id, 'RPT-3-abcdef', 'pdf', 'XYZ')).toThrow(/CHECK/);
    expect(() => insert.run(id, 'RPT-1-abcdef', 'pdf', 'b'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => s.core.db.prepare("UPDATE report_exports SET path = '/elsewhere'").run()).toThrow(/append-only/);
    expect(() => s.core.db.prepare('DELETE FROM report_exports').run()).toThrow(/append-only/);
    const receipt = s.core.db.prepare(
      "INSERT INTO bundle_receipts (case_id, bundle_id, bundle_sha256, exporter, exporter_fp, exported_at, manifest, folder, received_by, received_at) VALUES (?, 'b', ?, 'e', ?, 't', ?, 'f', 'r', 't')",
    );
    expect(() => receipt.run(id, 'c'.repeat(64), 'd'.repeat(64), 'not json')).toThrow(/CHECK/);
    receipt.run(id, 'c'.repeat(64), 'd'.repeat(64), '{}');
    expect(() => s.core.db.prepare('DELETE FROM bundle_receipts').run()).toThrow(/append-only/);
    expect(s.core.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(5);
  });
});
