import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, preloadContract } from '../../../common/contract';
import { wellFormedText } from '../../../common/contract/common';
import { defOf, walk } from './zod-walk';

/** Every string a channel takes, wherever it sits in the input (nested objects, arrays, unions). */
const stringNodes = Object.entries({ ...contract, ...preloadContract }).flatMap(([name, def]) =>
  walk(def.input as z.ZodType, name).filter(({ node }) => defOf(node).type === 'string'),
);

describe('one well-formed-text refinement on every string of the contract', () => {
  it('finds the strings (the walker reaches nested fields)', () => {
    expect(stringNodes.length).toBeGreaterThan(50);
    expect(stringNodes.map((n) => n.at)).toEqual(expect.arrayContaining(['addCustodyNote.note', 'createCase.title', 'importLogs.files[]']));
  });

  it('every string schema carries the shared check', () => {
    const missing = stringNodes.filter(({ node }) => !(defOf(node).checks ?? []).includes(wellFormedText)).map((n) => n.at);
    expect(missing, 'use text() from common/contract/common.ts instead of z.string()').toEqual([]);
  });

  it('refuses NUL and lone surrogates, accepts paired ones (emoji) and ordinary text', () => {
    const title = contract.createCase.input;
    expect(title.safeParse({ title: 'Crypto-miner 😀 on web-1', severity: 'low' }).success).toBe(true);
    for (const bad of ['a\0b', '\uD800', 'x\uDC00', '\uDBFF\uDBFF', 'ok\uD83D']) {
      const r = title.safeParse({ title: bad, severity: 'low' });
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/NUL character or a broken Unicode character/);
    }
  });

  it('stays cheap on the largest text a channel takes', () => {
    const big = 'a'.repeat(199_999) + '\uD800';
    const note = contract.addNote.input;
    // Linear: one regex scan; a 200 kB note is refused without any backtracking blow-up.
    expect(note.safeParse({ caseNumber: 'IR-2026-0001', title: 't', body: big }).success).toBe(false);
    expect(note.safeParse({ caseNumber: 'IR-2026-0001', title: 't', body: big.slice(0, -1) }).success).toBe(true);
  });
});
