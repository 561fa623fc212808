import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, expect, test, vi } from 'vitest';
import { importServiceWith, makeServices, type TestServices } from '../../helpers/services';
import { ParseWorker } from '../../../main/timeline/import-worker';
import { cellOf, searchTexts, TEXT_COLUMNS, type PackedFile } from '../../../main/timeline/packed-file';
import { parseFile } from '../../../main/timeline/importers/parse-file';
import { searchText } from '../../../main/timeline/search-text';
import type { Parsed } from '../../../main/timeline/importers/types';
import { fakeEvidence, SHARED } from './fake-evidence';

let s: TestServices | undefined;
let worker: ParseWorker | undefined;
const tmp: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  s?.cleanup();
  s = undefined;
  worker?.close();
  worker = undefined;
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : e.name.endsWith('.json') ? [full] : [];
  });
}

async function inThread(file: string): Promise<Parsed[]> {
  const out: Parsed[] = [];
  for await (const b of parseFile(file)) out.push(...b.items);
  return out;
}

/** An event as the packed file holds it: the file's bytes of its text are copied into the search buffer, not kept. */
const withoutBytes = ({ rawBytes: _, ...e }: Extract<Parsed, { event: unknown }>['event']) => e;

/** A packed file back as the rows the streaming parser yields: events (with their finding) and rejections, in record order. */
function unpack(p: PackedFile): { events: Record<string, unknown>[]; search: string[]; errors: string[] } {
  const raws = p.search.length ? Buffer.from(p.search).toString('utf8').split('\x1e') : [];
  const events = Array.from({ length: p.events }, (_, i) => ({
    ...Object.fromEntries(TEXT_COLUMNS.map((c) => [c, cellOf(p, i, c)])),
    ts: p.ts[i],
    recordNo: p.recordNo[i],
    issues: cellOf(p, i, 'issues')?.split(',') ?? [],
    raw: raws[i],
    ref: p.refKind[i] ? { kind: p.refKind[i], offset: p.refOffset[i], length: p.refLength[i] } : null,
    identity: cellOf(p, i, 'identity'),
    sample: p.sample[i] === 1,
    finding: p.findings.find((f) => f.event === i)?.row,
  }));
  return { events, search: searchTexts(p.search), errors: p.errors };
}

test('the worker parses every whole-document sample into exactly the rows the in-thread parser makes', async () => {
  worker = new ParseWorker();
  let viaWorker = 0;
  for (const file of files(SHARED)) {
    const packed = await worker.parse(file);
    if (!packed) continue;
    viaWorker++;
    const got = unpack(packed);
    const want = await inThread(file);
    expect(got.events, file).toEqual(want.flatMap((p) => ('event' in p ? [{ ...withoutBytes(p.event), finding: p.finding }] : [])));
    expect(got.errors, file).toEqual(want.flatMap((p) => ('error' in p ? [p.error] : [])));
    // The full-text form of the packed buffer is what the store computes from each record.
    expect(got.search).toEqual(got.events.map((e) => searchText(e.raw as string)));
  }
  // CloudTrail delivery files, get-findings output and EventBridge envelopes all take the worker path.
  expect(viaWorker).toBeGreaterThan(10);
});

test('the worker reads NDJSON, flow logs, documents and files cut short exactly as the streaming parser does; bigger files are left to it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lariat-worker-'));
  tmp.push(dir);
  const write = (name: string, data: string | Buffer) => (fs.writeFileSync(path.join(dir, name), data), path.join(dir, name));
  worker = new ParseWorker(4096);
  const gz = zlib.gzipSync(JSON.stringify({ Records: [{ eventName: 'A' }, { eventName: 'B' }] }));
  const files = [
    write('ndjson.json', '{"eventName":"A"}\n{"eventName":"B"}\n'),
    write('bad.json', '{"Records":[{"eventName":"A"},'),
    write(
      'flow.log',
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1705312800 1705312860 ACCEPT OK\n',
    ),
    write('empty.json', ''),
    write('truncated.json.gz', gz.subarray(0, gz.length - 8)),
    write('pretty.json', '\ufeff{\n  "Records": [\n    {"eventName": "A"}\n  ]\n}\n'),
    write('whole.json.gz', gz),
  ];
  for (const file of files) {
    const got = unpack((await worker.parse(file))!);
    const want = await inThread(file);
    expect(got.events, file).toEqual(want.flatMap((p) => ('event' in p ? [{ ...withoutBytes(p.event), finding: p.finding }] : [])));
    expect(got.errors, file).toEqual(want.flatMap((p) => ('error' in p ? [p.error] : [])));
  }
  expect(await worker.parse(write('big.json', JSON.stringify({ Records: [{ eventName: 'x'.repeat(5000) }] })))).toBeNull();
});

test("the parse thread's full-text buffer holds each record's text as the file spells it, re-encoded only where its text differs", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lariat-worker-'));
  tmp.push(dir);
  const file = path.join(dir, 'mixed.json');
  const invalid = Buffer.from([0xf0, 0x90, 0x80]); // a 4-byte sequence cut after 3 bytes: one U+FFFD, also 3 bytes
  fs.writeFileSync(
    file,
    Buffer.concat([
      Buffer.from(
        '{"Records":[{"eventName":"Plain","x":"caf\u00e9"},{"eventName":"Caf\u00e9"},{"eventName":"Grüße 東京"},{"eventName":"Bad',
      ),
      invalid,
      Buffer.from('x"}]}'),
    ]),
  );
  worker = new ParseWorker();
  const packed = (await worker.parse(file))!;
  const want = (await inThread(file)).flatMap((p) => ('event' in p ? [p.event] : []));
  expect(want.map((e) => e.raw)).toEqual([
    '{"eventName":"Plain","x":"café"}', // written with an escape: its canonical JSON
    '{"eventName":"Café"}',
    '{"eventName":"Grüße 東京"}',
    '{"eventName":"Bad\ufffdx"}',
  ]);
  expect(unpack(packed).search).toEqual(want.map((e) => searchText(e.raw)));
  // The invalid bytes never reach the index: what it holds decodes and encodes back to itself.
  const bytes = Buffer.from(packed.search);
  expect(bytes.includes(invalid)).toBe(false);
  expect(Buffer.from(bytes.toString('utf8')).equals(bytes)).toBe(true);
});

test('an import through the worker writes the same timeline as one parsed in-thread', async () => {
  s = makeServices();
  const { db, cases } = s.core;
  const services = s;
  const service = (workerBytes: number) => importServiceWith(services, { evidence: fakeEvidence(), workerBytes });
  const a = cases.create({ title: 'worker', severity: 'low' }).number;
  const b = cases.create({ title: 'in-thread', severity: 'low' }).number;
  const parse = vi.spyOn(ParseWorker.prototype, 'parse');
  const ra = await service(0).importPaths(a, [SHARED]);
  const answers = await Promise.all(parse.mock.results.map((r) => r.value as ReturnType<ParseWorker['parse']>));
  expect(answers.filter((x) => x !== null).length).toBeGreaterThan(10);
  parse.mockClear();
  const rb = await service(Infinity).importPaths(b, [SHARED]);
  expect(parse).not.toHaveBeenCalled();
  expect(ra.files.map(({ evidenceId: _, ...f }) => f)).toEqual(rb.files.map(({ evidenceId: _, ...f }) => f));
  expect(ra.imported).toBeGreaterThan(500);
  const rows = (caseNumber: string) =>
    db
      .prepare(
        `SELECT e.ts, e.time, e.source, e.actor, e.access_key_id, e.action, e.resource, e.source_ip, e.user_agent, e.region, e.account,
           e.error_code, e.severity, e.issues, e.highlight, e.file, e.record_no, r.raw
         FROM timeline_events e JOIN timeline_raw r ON r.id = e.id JOIN cases c ON c.id = e.case_id WHERE c.number = ? ORDER BY e.id`,
      )
      .all(caseNumber);
  expect(rows(a)).toEqual(rows(b));
  const hits = (caseNumber: string, q: string) =>
    (
      db
        .prepare(
          'SELECT count(*) AS n FROM search.timeline_fts f JOIN timeline_events e ON e.id = f.rowid JOIN cases c ON c.id = e.case_id WHERE timeline_fts MATCH ? AND c.number = ?',
        )
        .get(q, caseNumber) as { n: number }
    ).n;
  for (const q of ['ConsoleLogin', 'AccessDenied', 'Recon']) expect(hits(a, q)).toBe(hits(b, q));
  expect(hits(a, 'ConsoleLogin')).toBeGreaterThan(0);
});

test('a closed worker answers null, so the file is parsed in-thread instead of failing the import', async () => {
  worker = new ParseWorker();
  const file = files(path.join(SHARED, 'cloudtrail', 'panther'))[0]!;
  expect(await worker.parse(file)).not.toBeNull();
  const pending = worker.parse(file);
  worker.close();
  expect(await pending).toBeNull();
  expect(await worker.parse(file)).toBeNull();
});
