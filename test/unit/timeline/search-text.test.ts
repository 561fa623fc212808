import { expect, test } from 'vitest';
import fc from 'fast-check';
import { ipToken, ipTokensOf, ipTokensOfText, searchText, stripKeys, stripKeysInPlace } from '../../../main/timeline/search-text';

const strip = (s: string): string => {
  const b = Buffer.from(s, 'utf8');
  return b.subarray(0, stripKeysInPlace(b)).toString('utf8');
};

// The search thread strips keys from UTF-8 bytes; the index and every rebuild must see exactly what the regular expression makes.
test('stripping keys from bytes gives exactly what the regular expression gives from text', () => {
  for (const s of ['{"a":1}', '"":', '"abc","def":', '"x\\"y":"z"', '"é":1', '"a-b.c@d_e":""', '"a"', '":', 'x"y":', '"k"', '"k":', '""":'])
    expect(strip(s)).toBe(stripKeys(s));
  const piece = fc.constantFrom('"', ':', 'a', 'Z', '_', '@', '.', '-', '9', ' ', ',', '{', '}', '\\', 'é', '€', '\x1e', '😀');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
      const s = parts.join('');
      expect(strip(s)).toBe(stripKeys(s));
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const s = JSON.stringify(v);
      expect(strip(s)).toBe(stripKeys(s));
    }),
    { numRuns: 500 },
  );
});

// The search thread finds addresses in bytes, every other writer of the index (rebuilds, the main thread) in text.
test('IP tokens: whole dotted quads only, once each, the same from bytes as from text', () => {
  const cases: [string, string[]][] = [
    ['from 10.0.1.23', ['10.0.1.23']],
    ['"10.0.1.23:443" and at 10.0.1.23.', ['10.0.1.23']],
    ['11.2.3.4,1.2.3.4 9.9.9.9', ['11.2.3.4', '1.2.3.4', '9.9.9.9']],
    ['1.2.3.4.5', []],
    ['v1.2.3.4.5 1111.2.3.4 1.2.3.4444 1.2.3.', []],
    ['ip-10-0-1-23.ec2.internal 10.0.1 1..2.3.4', []],
    ['x1.2.3.4y é10.0.0.1€', ['1.2.3.4', '10.0.0.1']],
    ['999.999.999.999', ['999.999.999.999']],
    ['', []],
  ];
  for (const [text, quads] of cases) {
    const want = quads.map((q) => ` ${ipToken(q)}`).join('');
    expect(ipTokensOfText(text)).toBe(want);
    const b = Buffer.from(`##${text}##`, 'utf8');
    expect(ipTokensOf(b, 2, b.length - 2)).toBe(want);
  }
  expect(ipToken('10.0.1.23')).toBe('ipv4x10x0x1x23');
  expect(searchText('{"sourceIPAddress":"10.0.1.23","a":"10.0.1.23"}')).toBe('{ "10.0.1.23", "10.0.1.23"} ipv4x10x0x1x23');
  const piece = fc.constantFrom('1', '2', '0', '9', '12', '255', '1234', '.', '.', '.', ' ', ':', 'a', '"', 'é', '\x1e');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(3), fc.nat(3), (parts, pre, post) => {
      const s = parts.join('');
      // Bounds inside a longer buffer: nothing before `start` or after `end` may count.
      const b = Buffer.from(`${'7.'.repeat(pre)}${s}${'.7'.repeat(post)}`, 'utf8');
      const start = pre * 2;
      expect(ipTokensOf(b, start, start + Buffer.byteLength(s))).toBe(ipTokensOfText(s));
    }),
    { numRuns: 5000 },
  );
});
