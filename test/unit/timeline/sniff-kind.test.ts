import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, expect, test } from 'vitest';
import { sniffKind } from '../../../main/timeline/import-support';
import { tempDir } from '../../helpers/services';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string | Buffer) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, body);
  return f;
};

test('a file is custody kind "finding" when its first 64 KiB hold a findings key and no CloudTrail event name', () => {
  expect(sniffKind(file('gd.json', JSON.stringify({ Findings: [{ Id: 'x' }] })))).toBe('finding');
  expect(sniffKind(file('sh.json', JSON.stringify({ SchemaVersion: '2018-10-08', Id: 'x' })))).toBe('finding');
  expect(sniffKind(file('ocsf.json', JSON.stringify({ findings: [] })))).toBe('finding');
  expect(sniffKind(file('lake.json', JSON.stringify({ schemaVersion: '1' })))).toBe('finding');
  // A CloudTrail record that names a findings key in its parameters stays a log export.
  expect(sniffKind(file('ct.json', JSON.stringify({ Records: [{ eventName: 'GetFindings', requestParameters: { Findings: [] } }] })))).toBe(
    'log-export',
  );
  expect(sniffKind(file('flow.log', 'version account-id interface-id\n2 1 eni-1\n'))).toBe('log-export');
  // Only as a key (quoted): a value or a word that spells it does not count.
  expect(sniffKind(file('word.json', JSON.stringify({ Records: [{ note: 'Findings' }] }).replace('"Findings"', 'Findings')))).toBe(
    'log-export',
  );
  // Past the first 64 KiB, a key is not looked for.
  expect(sniffKind(file('late.json', `${' '.repeat(70_000)}{"Findings":[]}`))).toBe('log-export');
  // Compressed: decided by the file's name.
  const gz = zlib.gzipSync(JSON.stringify({ Findings: [] }));
  expect([sniffKind(file('guardduty-1.json.gz', gz)), sniffKind(file('export-1.json.gz', gz))]).toEqual(['finding', 'log-export']);
});
