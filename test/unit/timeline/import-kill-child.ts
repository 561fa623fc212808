// Child of import-kill.test.ts: imports one file into a case of an existing data folder, then exits.
// The parent SIGKILLs it part-way.
import { createServices } from '../../../main/services';

const [dataDir, caseNumber, file] = process.argv.slice(2) as [string, string, string];
const s = createServices({ dataDir, env: {} });
await s.timeline.imports.importPaths(caseNumber, [file]);
s.close();
console.log('finished');
