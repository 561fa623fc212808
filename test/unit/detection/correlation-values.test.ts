// Correlations over values kept at import (issue 17): the parse thread takes, from the record it has just
// parsed, the few field values the correlation rules read, so the correlations after an import need not
// read and parse each hit's record again from the vault. These tests hold the two ways to the same answer.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { correlate, type CorrelationEvent } from '../../../main/detection/engine/correlate';
import type { RuleSet } from '../../../main/detection/engine/rule-set';
import { DetectionService } from '../../../main/detection/detection-service';
import type { KnownValues } from '../../../main/detection/store/correlation-store';
import type { ImportService } from '../../../main/timeline/import-service';
import { wireImportDetection } from '../../../main/detection/import-wiring';
import { importServiceOf, makeServices, tempDir, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { ct, ruleSet } from './helpers';

const base = (name: string, eventName: string) =>
  `title: ${name}\nid: ${name}\nname: ${name}\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName: ${eventName}\n    condition: selection\n`;
const corr = (name: string, body: string) => `title: ${name}\nid: ${name}\nname: ${name}\nlevel: high\ncorrelation:\n${body}\n`;

/** Correlations that read nested, aliased, list-valued, numeric and absent fields. */
const RULES = [
  base('denied', 'DeleteTrail'),
  base('listing', 'ListUsers'),
  base('login', 'ConsoleLogin'),
  corr(
    'by-issuer',
    '    type: value_count\n    rules: listing\n    group-by:\n        - userIdentity.sessionContext.sessionIssuer.arn\n    timespan: 10m\n    condition:\n        field: requestParameters.tags\n        gte: 2',
  ),
  corr(
    'by-ip-and-port',
    '    type: event_count\n    rules:\n        - denied\n        - listing\n    group-by:\n        - sourceIPAddress\n        - who\n    aliases:\n        who:\n            denied: userIdentity.arn\n            listing: userIdentity.userName\n    timespan: 5m\n    condition:\n        gte: 2',
  ),
  corr(
    'login-then-list',
    '    type: temporal_ordered\n    rules:\n        - login\n        - by-issuer\n    group-by:\n        - userIdentity.sessionContext.sessionIssuer.arn\n    timespan: 30m',
  ),
];

/** Deterministic, varied records: some fields absent, null, numeric, list-valued or held under a literal dotted key. */
function records(n: number): Record<string, unknown>[] {
  const names = ['DeleteTrail', 'ListUsers', 'ConsoleLogin', 'GetObject'];
  return Array.from({ length: n }, (_, i) => {
    const issuer = i % 5 === 0 ? undefined : { arn: i % 7 === 0 ? null : `arn:aws:iam::1:role/r${i % 3}` };
    const r = ct({
      eventName: names[i % names.length],
      sourceIPAddress: i % 11 === 0 ? 1234 : `198.51.100.${i % 4}`,
      userIdentity: {
        arn: `arn:aws:iam::1:user/u${i % 2}`,
        userName: i % 6 === 0 ? '' : `u${i % 2}`,
        sessionContext: { sessionIssuer: issuer },
      },
      requestParameters: i % 9 === 0 ? null : { tags: i % 4 === 1 ? [`t${i % 5}`, `x${i % 3}`] : `t${i % 5}` },
    });
    if (i % 13 === 0) r['userIdentity.userName'] = `dotted${i % 2}`;
    return r;
  });
}

const text = (hits: ReturnType<typeof correlate>) => hits.map((h) => JSON.stringify(h));

/** The correlations over `recs`, each hit's event given by `make` (record, kept values, or a mix). */
function run(set: RuleSet, recs: Record<string, unknown>[], make: (i: number, rule: number, rec: unknown) => CorrelationEvent) {
  const byRule = new Map<string, CorrelationEvent[]>();
  recs.forEach((rec, i) => {
    for (const rule of set.matchRecord(rec)) {
      const id = set.rules[rule]!.meta.id;
      byRule.set(id, [...(byRule.get(id) ?? []), make(i, rule, rec)]);
    }
  });
  const metas = new Map(set.metas().map((m) => [m.id, m]));
  return text(correlate(set.correlations, metas, (id) => byRule.get(id) ?? []));
}

describe('correlations over values kept at import', () => {
  it('give exactly what reading every record gives, kept values or not, also when a field must still be read from the record', () => {
    const set = ruleSet(RULES);
    expect(set.errors).toEqual([]);
    expect(set.correlationFields[set.rules.findIndex((r) => r.meta.id === 'listing')]).toEqual([
      'userIdentity.sessionContext.sessionIssuer.arn',
      'requestParameters.tags',
      'sourceIPAddress',
      'userIdentity.userName',
    ]);
    const recs = records(240);
    const ts = (i: number) => Math.floor(i / 3) * 60_000;
    const fromRecords = run(set, recs, (i, _rule, record) => ({ eventId: i + 1, ts: ts(i), record }));
    // What the parse thread hands over, through a structured clone as between threads.
    const kept = (i: number, rule: number, rec: unknown): CorrelationEvent => ({
      eventId: i + 1,
      ts: ts(i),
      fields: set.correlationFields[rule]!,
      values: structuredClone(set.correlationValues(rec, [rule])[0]!),
    });
    const fromValues = run(set, recs, kept);
    // Mixed: a third of the events read back (an earlier import), some kept without their last field (it is read from the record).
    const mixed = run(set, recs, (i, rule, rec) => {
      if (i % 3 === 0) return { eventId: i + 1, ts: ts(i), record: rec };
      const k = kept(i, rule, rec);
      return i % 3 === 1 ? k : { ...k, fields: k.fields!.slice(0, -1), values: k.values!.slice(0, -1), record: rec };
    });
    expect(fromRecords.length).toBeGreaterThan(10);
    expect(new Set(fromRecords.map((h) => (JSON.parse(h) as { ruleId: string }).ruleId))).toEqual(
      new Set(['by-issuer', 'by-ip-and-port', 'login-then-list']),
    );
    expect(fromValues).toEqual(fromRecords);
    expect(mixed).toEqual(fromRecords);
    // The fallback is real: without the record, the field not kept has no value and the answer changes.
    const noRecord = run(set, recs, (i, rule, rec) => {
      const k = kept(i, rule, rec);
      return { ...k, fields: k.fields!.slice(0, -1), values: k.values!.slice(0, -1) };
    });
    expect(noRecord).not.toEqual(fromRecords);
  });
});

describe('import-time correlations', () => {
  let s: TestServices;
  let work: string;
  beforeEach(() => {
    s = makeServices();
    ensureTestIdentity(s);
    work = tempDir('lariat-corr-values-');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    s.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** An import pipeline whose files go through the parse thread (workerBytes 0) or stream through the main thread (Infinity). */
  function imports(workerBytes: number): ImportService {
    const service = importServiceOf(s, workerBytes);
    wireImportDetection(service, s.detection.service);
    return service;
  }

  /** The current scan's correlations of a case, with their linked events, in stored order. */
  const stored = (caseId: number) =>
    s.core.db
      .prepare(
        `SELECT r.rule_id, c.group_key, c.first_ts, c.last_ts, c.events,
           (SELECT group_concat(event_id) FROM (SELECT event_id FROM detection_correlation_events WHERE correlation_id = c.id ORDER BY event_id)) AS ids
         FROM detection_correlations c JOIN detection_rules r ON r.id = c.rule JOIN detection_scans sc ON sc.id = c.scan_id
         WHERE sc.case_id = ? AND sc.state = 'current' ORDER BY c.id`,
      )
      .all(caseId);

  it('an import correlates from the values its parse thread kept, other hits from the vault, as a rescan does from the vault', async () => {
    const rules = path.join(work, 'rules');
    fs.mkdirSync(rules);
    RULES.forEach((t, i) => fs.writeFileSync(path.join(rules, `r${i}.yml`), t));
    s.detection.service.setFolders([rules]);
    const caseNumber = s.core.cases.create({ title: 'Correlations', severity: 'high' }).number;
    const caseId = s.core.cases.require(caseNumber).id;
    const recs = records(400).map((r, i) => ({
      ...r,
      eventID: `ev-${i}`,
      eventTime: new Date(Date.UTC(2026, 10, 20, 10) + Math.floor(i / 3) * 60_000).toISOString(),
    }));
    const file = (name: string, part: Record<string, unknown>[]) => {
      const f = path.join(work, name);
      fs.writeFileSync(f, JSON.stringify({ Records: part }));
      return f;
    };
    const finish = vi.spyOn(DetectionService.prototype, 'finishImport');
    const keptOf = (call: number, ruleId: string) => (finish.mock.calls[call]![4] as KnownValues).get(ruleId)?.byEvent.size ?? 0;
    const hitsOf = (ruleId: string) =>
      (
        s.core.db
          .prepare('SELECT count(*) AS n FROM detection_hits h JOIN detection_rules r ON r.id = h.rule WHERE r.rule_id = ?')
          .get(ruleId) as { n: number }
      ).n;

    await imports(0).importPaths(caseNumber, [file('first.json', recs.slice(0, 200))]);
    const listingFirst = hitsOf('listing');
    expect(listingFirst).toBeGreaterThan(20);
    // Every hit of the import came with its values from the parse thread: no record was read back for them.
    expect(keptOf(0, 'listing')).toBe(listingFirst);
    expect(keptOf(0, 'denied')).toBe(hitsOf('denied'));

    await imports(0).importPaths(caseNumber, [file('second.json', recs.slice(200, 300))]);
    // The second import kept only its own hits' values: the first import's hits are read from the vault.
    expect(keptOf(1, 'listing')).toBe(hitsOf('listing') - listingFirst);
    // A rescan reads every record back from the vault: the same correlations, in the same order.
    const afterImports = stored(caseId);
    expect(afterImports.length).toBeGreaterThan(5);
    await s.detection.service.rescan(caseNumber);
    expect(stored(caseId)).toEqual(afterImports);

    // Streamed through the main thread, hits come without values: every record is read from the vault.
    await imports(Infinity).importPaths(caseNumber, [file('third.json', recs.slice(300))]);
    expect(keptOf(2, 'listing')).toBe(0);
    const afterStreamed = stored(caseId);
    expect(afterStreamed.length).toBeGreaterThan(afterImports.length);
    await s.detection.service.rescan(caseNumber);
    expect(stored(caseId)).toEqual(afterStreamed);
  });
});
