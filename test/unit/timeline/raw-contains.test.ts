import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawContains } from '../../../main/timeline/query';
import { searchableRaw } from '../../../main/timeline/raw-text';
import { RAW_JSON, RAW_LINE } from '../../../main/timeline/importers/types';

/** The definition: what the search index holds for the record, lower-cased, holds the phrase. */
const reference = (kind: number, bytes: Buffer, term: string) => searchableRaw(kind, bytes.toString('utf8')).toLowerCase().includes(term);

// Characters that make the byte shortcut wrong if it were taken carelessly: escapes and line breaks
// (the search text is then canonical JSON), letters whose lower case is ASCII (Kelvin sign, dotted I),
// multi-byte characters, invalid UTF-8, spaces at the ends (flow log lines are trimmed).
const pieces = [
  '1',
  '2',
  '.',
  '10.0.0.1',
  ':',
  '-',
  ' ',
  '\\',
  '\\u0031',
  '\n',
  '\r',
  'K',
  '\u212a',
  '\u0130',
  'é',
  '"',
  'a',
  'A',
  '\t',
  '\u00a0',
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((a) => a.join(''));

describe('rawContains (the phrase check of a full-text search)', () => {
  it('answers exactly what the search text, lower-cased, holds, for JSON records and flow log lines', () => {
    fc.assert(
      fc.property(text, text, fc.constantFrom(RAW_JSON, RAW_LINE), fc.boolean(), fc.boolean(), (body, term, kind, invalid, stringify) => {
        const needle = term.toLowerCase();
        if (needle === '') return;
        // JSON as exporters write it (escaped or not), or raw text that need not be valid JSON at all.
        let bytes = Buffer.from(stringify ? JSON.stringify({ v: body, w: `x${term}y` }) : `{"v":"${body}"}`);
        if (kind === RAW_LINE) bytes = Buffer.from(` ${body} `);
        if (invalid) bytes = Buffer.concat([bytes, Buffer.from([0xc3]), Buffer.from(needle)]);
        const outcome = (f: () => boolean) => {
          try {
            return f();
          } catch {
            return 'throws';
          }
        };
        expect(outcome(() => rawContains(kind, bytes, needle))).toBe(outcome(() => reference(kind, bytes, needle)));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds an IP in a record, and not one that only shares its numbers; escapes take the general path', () => {
    const rec = Buffer.from(JSON.stringify({ sourceIPAddress: '10.1.2.3', port: 10, n: '1 2 3' }));
    expect(rawContains(RAW_JSON, rec, '10.1.2.3')).toBe(true);
    expect(rawContains(RAW_JSON, rec, '1.2.3.10')).toBe(false);
    // "\u0031" is "1" in the search text (canonical JSON), not in the bytes.
    const escaped = Buffer.from('{"ip":"10.\\u0031.2.3"}');
    expect(rawContains(RAW_JSON, escaped, '10.1.2.3')).toBe(true);
  });
});
