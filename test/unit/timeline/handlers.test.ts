import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { createPreloadHandlers } from '../../../main/ipc/handlers';
import type { FileRef } from '../../../common/contract';
import { ScriptedDialogs } from '../../../main/core/dialogs';
import type { ImportReport } from '../../../common/contract/timeline';
import { SHARED } from './fake-evidence';

let s: TestServices;
afterEach(() => s.cleanup());

const nextImport = (svc: TestServices) =>
  new Promise<ImportReport>((resolve) => {
    const off = svc.core.events.subscribe((name, payload) => {
      if (name === 'timelineImported') {
        off();
        resolve(payload as ImportReport);
      }
    });
  });

test('the files chosen in the dialog import, as a job, and reports by event', async () => {
  const dialogs = new ScriptedDialogs();
  s = makeServices({ dialogs });
  ensureTestIdentity(s);
  const caseNumber = s.core.cases.create({ title: 'picker', severity: 'low' }).number;
  expect(await s.handlers.chooseFiles({ purpose: 'timeline', caseNumber })).toEqual({ files: [] });
  dialogs.openQueue.push([path.join(SHARED, 'guardduty', 'blu371ck-samples', 'Recon-EC2-Portscan.json')]);
  const done = nextImport(s);
  const { files } = await s.handlers.chooseFiles({ purpose: 'timeline', caseNumber });
  const { jobId } = await s.handlers.importLogs({ caseNumber, files: files.map((f) => f.token) });
  expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
  const report = await done;
  expect([report.imported, report.files[0]!.format]).toEqual([1, 'guardduty']);
  await new Promise((r) => setImmediate(r));
  expect(s.core.jobs.list().find((j) => j.id === jobId)?.state).toBe('done');
  expect((await s.handlers.listFindings({ caseNumber })).map((f) => f.type)).toEqual(['Recon:EC2/Portscan']);
  expect((await s.handlers.listImports({ caseNumber }))[0]).toMatchObject({ imported: 1, duplicate: false });
});

test('dropped files import through importLogs; a missing path is refused with a hint', async () => {
  s = makeServices();
  ensureTestIdentity(s);
  const caseNumber = s.core.cases.create({ title: 'drop', severity: 'low' }).number;
  const done = nextImport(s);
  const preload = createPreloadHandlers(s);
  // Main asks the investigator to confirm dropped paths (a native dialog; the stand-in answers yes), so granting is async.
  const drop = async (paths: string[]) => ((await preload.grantDroppedFiles({ paths })) as { files: FileRef[] }).files.map((f) => f.token);
  await s.handlers.importLogs({ caseNumber, files: await drop([path.join(SHARED, 'cloudtrail', 'otrf')]) });
  expect((await done).imported).toBe(103);
  const missing = await drop(['/nonexistent/x.json']);
  expect(() => s.handlers.importLogs({ caseNumber, files: missing })).toThrow(/does not exist/);
  expect((await s.handlers.listHighlightRules({})).every((r) => r.explanation.length > 20)).toBe(true);
});
