import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { importServiceOf, importServiceWith, makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { fakeEvidence, SHARED } from './fake-evidence';

let s: TestServices;
let dir: string;
beforeEach(() => {
  s = makeServices();
  dir = path.join(s.dataDir, 'in');
  fs.mkdirSync(dir, { recursive: true });
});
afterEach(() => s.cleanup());

/** A real delivery file (394+ records of the shared samples with unique ids), on one line as CloudTrail writes it. */
function deliveryFile(): { text: string; ids: string[] } {
  const src = JSON.parse(fs.readFileSync(path.join(SHARED, 'cloudtrail/panther/cloudtrail_rule_test_events.json'), 'utf8')) as {
    Records: Record<string, unknown>[];
  };
  const Records = src.Records.map((r, i) => ({ ...r, eventID: `id-${i}` }));
  return { text: JSON.stringify({ Records }), ids: Records.map((r) => r.eventID) };
}

/** How many records end before byte `cut` of the text, counted from the records themselves (not by the importer's splitter). */
function completeBefore(text: string, ids: string[], cut: number): number {
  const doc = JSON.parse(text) as { Records: unknown[] };
  let at = '{"Records":['.length;
  let n = 0;
  for (const r of doc.Records) {
    at += JSON.stringify(r).length;
    if (at > cut) break;
    n++;
    at += 1; // the comma
  }
  expect(n).toBeLessThan(ids.length);
  return n;
}

const service = (workerBytes: number) => importServiceWith(s, { evidence: fakeEvidence(), workerBytes });

describe.each([
  ['streamed on the main thread', Infinity],
  ['read on the parse thread', 0],
])('a file cut short keeps its complete records (%s)', (_name, workerBytes) => {
  test('a one-line delivery file cut at 200 KB', async () => {
    const { text, ids } = deliveryFile();
    const cut = 200_000;
    const file = path.join(dir, 'cut.json');
    fs.writeFileSync(file, text.slice(0, cut));
    const want = completeBefore(text, ids, cut);
    const caseNumber = s.core.cases.create({ title: 'cut', severity: 'low' }).number;
    const imports = service(workerBytes);
    imports.setSettings(caseNumber, true); // the samples repeat events on purpose; count every record
    const r = (await imports.importPaths(caseNumber, [file])).files[0]!;
    expect(want).toBeGreaterThan(100);
    expect([r.imported, r.rejected, r.truncated]).toEqual([want, 1, true]);
    expect(r.errors.at(-1)).toBe(
      `cut.json: the file is truncated: it stops inside record ${want + 1}; the ${want} complete records before the cut were read; download the file again to get the rest`,
    );
    // The records kept are the first ones of the file, in order.
    const got = s.core.db.prepare('SELECT event_uid FROM timeline_events ORDER BY record_no').pluck().all();
    expect(got).toEqual(ids.slice(0, want));
  });

  test('the same file gzipped and cut mid-stream', async () => {
    const { text, ids } = deliveryFile();
    const gz = zlib.gzipSync(text);
    const file = path.join(dir, 'cut.json.gz');
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    // What the cut leaves, decompressed independently of the importer.
    const prefix = zlib
      .gunzipSync(gz.subarray(0, Math.floor(gz.length / 2)), { finishFlush: zlib.constants.Z_SYNC_FLUSH })
      .toString('utf8');
    const want = completeBefore(text, ids, prefix.length);
    const caseNumber = s.core.cases.create({ title: 'cut gz', severity: 'low' }).number;
    const imports = service(workerBytes);
    imports.setSettings(caseNumber, true);
    const r = (await imports.importPaths(caseNumber, [file])).files[0]!;
    expect(want).toBeGreaterThan(0);
    expect([r.imported, r.truncated]).toEqual([want, true]);
    expect(r.errors.at(-1)).toMatch(
      new RegExp(
        `the compressed file is truncated \\(a \\.gz cut short\\); it stops inside record ${want + 1}; the ${want} complete records`,
      ),
    );
  });

  /**
   * The fault: a .gz with bytes after its last member that are not gzip (two files joined with cat, a download tool's
   * trailer). zlib gives up on the whole file: every record was lost, and the message said "the 0 complete records
   * before the cut were read". Each complete member is kept, the bytes after it counted and named, the same on either
   * path, and the records read back from the vault copy as they were imported.
   */
  test.each([
    ['text', Buffer.from('garbage-after-the-member')],
    ['a gzip magic number and nothing else', Buffer.from([0x1f, 0x8b, 0, 0])],
  ])('a .gz with %s after its last member keeps every record before it', async (_what, tail) => {
    ensureTestIdentity(s);
    const { text, ids } = deliveryFile();
    const half = Math.floor(ids.length / 2);
    const doc = JSON.parse(text) as { Records: unknown[] };
    // Two members (as `cat a.gz b.gz` makes), then the tail.
    const members = [doc.Records.slice(0, half), doc.Records.slice(half)].map((Records) =>
      zlib.gzipSync(JSON.stringify({ Records }) + '\n'),
    );
    const file = path.join(dir, 'joined.json.gz');
    fs.writeFileSync(file, Buffer.concat([...members, tail]));
    const caseNumber = s.core.cases.create({ title: 'trailing', severity: 'low' }).number;
    const imports = importServiceOf(s, workerBytes);
    imports.setSettings(caseNumber, true);
    const r = (await imports.importPaths(caseNumber, [file])).files[0]!;
    expect([r.imported, r.rejected, r.truncated]).toEqual([ids.length, 1, true]);
    expect(r.errors).toEqual([
      `joined.json.gz: after line 2: ${tail.length} bytes after the end of the compressed data are not gzip data (two files joined, or a damaged copy) and were not read; the ${ids.length} complete records before them were read; get the file again from its source to check what they are`,
    ]);
    // Read back from the vault copy (gunzipped again there): the last record is whole.
    const last = s.timeline.events.query({ caseNumber, where: [{ column: 'eventId', value: ids.at(-1)! }], limit: 5 }).events[0];
    expect(s.timeline.events.get(caseNumber, last!.id).raw).toMatchObject({ eventID: ids.at(-1) });
  });

  test('zero padding after the last member is no trailing data', async () => {
    ensureTestIdentity(s);
    const { text, ids } = deliveryFile();
    const file = path.join(dir, 'padded.json.gz');
    fs.writeFileSync(file, Buffer.concat([zlib.gzipSync(text), Buffer.alloc(512)]));
    const caseNumber = s.core.cases.create({ title: 'padded', severity: 'low' }).number;
    const imports = importServiceOf(s, workerBytes);
    imports.setSettings(caseNumber, true);
    const r = (await imports.importPaths(caseNumber, [file])).files[0]!;
    expect([r.imported, r.rejected, r.truncated, r.errors]).toEqual([ids.length, 0, false, []]);
  });

  test('a complete document without its closing brackets keeps every record and says the end is missing', async () => {
    const text = JSON.stringify({
      Records: [
        { eventName: 'A', eventID: '1' },
        { eventName: 'B', eventID: '2' },
      ],
    });
    const file = path.join(dir, 'noclose.json');
    fs.writeFileSync(file, `${text.slice(0, -2)}\n`);
    const caseNumber = s.core.cases.create({ title: 'noclose', severity: 'low' }).number;
    const r = (await service(workerBytes).importPaths(caseNumber, [file])).files[0]!;
    expect([r.imported, r.truncated]).toEqual([2, true]);
    expect(r.errors.at(-1)).toMatch(
      /it stops after record 2, before the closing brackets; the 2 complete records before the cut were read/,
    );
  });
});
