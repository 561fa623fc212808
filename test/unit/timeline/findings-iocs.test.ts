import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTimeline, SHARED } from './fake-evidence';
import type { TimelineFeature } from '../../../main/timeline';
import type { TestServices } from '../../helpers/services';

let s: TestServices;
let t: TimelineFeature;
let caseNumber: string;

beforeAll(async () => {
  ({ s, t } = makeTimeline());
  caseNumber = s.core.cases.create({ title: 'findings', severity: 'low', tlp: 'green' }).number;
  await t.imports.importPaths(caseNumber, [
    path.join(SHARED, 'guardduty'),
    path.join(SHARED, 'securityhub', 'aws-solutions', 'afsbp-ec2.1.json'),
  ]);
});
afterAll(() => s.cleanup());

describe('findings', () => {
  test('listed most severe first and filterable by severity and type', () => {
    const list = t.findings.list(caseNumber);
    expect(list.map((f) => f.severityScore)).toEqual([...list.map((f) => f.severityScore)].sort((a, b) => b - a));
    const high = t.findings.list(caseNumber, { severity: 'high' });
    expect(high.length).toBeGreaterThan(0);
    expect(high.every((f) => f.severityLabel === 'high')).toBe(true);
    expect(t.findings.list(caseNumber, { type: 'Recon:EC2/Portscan' }).map((f) => f.type)).toEqual(['Recon:EC2/Portscan']);
  });

  test('resources become assets and indicators IOCs', () => {
    const f = t.findings.list(caseNumber, { type: 'Trojan:EC2/DGADomainRequest.B' })[0]!;
    const detail = t.findings.get(caseNumber, f.id);
    const domains = detail.indicators.filter((i) => i.type === 'domain');
    expect(domains.length).toBe(1);
    const r = t.findings.addAssets(caseNumber, f.id);
    expect(r.iocs).toBe(detail.indicators.length);
    expect(s.core.assets.find(caseNumber, 'ec2-instance', 'i-99999999')).not.toBeNull();
    // Kept in one spelling: a domain in lower case.
    const ioc = t.iocs.list(caseNumber).find((i) => i.value === domains[0]!.value.toLowerCase())!;
    expect([ioc.type, ioc.tlp]).toEqual(['domain', 'green']);
  });

  test('a case can be opened from a finding, and a finding attached to another case', () => {
    const f = t.findings.list(caseNumber, { type: 'CredentialAccess:IAMUser/AnomalousBehavior' })[0]!;
    const created = t.findings.caseFromFinding(caseNumber, f.id);
    expect(created.title).toBe(f.title);
    expect(t.findings.list(created.number).map((x) => x.findingId)).toEqual([f.findingId]);
    expect(t.events.count({ caseNumber: created.number }).count).toBe(1);
    expect(s.core.assets.list(created.number).map((a) => a.kind)).toContain('access-key');
    expect(t.findings.get(caseNumber, f.id).linkedCases).toEqual([created.number]);
    const other = s.core.cases.create({ title: 'other', severity: 'low' }).number;
    t.findings.attach(caseNumber, f.id, other);
    t.findings.attach(caseNumber, f.id, other);
    expect(t.findings.get(caseNumber, f.id).linkedCases).toEqual([created.number, other]);
    expect(t.events.count({ caseNumber: other }).count).toBe(1);
  });
});

describe('IOCs', () => {
  test('add, merge, update, delete, with activity', () => {
    const a = t.iocs.add({ caseNumber, type: 'ip', value: '203.0.113.50', tlp: 'red', notes: 'C2' });
    const again = t.iocs.add({ caseNumber, type: 'ip', value: '203.0.113.50' });
    expect(again.id).toBe(a.id);
    expect(again.tlp).toBe('red');
    expect(t.iocs.update({ caseNumber, iocId: a.id, tlp: 'amber' }).tlp).toBe('amber');
    t.iocs.remove(caseNumber, a.id);
    expect(t.iocs.list(caseNumber).some((i) => i.id === a.id)).toBe(false);
    expect(s.core.activity.list(caseNumber).map((x) => x.action)).toEqual(
      expect.arrayContaining(['ioc.added', 'ioc.updated', 'ioc.deleted']),
    );
  });
});
