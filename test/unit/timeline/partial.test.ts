import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { importServiceWith, makeServices, type TestServices } from '../../helpers/services';
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
