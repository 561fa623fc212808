import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { importServiceOf, makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { identityHash } from '../../../main/timeline/dedup';
import { cloudTrailIdentity } from '../../../main/timeline/importers/cloudtrail';
import { DuplicateFinder } from '../../../main/timeline/duplicates';
import { RawReader } from '../../../main/timeline/raw-reader';

let s: TestServices;
let caseNumber: string;
let dir: string;

const event = (i: number, account = '111122223333', extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  eventTime: new Date(Date.UTC(2024, 2, 4, 9, 0, i)).toISOString().replace('.000', ''),
  eventSource: 'ec2.amazonaws.com',
  eventName: i % 2 ? 'RunInstances' : 'DescribeInstances',
  awsRegion: 'eu-west-1',
  sourceIPAddress: `203.0.113.${i % 250}`,
  eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  recipientAccountId: account,
  userIdentity: { type: 'IAMUser', userName: 'bob', arn: `arn:aws:iam::${account}:user/bob`, accountId: account },
  ...extra,
});
const write = (name: string, data: string | Buffer) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
  return p;
};
const importAll = (...files: string[]) => s.timeline.imports.importPaths(caseNumber, files);
/** Both ways a file is imported: streamed on the main thread, or parsed whole on the parse thread. */
const IMPORT_PATHS = [
  ['on the main thread', Infinity],
  ['through the parse thread', 0],
] as const;
const count = () => s.timeline.events.count({ caseNumber }).count;

beforeEach(() => {
  s = makeServices();
  ensureTestIdentity(s);
  caseNumber = s.core.cases.create({ title: 'dedup', severity: 'low' }).number;
  dir = path.join(s.dataDir, 'in');
});
afterEach(() => s.cleanup());

test('a re-compressed copy of the same events imports nothing new, says how many and from which file, and stays evidence', async () => {
  const records = Array.from({ length: 50 }, (_, i) => event(i));
  const first = write('trail/a.json', JSON.stringify({ Records: records }));
  const copy = write('copy/a.json.gz', zlib.gzipSync(JSON.stringify({ Records: records }), { level: 9 }));
  await importAll(first);
  const r = (await importAll(copy)).files[0]!;
  expect([r.imported, r.duplicates, r.rejected, r.duplicate]).toEqual([0, 50, 0, false]);
  expect(r.duplicatesOf).toEqual([{ evidenceId: 1, file: 'a.json', count: 50 }]);
  expect(count()).toBe(50);
  // The skipped copy is evidence with its own custody entries, and its note says what happened.
  const items = s.custody.vault.list(caseNumber);
  expect(items.map((e) => e.description)).toEqual([
    'Log file given to the timeline import: a.json',
    'Log file given to the timeline import: a.json.gz',
  ]);
  const notes = s.custody.ledger.list(caseNumber).filter((e) => e.action === 'note');
  expect(notes.map((n) => n.purpose)).toEqual([
    'timeline import (cloudtrail): 50 records imported',
    'timeline import (cloudtrail): 0 records imported, 50 duplicates skipped',
  ]);
  expect((await s.custody.verify.verify(caseNumber)).intact).toBe(true);
});

test('an organisation trail and an account trail overlap: each event once; the same eventID in another account is another event', async () => {
  const org = write('org.json', JSON.stringify({ Records: [event(1), event(2), event(3), event(4, '444455556666')] }));
  const acct = write('acct.ndjson', [event(2), event(3), event(5), event(4)].map((e) => JSON.stringify(e)).join('\n'));
  const r = await importAll(org, acct);
  expect(r.files.map((f) => [f.imported, f.duplicates])).toEqual([
    [4, 0],
    [2, 2],
  ]);
  expect([r.imported, r.duplicates]).toEqual([6, 2]);
  // Within one file too: a record repeated in the same file is skipped.
  const twice = write('twice.json', JSON.stringify({ Records: [event(9), event(9)] }));
  expect((await importAll(twice)).files[0]).toMatchObject({ imported: 1, duplicates: 1 });
});

test('findings are one per id and update; a later update of the same finding is a new event', async () => {
  const asff = (updated: string) => ({
    SchemaVersion: '2018-10-08',
    Id: 'arn:aws:securityhub:eu-west-1:111122223333:finding/1',
    ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
    GeneratorId: 'g',
    AwsAccountId: '111122223333',
    Types: ['Effects/Data Exposure'],
    CreatedAt: '2024-03-01T00:00:00Z',
    UpdatedAt: updated,
    Severity: { Label: 'HIGH' },
    Title: 't',
    Resources: [],
  });
  const a = write('f1.json', JSON.stringify({ Findings: [asff('2024-03-02T00:00:00Z')] }));
  const b = write('f2.json', JSON.stringify({ Findings: [asff('2024-03-02T00:00:00Z'), asff('2024-03-03T00:00:00Z')] }));
  const r = await importAll(a, b);
  expect(r.files.map((f) => [f.imported, f.duplicates])).toEqual([
    [1, 0],
    [1, 1],
  ]);
  expect(s.timeline.findings.list(caseNumber)[0]!.lastSeen).toBe('2024-03-03T00:00:00.000Z');
});

test('flow log records are their own identity: the same record twice is one event', async () => {
  const line = '2 111122223333 eni-1 10.0.0.5 203.0.113.9 443 49152 6 10 840 1705312800 1705312860 ACCEPT OK';
  const r = await importAll(write('f1.log', `${line}\n`), write('f2.log', `${line}\n${line.replace('840', '841')}\n`));
  expect(r.files.map((f) => [f.imported, f.duplicates])).toEqual([
    [1, 0],
    [1, 1],
  ]);
});

test.each(IMPORT_PATHS)(
  'a record that reuses a held event’s eventID, account, time and name but says something else is kept and flagged, never merged (%s)',
  async (_, workerBytes) => {
    const importAll = (...files: string[]) => importServiceOf(s, workerBytes).importPaths(caseNumber, files);
    // Panther's scenario files reuse eventID "1" at the same times for the same API calls from another address: two
    // different events. A forged or altered copy of a real event looks the same way. Merging would drop what it says.
    const base = event(1);
    const e = {
      ...base,
      userAgent: 'aws-cli/2.13.0',
      errorCode: 'AccessDenied',
      userIdentity: { ...base.userIdentity, accessKeyId: 'AKIAHELDKEY00000000' },
    };
    const first = await importAll(write('real.json', JSON.stringify({ Records: [e, event(2)] })));
    expect([first.imported, first.duplicates]).toEqual([2, 0]);
    const variants = [
      { ...e, sourceIPAddress: '198.51.100.7' },
      { ...e, userAgent: 'Boto3/1.28' },
      { ...e, errorCode: 'UnauthorizedOperation' },
      { ...e, eventSource: 's3.amazonaws.com' },
      { ...e, userIdentity: { ...e.userIdentity, accessKeyId: 'AKIAOTHERKEY0000000' } },
    ];
    const r = await importAll(write('other.json', JSON.stringify({ Records: [...variants, e, { ...e, requestID: 'not-compared' }] })));
    // The five that differ are imported; the exact copy (and one that differs in nothing compared) is a duplicate.
    expect([r.imported, r.duplicates, r.flagged, r.reused, r.files[0]!.reused]).toEqual([5, 2, 5, 5, 5]);
    expect(r.files[0]!.errors.join('\n')).toContain(
      '5 records reuse the eventID of a different event the case holds (same account, time and event name, but another source IP, user agent, error code, service, access key or request and response content): kept, flagged event-id-reused',
    );
    const page = s.timeline.events.query({ caseNumber, limit: 50 });
    const reused = page.events.filter((x) => x.issues.includes('event-id-reused'));
    expect(reused.map((x) => x.sourceIp).sort()).toEqual(['198.51.100.7', '203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.1']);
    expect(count()).toBe(7);
    // They are one filter away: `--where issue=event-id-reused` (any case; a whole issue code, not a part of one).
    const byIssue = (value: string) => s.timeline.events.count({ caseNumber, where: [{ column: 'issue', value }] }).count;
    expect([byIssue('Event-Id-Reused'), byIssue('event-id'), byIssue('')]).toEqual([5, 0, 2]);
    // A copy of a held event that lacks a compared field (another export format that does not carry it) is still a copy.
    const { userAgent: _ua, ...noAgent } = e;
    const again = await importAll(write('lookup.json', JSON.stringify({ Records: [noAgent] })));
    expect([again.imported, again.duplicates]).toEqual([0, 1]);
  },
);

test.each(IMPORT_PATHS)(
  'an altered copy of a held event (same identity and columns, other request or response content) is kept and flagged; faithful copies in other exports still merge (%s)',
  async (_, workerBytes) => {
    const importAll = (...files: string[]) => importServiceOf(s, workerBytes).importPaths(caseNumber, files);
    // An attacker who can write one trail's bucket rewrites what a real call asked for. Merging the altered copy into the
    // genuine one (or the genuine into the altered) would hide the discrepancy that tells the investigator something is wrong.
    const requestParameters = { instancesSet: { items: [{ instanceId: 'i-0abc' }] }, bucketName: 'evidence' };
    const e = event(3, '111122223333', {
      requestParameters,
      responseElements: { instancesSet: { items: [{ instanceId: 'i-0abc', currentState: { name: 'stopping' } }] } },
      readOnly: false,
    });
    const first = await importAll(write('org/a.json', JSON.stringify({ Records: [e] })));
    expect([first.imported, first.duplicates]).toEqual([1, 0]);
    const altered = [
      { ...e, requestParameters: { ...requestParameters, bucketName: 'payroll' } },
      { ...e, responseElements: { instancesSet: { items: [{ instanceId: 'i-0abc', currentState: { name: 'running' } }] } } },
      {
        ...e,
        requestParameters: { ...requestParameters, instancesSet: { items: [{ instanceId: 'i-0abc' }, { instanceId: 'i-0def' }] } },
      },
    ];
    const r = await importAll(write('account/a.json', JSON.stringify({ Records: altered })));
    expect([r.imported, r.duplicates, r.flagged, r.reused]).toEqual([3, 0, 3, 3]);
    // The import log keeps the count with the file: read back later, it says the same.
    expect(s.timeline.imports.list(caseNumber).find((f) => f.file === r.files[0]!.file)?.reused).toBe(3);
    expect(r.files[0]!.errors.join('\n')).toContain('3 records reuse the eventID of a different event the case holds');
    expect(s.timeline.events.count({ caseNumber, where: [{ column: 'issue', value: 'event-id-reused' }] }).count).toBe(3);

    // Faithful copies: pretty-printed with keys in another order and an escape, a lookup-events entry, a CloudTrail Lake row
    // (its own time format, numbers and booleans as text, only some columns), a copy with a field the held one lacks.
    const reordered = Object.fromEntries(
      Object.entries({ ...e, userAgent: undefined })
        .reverse()
        .filter(([, v]) => v !== undefined),
    );
    const pretty = JSON.stringify({ Records: [reordered] }, null, 2).replace('"evidence"', '"\\u0065vidence"');
    const lookup = JSON.stringify({ Events: [{ EventId: e.eventID, EventName: e.eventName, CloudTrailEvent: JSON.stringify(e) }] });
    const lake = JSON.stringify({
      QueryResultRows: [
        [
          { eventID: e.eventID },
          { eventTime: '2024-03-04 09:00:03.000' },
          { eventName: e.eventName },
          { eventSource: e.eventSource },
          { recipientAccountId: e.recipientAccountId },
          { sourceIPAddress: e.sourceIPAddress },
          { readOnly: 'false' },
          { 'userIdentity.arn': e.userIdentity.arn },
        ],
      ],
    });
    const extra = JSON.stringify({ Records: [{ ...e, requestID: 'R-1', additionalEventData: { x: 1 } }] });
    const copies = await importAll(write('p/a.json', pretty), write('l/a.json', lookup), write('k/a.json', lake), write('x/a.json', extra));
    expect(copies.files.map((f) => [f.imported, f.duplicates, f.rejected])).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(count()).toBe(4);
  },
);

test('a different event that shares a hash with one the case holds is kept: hits are confirmed exactly', async () => {
  const e = event(1);
  const h = identityHash(cloudTrailIdentity(e.eventID, e.recipientAccountId, Date.parse(e.eventTime), e.eventName)!);
  // Plant a stored event with the same hash but another eventID (what a collision would look like).
  const caseId = s.core.cases.require(caseNumber).id;
  s.core.db
    .prepare(
      "INSERT INTO timeline_events (case_id, ts, source, action, account, event_uid, dedup) VALUES (?, ?, 'cloudtrail', 'RunInstances', '111122223333', 'other-id', ?)",
    )
    .run(caseId, Date.parse(e.eventTime), h);
  const r = await importAll(write('one.json', JSON.stringify({ Records: [e] })));
  expect([r.imported, r.duplicates]).toEqual([1, 0]);
});

test('without the de-duplication index (a bulk load builds it after), the finder answers from the ids it holds: collisions and other writers included', () => {
  const caseId = s.core.cases.require(caseNumber).id;
  const db = s.core.db;
  db.exec('DROP INDEX timeline_events_dedup');
  const insert = db.prepare(
    "INSERT INTO timeline_events (case_id, ts, source, action, account, event_uid, dedup, file) VALUES (?, ?, 'cloudtrail', ?, '111122223333', ?, ?, ?)",
  );
  const rec = (uid: string, hash: number) => ({
    hash,
    identity: `ct|${uid}`,
    source: 'cloudtrail',
    eventId: uid,
    account: '111122223333',
    ts: 5,
    action: 'RunInstances',
    sourceIp: null,
    userAgent: null,
    errorCode: null,
    eventSource: null,
    accessKeyId: null,
  });
  const finder = new DuplicateFinder(db, caseId, new RawReader(s.dataDir), { indexed: false });
  // Two different events with one hash (a collision), written by this import.
  finder.add(7, Number(insert.run(caseId, 5, 'RunInstances', 'a', 7, 'a.json').lastInsertRowid));
  finder.add(7, Number(insert.run(caseId, 5, 'RunInstances', 'b', 7, 'b.json').lastInsertRowid));
  expect(finder.find(rec('a', 7))).toEqual({ evidenceId: null, file: 'a.json' });
  expect(finder.find(rec('b', 7))).toEqual({ evidenceId: null, file: 'b.json' });
  expect(finder.find(rec('c', 7))).toBeNull();
  expect(finder.mayHold(8)).toBe(false);
  // Another process's import of the same case, picked up before the next write.
  insert.run(caseId, 5, 'RunInstances', 'd', 8, 'd.json');
  expect(finder.find(rec('d', 8))).toBeNull();
  finder.refresh();
  expect(finder.find(rec('d', 8))).toEqual({ evidenceId: null, file: 'd.json' });
  // Many hashes: the table grows and still finds every one.
  for (let i = 0; i < 3000; i++)
    finder.add(1000 + i * 1024, Number(insert.run(caseId, 5, 'RunInstances', `m${i}`, 1000 + i * 1024, `m${i}`).lastInsertRowid));
  expect(finder.find(rec('m2999', 1000 + 2999 * 1024))).toEqual({ evidenceId: null, file: 'm2999' });
  expect(finder.find(rec('a', 7))).toEqual({ evidenceId: null, file: 'a.json' });
  // An id past 32 bits is looked up by its hash instead.
  const big = 2 ** 32 + 5;
  db.prepare(
    "INSERT INTO timeline_events (id, case_id, ts, source, action, account, event_uid, dedup, file) VALUES (?, ?, 5, 'cloudtrail', 'RunInstances', '111122223333', 'z', 9, 'z.json')",
  ).run(big, caseId);
  finder.add(9, big);
  expect(finder.find(rec('z', 9))).toEqual({ evidenceId: null, file: 'z.json' });
});

test('a case set to keep duplicates imports every copy', async () => {
  s.timeline.imports.setSettings(caseNumber, true);
  const records = [event(1), event(2)];
  const r = await importAll(
    write('a.json', JSON.stringify({ Records: records })),
    write('b.ndjson', records.map((x) => JSON.stringify(x)).join('\n')),
  );
  expect([r.imported, r.duplicates]).toEqual([4, 0]);
  expect(s.timeline.imports.settings(caseNumber).keepDuplicates).toBe(true);
  expect(s.core.activity.list(caseNumber).map((a) => a.action)).toContain('timeline.settings');
});
