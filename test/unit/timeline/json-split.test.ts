import fc from 'fast-check';
import { expect, test } from 'vitest';
import { JsonSplitter, type SplitValue } from '../../../main/timeline/importers/json-split';
import { makeTimeline } from './fake-evidence';
import fs from 'node:fs';
import path from 'node:path';

/** Feeds text to a splitter in the given chunk sizes; returns what it found and whether it ended complete. */
function split(text: string, chunks: number[]): { values: SplitValue[]; complete: boolean } {
  const values: SplitValue[] = [];
  const s = new JsonSplitter((v) => values.push(v));
  const bytes = Buffer.from(text);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = Math.max(1, chunks[i % chunks.length]!);
    s.feed(bytes.subarray(at, at + n));
    at += n;
  }
  return { values, complete: s.finish() };
}

// Strings an attacker (or an odd exporter) puts in values: brackets, braces, quotes, escapes, container names, non-ASCII.
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom('{"Records":[', ']}', '\\"', '\\\\', '"Records"', '[[', '}}', 'é', '\u2028', '\\u0022'),
);
const record = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom('Records', 'Findings', 'Events')),
  fc.oneof(nasty, fc.integer(), fc.boolean(), fc.constant(null), fc.array(nasty, { maxLength: 3 })),
  { maxKeys: 5 },
);

test('the splitter finds exactly the elements JSON.parse finds, in any chunking, and every record before a cut', () => {
  fc.assert(
    fc.property(
      fc.array(record, { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
      fc.boolean(),
      (records, chunks, pretty) => {
        const text = JSON.stringify({ Before: { Records: 'not this' }, Records: records, After: [1, 2] }, null, pretty ? 2 : undefined);
        const { values, complete } = split(text, chunks);
        expect(complete).toBe(true);
        expect(values.map((v) => JSON.parse(v.bytes.toString('utf8')) as unknown)).toEqual(records);
        for (const v of values) expect(Buffer.from(text).subarray(v.start, v.end).equals(v.bytes)).toBe(true);
        // Cut anywhere: what comes out is a prefix of the records, and only records that end before the cut.
        const cut = Math.floor(text.length / 2);
        const part = split(text.slice(0, cut), chunks);
        const byteCut = Buffer.byteLength(text.slice(0, cut));
        expect(part.values.map((v) => JSON.parse(v.bytes.toString('utf8')) as unknown)).toEqual(records.slice(0, part.values.length));
        for (const v of part.values) expect(v.end).toBeLessThanOrEqual(byteCut);
      },
    ),
    { numRuns: 300 },
  );
});

test('NDJSON values, top-level arrays and scalars come out whole', () => {
  expect(split('[1, "a]", {"b": [2]}]', [3]).values.map((v) => v.bytes.toString())).toEqual(['1', '"a]"', '{"b": [2]}']);
  expect(split('{"eventName":"X","detail":{"Records":[1]}}', [5]).values.map((v) => [v.container, v.bytes.toString()])).toEqual([
    [null, '{"eventName":"X","detail":{"Records":[1]}}'],
  ]);
});

test('the per-batch hook sees the events each committed batch wrote, with their records', async () => {
  const { s, t } = makeTimeline();
  try {
    const caseNumber = s.core.cases.create({ title: 'hook', severity: 'low' }).number;
    const seen: { ids: number[]; sources: string[]; texts: string[] }[] = [];
    t.imports.onBatch((b) => seen.push({ ids: b.eventIds, sources: b.sources, texts: b.texts() }));
    const file = path.join(s.dataDir, 'h.ndjson');
    const rec = (i: number) =>
      JSON.stringify({ eventName: 'GetObject', eventID: `h${i}`, eventTime: '2024-01-01T00:00:00Z', userIdentity: {} });
    fs.writeFileSync(file, [rec(1), rec(2), rec(1)].join('\n'));
    await t.imports.importPaths(caseNumber, [file]);
    const ids = t.events.query({ caseNumber }).events.map((e) => e.id);
    expect(seen).toEqual([{ ids, sources: ['cloudtrail', 'cloudtrail'], texts: [rec(1), rec(2)] }]);
  } finally {
    s.cleanup();
  }
});

test('the fast loop for bytes nested inside a record gives what the general loop alone gives, on valid, cut and mangled streams', () => {
  /** Everything a splitter reports, in order, with its state at the end. */
  const run = (bytes: Buffer, chunks: readonly number[], fast: boolean) => {
    const out: unknown[] = [];
    const s = new JsonSplitter(
      (v) => out.push([v.start, v.end, v.container, v.bytes.toString('latin1')]),
      64,
      (start, n) => out.push(['too long', start, n]),
      fast,
    );
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const n = Math.max(1, chunks[i % chunks.length]!);
      s.feed(bytes.subarray(at, at + n));
      at += n;
    }
    const complete = s.finish();
    return { out, complete, inside: s.insideRecord, count: s.count, offset: s.offset };
  };
  // Bytes that move the splitter's state: quotes, escapes, brackets, colons, commas, blanks, digits, literals.
  const noise = fc.constantFrom(...'"\\{}[]:, \n0tfn'.split('').map((c) => c.charCodeAt(0)));
  fc.assert(
    fc.property(
      fc.array(record, { maxLength: 6 }),
      fc.constantFrom('Records', 'Findings', 'Other', null),
      fc.array(fc.tuple(fc.nat(), noise), { maxLength: 6 }),
      fc.nat(),
      // Small chunks (state carried across chunk ends) or the whole file at once, as the parse thread feeds it.
      fc.oneof(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }), fc.constant([1 << 20])),
      (records, key, edits, cutAt, chunks) => {
        const text =
          key === null ? records.map((r) => JSON.stringify(r)).join('\n') : JSON.stringify({ [key]: records, After: { x: [1] } });
        const bytes = Buffer.from(text);
        for (const [at, b] of edits) if (bytes.length) bytes[at % bytes.length] = b;
        const cut = bytes.subarray(0, bytes.length ? cutAt % (bytes.length + 1) : 0);
        for (const input of [bytes, cut]) expect(run(input, chunks, true)).toEqual(run(input, chunks, false));
      },
    ),
    { numRuns: 1000 },
  );
});
