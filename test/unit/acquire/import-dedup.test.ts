import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { importEvidence } from '../../../main/acquire/timeline-import';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';

let s: TestServices | undefined;
afterEach(() => s?.cleanup());

test('acquired logs that repeat records the case holds are de-duplicated from their vault copies (the acquisition importer knows the vault)', async () => {
  s = makeServices();
  ensureTestIdentity(s);
  const caseNumber = s.core.cases.create({ title: 'acquired twice', severity: 'low' }).number;
  // Two flow log files sharing one record: confirming the duplicate re-reads the held record from its vault copy.
  const line = '2 111122223333 eni-1 10.0.0.5 203.0.113.9 443 49152 6 10 840 1705312800 1705312860 ACCEPT OK';
  const dir = path.join(s.dataDir, 'acquired');
  fs.mkdirSync(dir, { recursive: true });
  const ids: number[] = [];
  for (const [name, text] of [
    ['a.log', `${line}\n`],
    ['b.log', `${line}\n${line.replace('840', '841')}\n`],
  ] as const) {
    fs.writeFileSync(path.join(dir, name), text);
    ids.push((await s.custody.evidence.importFile(caseNumber, path.join(dir, name), { description: `acquired ${name}` })).id);
  }
  const first = await importEvidence(s.acquire, caseNumber, [ids[0]!]);
  const second = await importEvidence(s.acquire, caseNumber, [ids[1]!]);
  expect([first.imported, second.imported, second.duplicates, second.rejected]).toEqual([1, 1, 1, 0]);
  expect(s.timeline.events.count({ caseNumber }).count).toBe(2);
});
