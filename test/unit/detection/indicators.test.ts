import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, tempDir, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { classify } from '../../../main/detection/indicators/classify';
import * as op from '../../../main/detection/operations';
import { SHARED_ROOT } from './helpers';

let s: TestServices;
let a: string;
let b: string;
beforeEach(async () => {
  s = makeServices();
  ensureTestIdentity(s);
  a = s.core.cases.create({ title: 'A', severity: 'high' }).number;
  b = s.core.cases.create({ title: 'B', severity: 'low' }).number;
  await s.timeline.imports.importPaths(a, [path.join(SHARED_ROOT, 'data/cloudtrail/panther'), path.join(SHARED_ROOT, 'data/guardduty')]);
});
afterEach(() => s.cleanup());

/** What a scan of the events table says: events of a case whose column equals the value. */
const count = (caseNumber: string, column: string, value: string): number =>
  (
    s.core.db
      .prepare(
        `SELECT count(*) AS n FROM timeline_events e JOIN cases c ON c.id = e.case_id WHERE c.number = ? AND lower(e.${column}) = lower(?)`,
      )
      .get(caseNumber, value) as { n: number }
  ).n;

/** The most frequent value of a column that is an indicator of that column's type. */
const top = (column: string, type: string): string =>
  (
    s.core.db
      .prepare(`SELECT ${column} AS v FROM timeline_events WHERE ${column} IS NOT NULL GROUP BY ${column} ORDER BY count(*) DESC`)
      .all() as { v: string }[]
  )
    .map((r) => r.v)
    .find((v) => type === 'user-agent' || classify(v) === type)!;

describe('search across cases', () => {
  it('finds IPs, key ids, ARNs, accounts and user agents in events, with counts equal to a scan, case-insensitively', () => {
    for (const [column, type] of [
      ['source_ip', 'ip'],
      ['access_key_id', 'access-key-id'],
      ['actor', 'arn'],
      ['account', 'account-id'],
      ['user_agent', 'user-agent'],
    ] as const) {
      const value = top(column, type);
      const r = op.searchIndicator(s.detection, { value: ` ${value.toUpperCase()} ` });
      if (type !== 'user-agent') expect(r.type, value).toBe(type);
      expect(r.cases, value).toEqual([expect.objectContaining({ caseNumber: a, events: count(a, column, value) })]);
    }
    expect(op.searchIndicator(s.detection, { value: '192.0.2.254' }).cases).toEqual([]);
  });

  it('an IOC in another case, a finding, and later imports show up without a manual re-index', async () => {
    const ip = top('source_ip', 'ip');
    s.timeline.iocs.add({ caseNumber: b, type: 'ip', value: ip });
    const r = op.searchIndicator(s.detection, { value: ip });
    expect(r.cases.map((c) => [c.caseNumber, c.iocs])).toEqual([
      [a, 0],
      [b, 1],
    ]);
    // The SSH brute-force sample finding names its attacker address (198.51.100.0) and the instance profile ARN.
    const f = op.searchIndicator(s.detection, { value: 'arn:aws:iam::1234567891234:instance-profile/generated' });
    expect(f.cases[0]!.findings).toBeGreaterThan(0);
    // A sample finding's 0.0.0.0 is never an indicator.
    expect(op.searchIndicator(s.detection, { value: '0.0.0.0' }).cases).toEqual([]);
    await s.timeline.imports.importPaths(b, [path.join(SHARED_ROOT, 'data/cloudtrail/otrf')]);
    const otrfIp = (
      s.core.db
        .prepare(
          "SELECT e.source_ip AS v FROM timeline_events e JOIN cases c ON c.id = e.case_id WHERE c.number = ? AND e.source_ip GLOB '[0-9]*' LIMIT 1",
        )
        .get(b) as { v: string }
    ).v;
    expect(op.searchIndicator(s.detection, { value: otrfIp }).cases.find((c) => c.caseNumber === b)!.events).toBe(
      count(b, 'source_ip', otrfIp),
    );
  });

  it("reads a received bundle's case data (events, findings, IOCs)", () => {
    const folder = tempDir('lariat-bundle-');
    fs.writeFileSync(
      path.join(folder, 'case.json'),
      JSON.stringify({
        timeline: {
          total: 1,
          events: [
            {
              sourceIp: '203.0.113.77',
              accessKeyId: 'AKIAEXAMPLEBUNDLE001',
              actor: 'arn:aws:iam::444455556666:user/eve',
              userAgent: 'curl/8',
            },
          ],
        },
        findings: [{ Service: { Action: { NetworkConnectionAction: { RemoteIpDetails: { IpAddressV4: '203.0.113.77' } } } } }],
        iocs: [{ type: 'domain', value: 'evil.example.com' }],
      }),
    );
    const rc = s.core.cases.create({ title: 'Received', severity: 'low' }, { readOnly: true, number: 'IR-2025-0042' });
    const id = s.core.cases.require(rc.number).id;
    s.core.db
      .prepare(
        "INSERT INTO bundle_receipts (case_id, bundle_id, bundle_sha256, exporter, exporter_fp, exported_at, manifest, folder, received_by, received_at) VALUES (?, 'b1', ?, 'Bob', ?, 't', '{}', ?, 'me', 't')",
      )
      .run(id, 'c'.repeat(64), 'd'.repeat(64), folder);
    expect(op.searchIndicator(s.detection, { value: '203.0.113.77' }).cases).toEqual([
      expect.objectContaining({ caseNumber: 'IR-2025-0042', readOnly: true, bundle: 2 }),
    ]);
    expect(op.searchIndicator(s.detection, { value: 'EVIL.example.com' }).cases[0]!.bundle).toBe(1);
    expect(op.searchIndicator(s.detection, { value: 'akiaexamplebundle001' }).cases[0]!.caseNumber).toBe('IR-2025-0042');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('adding an import indexes only its events, and the result equals a full rebuild; a cancelled import is taken out', async () => {
    const rows = () => s.core.db.prepare('SELECT * FROM indicator_index ORDER BY value, case_id, kind, type').all();
    op.searchIndicator(s.detection, { value: '1.2.3.4' });
    await s.timeline.imports.importPaths(a, [path.join(SHARED_ROOT, 'data/cloudtrail/otrf')]);
    s.timeline.iocs.add({ caseNumber: a, type: 'domain', value: 'evil.example.com' });
    op.searchIndicator(s.detection, { value: '1.2.3.4' });
    const incremental = rows();
    s.core.db.prepare('DELETE FROM indicator_cases').run();
    s.detection.indicators.refreshStale();
    expect(rows()).toEqual(incremental);
    // Events of an import that is rolled back (cancelled) disappear from the index.
    const lastImport = (s.core.db.prepare('SELECT max(id) AS id FROM timeline_imports').get() as { id: number }).id;
    const ip = (
      s.core.db
        .prepare("SELECT source_ip AS v FROM timeline_events WHERE import_id = ? AND source_ip GLOB '[0-9]*' LIMIT 1")
        .get(lastImport) as { v: string }
    ).v;
    const before = op.searchIndicator(s.detection, { value: ip }).cases[0]!.events;
    const inImport = (
      s.core.db.prepare('SELECT count(*) AS n FROM timeline_events WHERE import_id = ? AND source_ip = ?').get(lastImport, ip) as {
        n: number;
      }
    ).n;
    s.core.db.transaction(() => {
      s.core.db.prepare('DELETE FROM timeline_raw WHERE id IN (SELECT id FROM timeline_events WHERE import_id = ?)').run(lastImport);
      s.core.db.prepare('DELETE FROM timeline_events WHERE import_id = ?').run(lastImport);
      s.core.db.prepare("UPDATE timeline_imports SET state = 'cancelled', imported = 0 WHERE id = ?").run(lastImport);
    })();
    expect(op.searchIndicator(s.detection, { value: ip }).cases[0]?.events ?? 0).toBe(before - inImport);
  });

  it('classifies values', () => {
    expect(classify('10.0.0.1')).toBe('ip');
    expect(classify('2001:db8::1')).toBe('ip');
    expect(classify('AKIAIOSFODNN7EXAMPLE')).toBe('access-key-id');
    expect(classify('arn:aws:iam::111122223333:user/x')).toBe('arn');
    expect(classify('111122223333')).toBe('account-id');
    expect(classify('d41d8cd98f00b204e9800998ecf8427e')).toBe('hash');
    expect(classify('evil.example.com')).toBe('domain');
    expect(classify('AWS Internal')).toBeNull();
  });
});
