import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { watchedJob } from '../../helpers/watchdog';
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

/** The records of one file, straight from JSON.parse of its text. */
function recordsOf(file: string): Json[] {
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
  return records;
}

/**
 * Identities as AWS documents them, computed here independently of the importer: a CloudTrail
 * event is its eventID in its recipient account; a finding, its id at one update.
 */
function identity(r: Json): string | null {
  if ('eventName' in r) {
    const ui = (r.userIdentity ?? {}) as Json;
    const t = typeof r.eventTime === 'string' ? Date.parse(r.eventTime) : NaN;
    return r.eventID == null
      ? null
      : `ct|${String(r.eventID)}|${String(r.recipientAccountId ?? ui.accountId ?? '')}|${t}|${String(r.eventName)}`;
  }
  const id = r.Id ?? r.id;
  const updated = r.UpdatedAt ?? r.updatedAt;
  return id == null ? null : `f|${'ProductArn' in r ? 'sh' : 'gd'}|${String(id)}|${String(updated ?? '')}`;
}

/**
 * What a faithful copy of a CloudTrail event keeps: source IP, user agent, error code (a failed console login is
 * one), service, access key. A record with a held identity that differs in one of them (both sides set), or in
 * its content (`contentConflict`), is another event: kept and flagged `event-id-reused`.
 */
function compared(r: Json): (string | null)[] {
  const ui = (r.userIdentity ?? {}) as Json;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const loginFailed = r.eventName === 'ConsoleLogin' && (r.responseElements as Json | null)?.ConsoleLogin === 'Failure';
  return [
    str(r.sourceIPAddress),
    str(r.userAgent),
    str(r.errorCode) ?? (loginFailed ? 'ConsoleLoginFailure' : null),
    str(r.eventSource),
    str(ui.accessKeyId),
  ];
}
const columnsConflict = (a: (string | null)[], b: (string | null)[]) => a.some((v, i) => v !== null && b[i] !== null && v !== b[i]);

/**
 * The content check, written here apart from the importer's: a field both records carry, at any depth, outside
 * the identity fields, whose values differ (nulls and fields one side lacks do not count; neither do values of
 * different kinds, which the samples do not have).
 */
function contentConflict(a: unknown, b: unknown, top = true): boolean {
  if (a == null || b == null) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length !== b.length || a.some((v, i) => contentConflict(v, b[i], false));
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const skip = top ? ['eventID', 'eventTime', 'eventName', 'recipientAccountId'] : [];
    return Object.entries(a as Json).some(
      ([k, v]) => !skip.includes(k) && Object.hasOwn(b as Json, k) && contentConflict(v, (b as Json)[k], false),
    );
  }
  if (typeof a === 'object' || typeof b === 'object') return false;
  return String(a) !== String(b);
}
const conflict = (a: Json, b: Json) => columnsConflict(compared(a), compared(b)) || contentConflict(a, b);

/** Expected records, flags and duplicates of one file, given the records already held (by identity, in import order). */
function expected(file: string, seen = new Map<string, Json[]>()): { records: number; flagged: number; duplicates: number } {
  const all = recordsOf(file);
  const reused = new Set<Json>();
  const records = all.filter((r) => {
    const id = identity(r);
    if (id === null) return true;
    const held = seen.get(id) ?? [];
    if (held.some((h) => !id.startsWith('ct|') || !conflict(h, r))) return false;
    if (held.length) reused.add(r);
    seen.set(id, [...held, r]);
    return true;
  });
  const badTime = (r: Json) => typeof r.eventTime !== 'string' || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(r.eventTime);
  const isTrail = (r: Json) => 'eventName' in r;
  const flagged = records.filter((r) => isTrail(r) && (badTime(r) || r.userIdentity == null || reused.has(r))).length;
  return { records: records.length, flagged, duplicates: all.length - records.length };
}

describe('importing every file of the shared sample data', () => {
  let s: TestServices;
  let report: ImportReport;
  const files = sampleFiles(SHARED);
  let caseNumber: string;
  const want = new Map<string, ReturnType<typeof expected>>();

  beforeAll(async () => {
    s = makeServices();
    ensureTestIdentity(s);
    caseNumber = s.core.cases.create({ title: 'samples', severity: 'low' }).number;
    const watch = watchedJob('the sample import', 60_000);
    try {
      report = await s.timeline.imports.importPaths(caseNumber, [SHARED], watch.job);
    } finally {
      watch.stop();
    }
    const seen = new Map<string, Json[]>();
    for (const f of report.files) want.set(f.file, expected(f.file, seen));
  }, 120_000);
  afterAll(() => s.cleanup());

  test('imports exactly the JSON sample files, each as evidence', () => {
    expect(report.files.map((f) => f.file).sort()).toEqual(files.sort());
    expect(report.files.every((f) => typeof f.evidenceId === 'number' && !f.duplicate)).toBe(true);
  });

  test.each(sampleFiles(SHARED).map((f) => [path.relative(SHARED, f), f]))('%s: record counts', (_name, file) => {
    const r = report.files.find((x) => x.file === file)!;
    const w = want.get(file)!;
    expect(r.errors.filter((e) => !/already held were skipped|the eventID of a different event the case holds/.test(e))).toEqual([]);
    expect({ imported: r.imported, flagged: r.flagged, rejected: r.rejected, duplicates: r.duplicates }).toEqual({
      imported: w.records,
      flagged: w.flagged,
      rejected: 0,
      duplicates: w.duplicates,
    });
  });

  test('findings are recognised by source', () => {
    const gd = files.filter((f) => f.includes('/guardduty/')).length;
    const shFindings = files.filter((f) => f.includes('/securityhub/')).reduce((n, f) => n + recordsOf(f).length, 0);
    const list = s.timeline.findings.list(caseNumber);
    expect(list.filter((f) => f.source === 'guardduty')).toHaveLength(gd);
    expect(list.filter((f) => f.source === 'securityhub').length).toBeGreaterThan(0);
    expect(list.filter((f) => f.source === 'securityhub').length).toBeLessThanOrEqual(shFindings);
    expect(new Set(list.filter((f) => f.source === 'guardduty').map((f) => f.type)).size).toBe(gd);
  });

  test('the timeline holds every imported record once; the copies were skipped and reported', () => {
    const total = [...want.values()].reduce((n, w) => n + w.records, 0);
    expect(s.timeline.events.count({ caseNumber }).count).toBe(total);
    expect(report.duplicates).toBe([...want.values()].reduce((n, w) => n + w.duplicates, 0));
    // Panther's rule test cases reuse made-up eventIDs: the true copies are reported with the file that held them
    // first; the 59 that reuse an id for another region, request or response are kept and flagged instead.
    expect(report.duplicates).toBeGreaterThan(30);
    const rules = report.files.find((f) => f.file.endsWith('cloudtrail_rule_test_events.json'))!;
    expect([rules.imported, rules.duplicates]).toEqual([399, 37]);
    const scenario = report.files.find((f) => f.file.endsWith('scenario_compromised-root-creds_victim_cloudtrail.json'))!;
    expect(scenario.duplicatesOf.reduce((n, d) => n + d.count, 0)).toBe(scenario.duplicates);
    // Panther's other scenario reuses the same ids, times and API calls from another address: different events, kept and flagged.
    const other = report.files.find((f) => f.file.endsWith('scenario_enrichment-example_attacker_cloudtrail.json'))!;
    expect([other.imported, other.flagged, other.duplicates]).toEqual([7, 7, 0]);
    expect(s.timeline.events.count({ caseNumber, where: [{ column: 'sourceIp', value: '200.58.83.179' }] }).count).toBe(7);
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
