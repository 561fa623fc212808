// Child process for kill.test.ts: imports files and appends custody entries in
// a loop until it is killed. Run with `node --import tsx kill-child.ts DATA_DIR CASE`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createServices } from '../../../main/services';

const [dataDir, caseNumber] = process.argv.slice(2) as [string, string];
const { custody } = createServices({ dataDir, env: {} });
const inbox = path.join(dataDir, `inbox-${process.pid}`);
fs.mkdirSync(inbox, { recursive: true });

for (let i = 0; ; i++) {
  const file = path.join(inbox, `f${i}.bin`);
  const bytes = Buffer.alloc(16 * 1024 * 1024 + i);
  crypto.randomFillSync(bytes, 0, 4096);
  fs.writeFileSync(file, bytes);
  const item = await custody.evidence.importFile(caseNumber, file, {});
  custody.evidence.recordCustody(caseNumber, { evidenceId: item.id, action: 'accessed', purpose: `loop ${i}` });
  custody.evidence.recordCustody(caseNumber, { evidenceId: null, action: 'note', purpose: `loop ${i}` });
  process.stdout.write(`done ${i}\n`);
}
