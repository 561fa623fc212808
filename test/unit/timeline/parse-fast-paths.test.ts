import { describe, expect, test } from 'vitest';
import { parseTime } from '../../../main/timeline/importers/types';
import { identityOf } from '../../../main/timeline/importers/identity';
import { parseCloudTrail } from '../../../main/timeline/importers/cloudtrail';
import { Packer } from '../../../main/timeline/packed';
import { CELL, CELLS, TEXT_COLUMNS, WIDTH } from '../../../main/timeline/packed-file';
import type { EventRow } from '../../../main/timeline/importers/types';

/**
 * The parse thread's fast paths (CloudTrail's time spelling read by character codes, an ARN's resource part
 * found by indexOf, the packer's cells written out) must give exactly what the general code gave. Each is
 * checked against that general code, kept here as the oracle, over generated and boundary inputs.
 */

/** parseTime before the fast path. */
function oracleTime(v: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]!.slice(0, 4)), Number(m[1]!.slice(5, 7)), Number(m[1]!.slice(8, 10))];
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1]! + (leap ? 1 : 0)) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ''}${m[4] ?? 'Z'}`);
  return Number.isNaN(ms) || ms <= 0 ? null : ms;
}

/** A deterministic pseudo-random sequence (so a failure names an input that reproduces). */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe("parseTime: CloudTrail's spelling read directly agrees with the general path", () => {
  test('generated times, valid and out of range in every field', () => {
    const r = rng(12);
    const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    let fast = 0;
    for (let i = 0; i < 20000; i++) {
      const v = `${pad(pick(1890, 2200), 4)}-${pad(pick(0, 13), 2)}-${pad(pick(0, 32), 2)}T${pad(pick(0, 25), 2)}:${pad(pick(0, 61), 2)}:${pad(pick(0, 61), 2)}Z`;
      const want = oracleTime(v);
      expect([v, parseTime(v)]).toEqual([v, want]);
      if (want !== null) fast++;
    }
    expect(fast).toBeGreaterThan(5000);
  });

  test.each([
    '2024-02-29T12:00:00Z',
    '2023-02-29T12:00:00Z',
    '2100-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-12-31T23:59:59Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T23:60:00Z',
    '2024-01-01T23:59:60Z',
    '1970-01-01T00:00:00Z',
    '1970-01-01T00:00:01Z',
    '1969-12-31T23:59:59Z',
    '0050-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2024-01-01t00:00:00Z',
    '2024-01-01T00:00:00z',
    '2024-01-01 00:00:00Z',
    ' 024-01-01T00:00:00Z',
    '2024-01-01T00:00:0 Z',
    '2024/01/01T00:00:00Z',
    '2024-01-01T00.00:00Z',
    '2O24-01-01T00:00:00Z',
    '2024-0a-01T00:00:00Z',
    '2024-01-01T00:00:00+',
    '+02024-01-01T00:00:0',
    '2024-01-01T00:00:00 ',
  ])('%s', (v) => expect(parseTime(v)).toBe(oracleTime(v)));
});

/** fromArn before the fast path, seen through identityOf (its only caller). */
function oracleArn(arn: string | null) {
  if (!arn) return { role: null, session: null, user: null };
  const res = arn.split(':').slice(5).join(':');
  const assumed = /^assumed-role\/(?:.*\/)?([^/]+)\/([^/]+)$/.exec(res);
  if (assumed) return { role: assumed[1]!, session: assumed[2]!, user: null };
  const fed = /^federated-user\/(.+)$/.exec(res);
  if (fed) return { role: null, session: fed[1]!, user: null };
  const user = /^user\/(?:.*\/)?([^/]+)$/.exec(res);
  if (user) return { role: null, session: null, user: user[1]! };
  const role = /^role\/(?:.*\/)?([^/]+)$/.exec(res);
  if (role) return { role: role[1]!, session: null, user: null };
  return { role: null, session: null, user: null };
}

describe('identity from an ARN: the resource part found by indexOf agrees with split and join', () => {
  const arns = [
    'arn:aws:sts::123456789012:assumed-role/Admin/alice',
    'arn:aws:sts::123456789012:assumed-role/path/to/Admin/alice@example.com',
    'arn:aws:sts::123456789012:assumed-role/Admin/',
    'arn:aws:sts::123456789012:assumed-role/Admin',
    'arn:aws:sts::123456789012:federated-user/bob',
    'arn:aws:sts::123456789012:federated-user/',
    'arn:aws:iam::123456789012:user/carol',
    'arn:aws:iam::123456789012:user/dev/ops/carol',
    'arn:aws:iam::123456789012:user/',
    'arn:aws:iam::123456789012:user/a\nb/c',
    'arn:aws:iam::123456789012:role/service-role/Lambda',
    'arn:aws:iam::123456789012:role/x:y/z',
    'arn:aws:iam::123456789012:root',
    'arn:aws:iam::123456789012:group/g',
    'arn:aws:iam::123456789012:xuser/carol',
    'arn:aws:iam::123456789012',
    'arn:aws:iam::',
    'user/carol',
    ':::::user/carol',
    '::::::user/carol',
    'arn:aws:s3:::bucket/user/key',
    '',
  ];
  // Every identity type, so each ARN reaches every use identityOf makes of it (principal, session).
  const types = ['AssumedRole', 'FederatedUser', 'IAMUser', 'Root', 'AWSService', undefined];
  test.each(arns)('%j', (arn) => {
    for (const type of types) {
      const got = identityOf({ type, arn, principalId: 'AROAEXAMPLE:sess', sessionContext: { sessionIssuer: { arn } } });
      // The issuer's ARN is the same ARN here, so its role is parts.role too.
      const parts = oracleArn(arn);
      const principal =
        type === 'Root'
          ? 'root'
          : type === 'AssumedRole'
            ? parts.role
            : type === 'FederatedUser'
              ? parts.session
              : (parts.user ?? parts.role ?? 'AROAEXAMPLE:sess');
      const session = parts.session ?? (type === 'AssumedRole' ? 'sess' : null);
      expect({ type, principal: got.principal, session: got.sessionName }).toEqual({ type, principal, session: session || null });
    }
  });
});

describe('the packer writes every column to its own cell', () => {
  test('each text column, the issues and the identity read back from CELLS order', () => {
    const event = Object.fromEntries(TEXT_COLUMNS.map((c) => [c, `value of ${c}`])) as unknown as EventRow;
    Object.assign(event, { ts: 1, issues: ['a', 'b'], identity: 'ct|id', recordNo: 1, raw: '{}', ref: null, sample: false });
    const packer = new Packer();
    // Twice: the second event's cells come from the per-column memory of the previous value.
    packer.add({ event });
    packer.add({ event: { ...event, region: 'other region' } });
    const p = packer.finish(2, { truncated: false, flowFields: null, empty: false });
    expect(p.cells.length).toBe(2 * WIDTH);
    for (const row of [0, 1]) {
      const read = (c: (typeof CELLS)[number]) => p.strings[p.cells[row * WIDTH + CELL[c]]!];
      for (const c of TEXT_COLUMNS) expect([c, read(c)]).toEqual([c, row === 1 && c === 'region' ? 'other region' : `value of ${c}`]);
      expect(read('issues')).toBe('a,b');
      expect(read('identity')).toBe('ct|id');
    }
  });
});

describe('a CloudTrail record whose fields have the wrong type', () => {
  const base = {
    eventVersion: '1.08',
    eventTime: '2024-03-01T10:00:00Z',
    eventName: 'GetObject',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice', accountId: '111122223333' },
  };
  test('each present non-string field is flagged by name, in the order the fields are checked; absent and null ones are not', () => {
    const p = parseCloudTrail({ ...base, sourceIPAddress: 1, userAgent: ['x'], awsRegion: {}, errorCode: true, eventSource: 2 }, 1);
    expect('event' in p && p.event.issues).toEqual([
      'invalid-sourceIPAddress',
      'invalid-userAgent',
      'invalid-awsRegion',
      'invalid-errorCode',
      'invalid-eventSource',
    ]);
    const q = parseCloudTrail({ ...base, sourceIPAddress: null, userAgent: 'ua', errorCode: false }, 2);
    expect('event' in q && q.event.issues).toEqual(['invalid-errorCode']);
  });
  test('the identity columns come from the user identity', () => {
    const p = parseCloudTrail(base, 1);
    expect('event' in p && [p.event.principal, p.event.callerAccount, p.event.sessionName, p.event.identityType]).toEqual([
      'Admin',
      '111122223333',
      'alice',
      'AssumedRole',
    ]);
  });
});
