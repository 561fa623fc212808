import { scaleBytes } from '../../../common/bytes';
import { SafeHtml, escapeHtml } from './template-engine';

/** Display formats of the report: UTC times, exact sizes, compressed id ranges. */

/** "2026-11-27T10:00:00.000Z" → "2026-11-27 10:00:00 UTC". */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '';
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso;
}

/** "2026-11-27T10:00:00.000Z" → "2026-11-27 10:00:00" (tables say UTC in their header). */
export const utcShort = (iso: string | null | undefined): string => utc(iso).replace(' UTC', '');

/** A time span, shortened when both ends fall on the same day: "2026-11-27 10:00:00 → 10:04:12". */
export function span(first: string | null, last: string | null): string {
  const a = utcShort(first);
  const b = utcShort(last);
  if (!a || !b || a === b) return a || b;
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} → ${b.slice(11)}` : `${a} → ${b}`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  const { value, unit } = scaleBytes(n);
  if (unit === 'B') return `${n} B`;
  return `${value.toFixed(value < 10 ? 2 : 1)} ${unit} (${n.toLocaleString('en-US')} bytes)`;
}

/** Exact byte count, grouped: the figure an examiner compares, without rounding. */
export const bytesExact = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

export const shortFp = (fp: string | null | undefined): string => (fp ? `${fp.slice(0, 16)}…` : '');

/** [1,2,3,5,7,8] → "1–3, 5, 7–8", with a prefix per number ("E-1–E-3"). */
export function ranges(ids: number[], prefix = ''): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? `${prefix}${sorted[i]}` : `${prefix}${sorted[i]}–${prefix}${sorted[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** The longest folder all paths share ("/cases/web-1/"), or '' when they share none. */
export function commonFolder(paths: string[]): string {
  if (paths.length < 2) return '';
  const split = paths.map((p) => p.split('/'));
  const first = split[0]!;
  let n = 0;
  while (n < first.length - 1 && split.every((s) => s.length - 1 > n && s[n] === first[n])) n++;
  return n > 1 ? `${first.slice(0, n).join('/')}/` : '';
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * An identifier (ARN, path, resource id) that may break after "/" and ":" rather than anywhere: escaped,
 * with <wbr> break opportunities that copying the text leaves out.
 */
export const breakable = (text: string | null | undefined): SafeHtml => new SafeHtml(escapeHtml(text ?? '').replace(/([/:])/g, '$1<wbr>'));
