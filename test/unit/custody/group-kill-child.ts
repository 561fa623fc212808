// Child process for group-kill.test.ts: stages the given files and commits them as one group, then SIGKILLs
// itself inside the group's transaction, after the copies were renamed into the vault and before the commit:
// the window a laptop dying mid-import leaves. Run with `node --import tsx group-kill-child.ts DATA_DIR CASE FILE...`.
import { createServices } from '../../../main/services';

const [dataDir, caseNumber, ...files] = process.argv.slice(2) as [string, string, ...string[]];
const { custody } = createServices({ dataDir, env: {} });
const staged = [];
for (const f of files) staged.push(await custody.evidence.stageFile(caseNumber, f));
custody.evidence.commitStagedBatch(
  caseNumber,
  staged.map((st) => ({ staged: st, meta: { description: st.source, action: 'imported' as const } })),
  () => {
    process.stdout.write('inside\n');
    process.kill(process.pid, 'SIGKILL');
  },
);
process.stdout.write('committed\n');
