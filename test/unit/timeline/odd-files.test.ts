import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { timelineCase } from './fake-evidence';
import { tempDir } from '../../helpers/services';
import { packBuffer } from '../../../main/timeline/packed';

/**
 * Files investigators really get that are not UTF-8 JSON lines: each was refused as "not JSON", which sent them
 * looking for a broken export. Each now says what the file is and how to make it readable.
 */
const record = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventVersion: '1.08',
    eventTime: '2024-01-01T00:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'us-east-1',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ana' },
    eventID: `e-${i}`,
    recipientAccountId: '111122223333',
    ...extra,
  });
const delivery = `{"Records":[${record(1)}]}`;
const pack = (b: Buffer) => packBuffer(b, b.length, { maxLine: 1 << 24 });
const UTF16 = /^line 1: the file is UTF-16 text \(as Windows PowerShell 5 writes `aws \.\.\. > file`\); Lariat reads UTF-8: convert it/;

describe('a file Lariat cannot read as text says what it is', () => {
  test.each([
    ['UTF-16LE with a byte order mark (PowerShell 5)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(delivery, 'utf16le')])],
    ['UTF-16BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(delivery, 'utf16le').swap16()])],
    ['UTF-16LE without one', Buffer.from(delivery, 'utf16le')],
    ['UTF-16BE without one', Buffer.from(delivery, 'utf16le').swap16()],
  ])('%s', (_name, bytes) => {
    const p = pack(bytes);
    expect(p.events).toBe(0);
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatch(UTF16);
  });

  test('gzip inside gzip', () => {
    const p = pack(zlib.gzipSync(Buffer.from(delivery)));
    expect(p.errors).toEqual([
      'line 1: the file is compressed twice (gzip inside gzip); gunzip it once (gunzip -c file.gz > file) and import the result',
    ]);
  });

  test('NDJSON whose first line is JSON but not a record is read line by line, each refused as what it is', () => {
    const p = pack(Buffer.from(['"text"', '42', 'null', record(2)].join('\n')));
    expect(p.events).toBe(1);
    expect(p.errors).toEqual([
      'record 1: expected a JSON object (one event or finding), found a string',
      'record 2: expected a JSON object (one event or finding), found a number',
      'record 3: expected a JSON object (one event or finding), found null',
    ]);
  });

  test('an empty eventName is called empty (it was "a string, not a string")', () => {
    const p = pack(Buffer.from(`{"Records":[${record(3, { eventName: '' })}]}`));
    expect(p.errors).toEqual(['record 1: CloudTrail event whose eventName is empty; the record cannot be placed in the timeline']);
  });

  test('UTF-8 with its byte order mark still reads', () => {
    expect(pack(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(delivery)])).events).toBe(1);
  });
});

describe('imported', () => {
  const c = timelineCase('odd files');

  test('a gzip of a gzip and a UTF-16 export are refused by name, the readable file beside them imported', async () => {
    const dir = tempDir('lariat-odd-files-');
    fs.writeFileSync(path.join(dir, 'twice.json.gz'), zlib.gzipSync(zlib.gzipSync(Buffer.from(delivery))));
    fs.writeFileSync(path.join(dir, 'powershell.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(delivery, 'utf16le')]));
    fs.writeFileSync(path.join(dir, 'fine.json'), `{"Records":[${record(4)}]}`);
    const r = await c.t.imports.importPaths(c.caseNumber, [dir]);
    expect([r.imported, r.rejectedFiles]).toEqual([1, 2]);
    const errors = r.files.flatMap((f) => f.errors).join('\n');
    expect(errors).toContain('twice.json.gz: line 1: the file is compressed twice');
    expect(errors).toContain('powershell.json: line 1: the file is UTF-16 text');
  });
});
