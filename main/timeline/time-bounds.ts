import { AppError } from '../core/errors';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const refuse = (v: string, why: string): AppError =>
  new AppError(
    'invalid-input',
    `"${v}" is not a valid time: ${why}.`,
    'Use ISO-8601, UTC unless an offset is given: 2024-01-15, 2024-01-15T10:30, 2024-01-15T10:30:05Z, 2024-01-15T12:30+02:00 (also +0200, +02).',
  );

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Parses a time bound typed by an investigator, strictly: impossible dates
 * (2023-13-45, 2023-02-29) are refused, every ISO-8601 offset form is read
 * (Z, +02:00, +0200, +02), and a bound keeps its precision: as an end, a
 * date means the whole day, `T12:02` the whole minute, `T12:02:05` the whole
 * second (the last millisecond of it is included).
 */
export function parseBound(v: string, end: boolean): number {
  const t = v.trim();
  const m = ISO.exec(t);
  if (!m) throw refuse(v, 'not in ISO-8601 form (YYYY-MM-DD, then optionally Thh:mm[:ss[.fff]] and an offset)');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) throw refuse(v, `there is no month ${m[2]}`);
  if (d < 1 || d > daysIn(y, mo)) throw refuse(v, `${m[1]}-${m[2]} has no day ${m[3]}`);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (h > 23) throw refuse(v, `there is no hour ${m[4]}`);
  if (mi > 59) throw refuse(v, `there is no minute ${m[5]}`);
  if (s > 59) throw refuse(v, `there is no second ${m[6]}`);
  if (m[4] === undefined && m[8]) throw refuse(v, 'an offset needs a time of day');
  const frac = m[7] ?? '';
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  let offset = 0;
  if (m[8] && m[8].toUpperCase() !== 'Z') {
    const o = /^([+-])(\d{2}):?(\d{2})?$/.exec(m[8])!;
    const oh = Number(o[2]);
    const om = o[3] === undefined ? 0 : Number(o[3]);
    if (oh > 23 || om > 59) throw refuse(v, `the offset ${m[8]} is out of range`);
    offset = (o[1] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const start = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset;
  if (!end) return start;
  // The unit of the last field given: day, hour, minute, second, or the fraction's last digit (at least 1 ms).
  const unit =
    m[4] === undefined
      ? 86_400_000
      : m[5] === undefined
        ? 3_600_000
        : m[6] === undefined
          ? 60_000
          : frac === ''
            ? 1000
            : Math.max(1, 10 ** (3 - Math.min(3, frac.length)));
  return start + unit - 1;
}
