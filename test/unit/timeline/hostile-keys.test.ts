import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { timelineCase } from './fake-evidence';
import { tempDir } from '../../helpers/services';
import { lakeRowToEvent } from '../../../main/timeline/importers/cloudtrail';
import { packBuffer } from '../../../main/timeline/packed';

/**
 * The attack: a CloudTrail Lake results file (anyone who can write to a log bucket or hand over an export
 * can make one) whose column names are dotted paths through `__proto__` or `constructor.prototype`. Rows
 * are rebuilt from those names; written through plain assignment, they set properties on Object.prototype
 * of the thread that parses, so every later record lacking the field inherits the attacker's value (an
 * errorCode on every successful call, an eventName that makes findings look like CloudTrail), and in the
 * main process any options object read by Node or Electron does too.
 */
const HOSTILE_ROW = [
  { eventName: 'ConsoleLogin' },
  { eventID: 'e1' },
  { eventTime: '2024-01-01 00:00:00.000' },
  { '__proto__.errorCode': 'AccessDenied' },
  { 'constructor.prototype.sourceIPAddress': '203.0.113.9' },
];
const PLAIN_ROW = [
  { eventName: 'GetObject' },
  { eventID: 'e2' },
  { eventTime: '2024-01-01 00:00:01.000' },
  { recipientAccountId: '111122223333' },
];
const lakeFile = (rows: unknown[][]) => JSON.stringify({ QueryStatus: 'FINISHED', QueryResultRows: rows });
const inherited = () => {
  const probe = {} as Record<string, unknown>;
  return [probe.errorCode, probe.sourceIPAddress];
};

describe('column names of a Lake results file are data, never a path into a prototype', () => {
  test('a row naming __proto__ or constructor.prototype keeps those as its own fields and changes no prototype', () => {
    // JSON.parse, as the importer reads the file: "__proto__" stays an own key of the cell.
    const row = JSON.parse(JSON.stringify(HOSTILE_ROW)) as unknown[];
    const ev = lakeRowToEvent(row)!;
    expect(inherited()).toEqual([undefined, undefined]);
    expect(Object.getPrototypeOf(ev)).toBe(Object.prototype);
    expect(Object.hasOwn(ev, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(ev, '__proto__')!.value).toEqual({ errorCode: 'AccessDenied' });
    expect(Object.hasOwn(ev, 'constructor')).toBe(true);
    expect(ev.eventName).toBe('ConsoleLogin');
  });

  test('a struct rendered as text naming __proto__ keeps it as a field', () => {
    const row = JSON.parse(JSON.stringify([{ eventName: 'A' }, { userIdentity: '{__proto__=x, type=IAMUser}' }])) as unknown[];
    const ui = lakeRowToEvent(row)!.userIdentity as Record<string, unknown>;
    expect(ui.type).toBe('IAMUser');
    expect(Object.getOwnPropertyDescriptor(ui, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(ui)).toBe(Object.prototype);
  });

  test('parsed on this thread (the streaming path), the file leaves the next record as it is', () => {
    const bytes = Buffer.from(lakeFile([HOSTILE_ROW, PLAIN_ROW]));
    const packed = packBuffer(bytes, bytes.length, { maxLine: 1 << 20 });
    expect(packed.events).toBe(2);
    expect(inherited()).toEqual([undefined, undefined]);
  });
});

describe('imported, on the parse thread', () => {
  const c = timelineCase('hostile lake');

  test('the records after the hostile row, and the files after it, keep their own values', async () => {
    const dir = tempDir('lariat-hostile-lake-');
    fs.writeFileSync(path.join(dir, 'a-lake.json'), lakeFile([HOSTILE_ROW, PLAIN_ROW]));
    // A later file of the same import, parsed by the same thread: a successful call without errorCode.
    fs.writeFileSync(
      path.join(dir, 'b-trail.json'),
      JSON.stringify({
        Records: [
          {
            eventVersion: '1.08',
            eventTime: '2024-01-01T00:00:02Z',
            eventSource: 's3.amazonaws.com',
            eventName: 'ListBuckets',
            awsRegion: 'us-east-1',
            userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ana', accountId: '111122223333' },
            eventID: 'e3',
            recipientAccountId: '111122223333',
          },
        ],
      }),
    );
    const r = await c.t.imports.importPaths(c.caseNumber, [dir]);
    expect([r.imported, r.rejected]).toEqual([3, 0]);
    const events = c.t.events.query({ caseNumber: c.caseNumber, limit: 10 }).events;
    const byAction = Object.fromEntries(events.map((e) => [e.action, [e.errorCode, e.sourceIp]]));
    expect(byAction).toEqual({
      ConsoleLogin: [null, null],
      GetObject: [null, null],
      ListBuckets: [null, null],
    });
  });
});
