import { expect, test } from 'vitest';
import fc from 'fast-check';
import { searchText, stripKeysInPlace } from '../../../main/timeline/search-text';

const strip = (s: string): string => {
  const b = Buffer.from(s, 'utf8');
  return b.subarray(0, stripKeysInPlace(b)).toString('utf8');
};

// The search thread strips keys from UTF-8 bytes; the index and every rebuild must see exactly what the regular expression makes.
test('stripping keys from bytes gives exactly what the regular expression gives from text', () => {
  for (const s of ['{"a":1}', '"":', '"abc","def":', '"x\\"y":"z"', '"é":1', '"a-b.c@d_e":""', '"a"', '":', 'x"y":', '"k"', '"k":', '""":'])
    expect(strip(s)).toBe(searchText(s));
  const piece = fc.constantFrom('"', ':', 'a', 'Z', '_', '@', '.', '-', '9', ' ', ',', '{', '}', '\\', 'é', '€', '\x1e', '😀');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
      const s = parts.join('');
      expect(strip(s)).toBe(searchText(s));
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const s = JSON.stringify(v);
      expect(strip(s)).toBe(searchText(s));
    }),
    { numRuns: 500 },
  );
});
