import path from 'node:path';
import fs from 'node:fs';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { CustodyFeature } from '../custody';
import type { CaseRecord } from '../../common/contract/cases';
import type { ImportReport } from '../../common/contract/timeline';
import type { ImportService } from './import-service';

/** Name of the identity `lariat demo` creates when none exists; says plainly it is not a person. */
export const DEMO_IDENTITY = 'Demo investigator (not a real person)';

/**
 * Creates a case from the public samples shipped in resources/demo, so a
 * newcomer without AWS sees Lariat working. Custody entries need a signer:
 * without an investigator identity, a clearly labelled demo identity is made.
 * That identity can sign only in the case made here (marked `demo`; enforced by
 * CaseService.requireWritable and, whatever the code path, by migration 014's
 * trigger), so a real case is never signed by someone who is not a person.
 */
export async function createDemoCase(
  core: Core,
  custody: CustodyFeature,
  imports: ImportService,
): Promise<{ caseRecord: CaseRecord; report: ImportReport }> {
  const dir = path.join(core.paths.resourcesDir, 'demo');
  if (!fs.existsSync(dir)) {
    throw new AppError(
      'demo-missing',
      `The demo data folder ${dir} is missing.`,
      'Reinstall Lariat; the demo samples ship in its resources folder.',
    );
  }
  if (custody.identity && !custody.identity.current()) {
    custody.identity.create({ name: DEMO_IDENTITY, role: 'demo', organisation: 'Lariat demo' }, { demo: true });
  }
  const caseRecord = core.cases.create(
    {
      title: 'Demo: compromised root credentials, SSRF and S3 exfiltration',
      severity: 'high',
      tlp: 'clear',
      tags: ['demo'],
      summary:
        'A demo case built from public samples (Panther, OTRF Security-Datasets, GuardDuty-SOAR, AWS Solutions) shipped with Lariat. ' +
        'Try the Timeline tab: pick a highlight rule, click a source IP to pivot, or press / and search for "pedro".',
    },
    { demo: true },
  );
  // Panther's samples are detection-rule test cases that reuse made-up eventIDs ("1", "1111") for
  // different events; every sample is shown, so this case keeps what de-duplication would skip.
  imports.setSettings(caseRecord.number, true);
  const report = await core.jobs.run(
    { kind: 'timeline-import', label: `Import demo data into ${caseRecord.number}`, caseNumber: caseRecord.number, unit: 'bytes' },
    (ctx) => imports.importPaths(caseRecord.number, [dir], ctx),
  );
  return { caseRecord, report };
}
