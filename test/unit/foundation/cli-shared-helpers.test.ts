import { describe, expect, it } from 'vitest';
import { scaleBytes } from '../../../common/bytes';
import { collect, collectList, commaList, fieldLabel } from '../../../main/cli/parse';
import { bytes } from '../../../main/cli/commands/acquire-print';
import { formatBytes } from '../../../main/reports/render/format';

/** Commander calls an option's parser once per occurrence with the value so far; this replays that. */
const given = (parse: (v: string, prev?: string[]) => string[], ...values: string[]): string[] | undefined =>
  values.reduce<string[] | undefined>((prev, v) => parse(v, prev), undefined);

describe('CLI option lists (main/cli/parse.ts)', () => {
  it('collect keeps each value as typed, commas included (a runbook parameter may hold a comma)', () => {
    expect(given(collect, 'A=1,2', 'B=3')).toEqual(['A=1,2', 'B=3']);
  });

  it('collectList splits at commas, trims, drops blanks, and adds to earlier occurrences in order', () => {
    expect(given(collectList, 'eu-west-1, us-east-1', 'eu-central-1,,')).toEqual(['eu-west-1', 'us-east-1', 'eu-central-1']);
  });

  it('fieldLabel names a field as typed: usage labels for positionals, kebab-case options, nested paths kept', () => {
    expect(fieldLabel(['caseNumber'])).toBe('<case>');
    expect(fieldLabel(['eventId'])).toBe('<id>');
    expect(fieldLabel(['maxResults'])).toBe('--max-results');
    expect(fieldLabel(['patch', 'severity'])).toBe('--severity');
    expect(fieldLabel(['where', 0])).toBe('--where.0');
    expect(fieldLabel([])).toBe('input');
  });

  it('commaList reads one occurrence only: a repeated option replaces the earlier one', () => {
    expect(given(commaList, 'cover,,details', ' scope ')).toEqual(['scope']);
  });
});

describe('byte sizes (common/bytes.ts) as the CLI and the report print them', () => {
  it('stays in B under 1 KiB and moves to the next unit at exactly 1024', () => {
    expect(scaleBytes(1023)).toEqual({ value: 1023, unit: 'B' });
    expect(scaleBytes(1024)).toEqual({ value: 1, unit: 'KiB' });
    expect(scaleBytes(1024 ** 2 - 1).unit).toBe('KiB');
    expect(scaleBytes(1024 ** 2)).toEqual({ value: 1, unit: 'MiB' });
    expect(scaleBytes(1024 ** 4)).toEqual({ value: 1, unit: 'TiB' });
  });

  it('stops at TiB however large the count', () => {
    expect(scaleBytes(1024 ** 5)).toEqual({ value: 1024, unit: 'TiB' });
  });

  it('keeps each printer its own precision: the CLI one decimal, the report two under 10 and the exact count', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(5 * 1024 ** 3 + 1024 ** 3 / 4)).toBe('5.3 GiB');
    expect(formatBytes(1000)).toBe('1000 B');
    expect(formatBytes(1536)).toBe('1.50 KiB (1,536 bytes)');
    expect(formatBytes(12 * 1024 ** 2)).toBe('12.0 MiB (12,582,912 bytes)');
    expect(formatBytes(null)).toBe('');
  });
});
