import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import type { ImportReport } from '../../../common/contract/timeline';
import { SHARED } from './fake-evidence';

/** Every JSON file of the shared sample set, walked independently of the importer. */
function sampleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sampleFiles(full) : e.name.endsWith('.json') ? [full] : [];
  });
}

type Json = Record<string, unknown>;

/** Expected records and flags of one file, computed straight from JSON.parse of its text. */
function expected(file: string): { records: number; flagged: number } {
  const text = fs.readFileSync(file, 'utf8');
  let docs: unknown[];
  try {
    docs = [JSON.parse(text)];
  } catch {
    docs = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as unknown);
  }
  const records: Json[] = docs.flatMap((d) => {
    const o = d as Json;
    if (Array.isArray(o.Records)) return o.Records as Json[];
    if (o['detail-type'] && Array.isArray((o.detail as Json).findings)) return (o.detail as Json).findings as Json[];
    if (o['detail-type']) return [o.detail as Json];
    return [o];
  });
  const badTime = (r: Json) => typeof r.eventTime !== 'string' || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(r.eventTime);
  const isTrail = (r: Json) => 'eventName' in r;
  const flagged = records.filter((r) => isTrail(r) && (badTime(r) || r.userIdentity == null)).length;
  return { records: records.length, flagged };
}

describe('importing every file of the shared sample data', () => {
  let s: TestServices;
  let report: ImportReport;
  const files = sampleFiles(SHARED);
  let caseNumber: string;

  beforeAll(async () => {
    s = makeServices();
    ensureTestIdentity(s);
    caseNumber = s.core.cases.create({ title: 'samples', severity: 'low' }).number;
    report = await s.timeline.imports.importPaths(caseNumber, [SHARED]);
  }, 120_000);
  afterAll(() => s.cleanup());

  test('imports exactly the JSON sample files, each as evidence', () => {
    expect(report.files.map((f) => f.file).sort()).toEqual(files.sort());
    expect(report.files.every((f) => typeof f.evidenceId === 'number' && !f.duplicate)).toBe(true);
  });

  test.each(sampleFiles(SHARED).map((f) => [path.relative(SHARED, f), f]))('%s: record counts', (_name, file) => {
    const r = report.files.find((x) => x.file === file)!;
    const want = expected(file);
    expect(r.errors).toEqual([]);
    expect({ imported: r.imported, flagged: r.flagged, rejected: r.rejected }).toEqual({
      imported: want.records,
      flagged: want.flagged,
      rejected: 0,
    });
  });

  test('findings are recognised by source', () => {
    const gd = files.filter((f) => f.includes('/guardduty/')).length;
    const shFindings = files.filter((f) => f.includes('/securityhub/')).reduce((n, f) => n + expected(f).records, 0);
    const list = s.timeline.findings.list(caseNumber);
    expect(list.filter((f) => f.source === 'guardduty')).toHaveLength(gd);
    expect(list.filter((f) => f.source === 'securityhub').length).toBeGreaterThan(0);
    expect(list.filter((f) => f.source === 'securityhub').length).toBeLessThanOrEqual(shFindings);
    expect(new Set(list.filter((f) => f.source === 'guardduty').map((f) => f.type)).size).toBe(gd);
  });

  test('the timeline holds every imported record', () => {
    const total = files.reduce((n, f) => n + expected(f).records, 0);
    expect(s.timeline.events.count({ caseNumber }).count).toBe(total);
  });

  test('importing the same files again adds nothing', async () => {
    const before = s.timeline.events.count({ caseNumber }).count;
    const again = await s.timeline.imports.importPaths(caseNumber, [path.join(SHARED, 'cloudtrail')]);
    expect(again.files.every((f) => f.duplicate)).toBe(true);
    expect(again.imported).toBe(0);
    expect(again.files[0]!.errors[0]).toMatch(/already imported/);
    expect(s.timeline.events.count({ caseNumber }).count).toBe(before);
  });
});
