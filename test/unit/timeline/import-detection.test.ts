import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { importServiceOf, makeServices, tempDir, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import type { ImportService } from '../../../main/timeline/import-service';
import { wireImportDetection } from '../../../main/detection/import-wiring';
import { collectRuleSources } from '../../../main/detection/rules/sources';
import { RuleSet } from '../../../main/detection/engine/rule-set';
import { readRaw } from '../../../main/timeline/raw-store';
import { RawReader } from '../../../main/timeline/raw-reader';
import type { ImportMatcher } from '../../../main/timeline/api';
import { SHARED_ROOT } from '../detection/helpers';

// Import-time detection (issue 17): records are matched where they are parsed (the parse thread, or the
// streaming path on the main thread) and their hits written in the transaction of their events.

const SAMPLES = path.join(SHARED_ROOT, 'data/cloudtrail');
let s: TestServices;
let work: string;
beforeEach(() => {
  s = makeServices();
  ensureTestIdentity(s);
  work = tempDir('lariat-import-detect-');
});
afterEach(() => {
  s.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

const caseId = (n: string) => s.core.cases.require(n).id;

/** The case's stored hits as "eventId:ruleId", sorted. */
function storedHits(caseNumber: string): string[] {
  const rows = s.core.db
    .prepare(
      `SELECT h.event_id, r.rule_id FROM detection_hits h JOIN detection_rules r ON r.id = h.rule
       JOIN detection_scans sc ON sc.id = h.scan_id WHERE sc.case_id = ? AND sc.state = 'current'`,
    )
    .all(caseId(caseNumber)) as { event_id: number; rule_id: string }[];
  return rows.map((r) => `${r.event_id}:${r.rule_id}`).sort();
}

/** What every rule finds when run on its own over the records as stored (read back from the vault copies). */
function expectedHits(caseNumber: string): string[] {
  const set = new RuleSet(collectRuleSources(path.resolve('resources'), []).sources);
  const reader = new RawReader(s.core.paths.vaultDir);
  try {
    const ids = s.core.db
      .prepare("SELECT id FROM timeline_events WHERE case_id = ? AND source = 'cloudtrail' ORDER BY id")
      .all(caseId(caseNumber)) as { id: number }[];
    return ids
      .flatMap(({ id }) => {
        const raw = readRaw(s.core.db, reader, id)!.text;
        return set.matchRecord(JSON.parse(raw)).map((i) => `${id}:${set.rules[i]!.meta.id}`);
      })
      .sort();
  } finally {
    reader.close();
  }
}

/** Hits whose event is not stored: must never exist. */
const orphanHits = () =>
  (
    s.core.db
      .prepare('SELECT count(*) AS n FROM detection_hits h LEFT JOIN timeline_events e ON e.id = h.event_id WHERE e.id IS NULL')
      .get() as {
      n: number;
    }
  ).n;

function service(workerBytes: number, wrap?: (m: ImportMatcher) => ImportMatcher): ImportService {
  const imports = importServiceOf(s, workerBytes);
  wireImportDetection(imports, s.detection.service);
  if (wrap) {
    const factory = (imports as unknown as { detection: (n: string) => ImportMatcher }).detection;
    imports.useDetection((n) => wrap(factory(n)));
  }
  return imports;
}

test.each([
  ['the parse thread', 0],
  ['the streaming path', Infinity],
])(
  'records parsed on %s are matched at import: the stored hits are what the rules find over the stored records',
  async (_, workerBytes) => {
    const caseNumber = s.core.cases.create({ title: 'import-time', severity: 'low' }).number;
    await service(workerBytes).importPaths(caseNumber, [SAMPLES]);
    // No catch-up ran: the import itself matched (autoCatchUp is off once the pipeline is wired).
    expect(s.detection.service.autoCatchUp).toBe(false);
    const want = expectedHits(caseNumber);
    expect(want.length).toBeGreaterThan(100);
    expect(storedHits(caseNumber)).toEqual(want);
    // The scan covers the import: a catch-up finds nothing left to match.
    expect(s.detection.service.catchUp(caseNumber)).toBe(0);
    // The same events again (a re-compressed copy): skipped as duplicates, and they add no hits.
    const otrf = path.join(SAMPLES, 'otrf');
    const copy = path.join(work, 'copy.json.gz');
    const first = fs.readdirSync(otrf).find((n) => n.endsWith('.json'))!;
    fs.writeFileSync(copy, zlib.gzipSync(fs.readFileSync(path.join(otrf, first))));
    const again = await service(workerBytes).importPaths(caseNumber, [copy]);
    expect(again.duplicates).toBeGreaterThan(0);
    expect(again.imported).toBe(0);
    expect(storedHits(caseNumber)).toEqual(want);
  },
);

test('a rescan after a rule is switched off replaces the import-time hits with the rules as they are now', async () => {
  const caseNumber = s.core.cases.create({ title: 'rescan', severity: 'low' }).number;
  await service(0).importPaths(caseNumber, [SAMPLES]);
  const before = storedHits(caseNumber);
  const rule = s.detection.service.loadRules().set.rules.find((r) => r.meta.path.endsWith('aws_root_account_usage.yml'))!.meta.id;
  expect(before.some((h) => h.endsWith(`:${rule}`))).toBe(true);
  s.detection.service.setEnabled(rule, false);
  await s.detection.service.rescan(caseNumber);
  expect(storedHits(caseNumber)).toEqual(before.filter((h) => !h.endsWith(`:${rule}`)));
  // The next import runs without it too, on the parse thread as on the main thread.
  const more = path.join(work, 'more.json');
  fs.writeFileSync(more, JSON.stringify({ Records: [{ ...rootCall(), eventID: 'root-after-rescan' }] }));
  await service(0).importPaths(caseNumber, [more]);
  expect(storedHits(caseNumber).some((h) => h.endsWith(`:${rule}`))).toBe(false);
});

function rootCall(): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', principalId: '111122223333' },
    eventTime: '2026-11-20T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}

test.each([
  ['the parse thread', 0],
  ['the streaming path', Infinity],
])('storing hits fails part-way (%s): no event is left without its hits, and no hit without its event', async (_, workerBytes) => {
  const caseNumber = s.core.cases.create({ title: 'fault', severity: 'low' }).number;
  let armed = false;
  // The fault: the disk fills while hits are written, after their events were inserted in the same transaction.
  const faulty = service(workerBytes, (m) => ({
    ...m,
    record: (hits) => {
      if (armed && hits.length) throw new Error('SQLITE_FULL: database or disk is full');
      m.record(hits);
    },
  }));
  await faulty.importPaths(caseNumber, [path.join(SAMPLES, 'panther')]);
  const count = () =>
    (s.core.db.prepare('SELECT count(*) AS n FROM timeline_events WHERE case_id = ?').get(caseId(caseNumber)) as { n: number }).n;
  const before = count();
  armed = true;
  await expect(faulty.importPaths(caseNumber, [path.join(SAMPLES, 'otrf')])).rejects.toThrow(/disk is full/);
  // The file being written when it failed left nothing: no event without its hits, no hit without its event.
  expect(count()).toBe(before);
  expect(orphanHits()).toBe(0);
  const want = expectedHits(caseNumber);
  expect(want.length).toBeGreaterThan(0);
  expect(storedHits(caseNumber)).toEqual(want);
});
