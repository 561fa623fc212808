import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineFeature } from '../timeline';
import type { ResponseFeature } from '../response';
import { realSleep, type Sleep } from '../aws/clients';
import type { AcquireDeps } from './deps';
import { AcquisitionStore } from './store';
import { InboxStore } from './findings/inbox-store';
import { VaultResidentEvidence } from './vault-resident';

/** Evidence acquisition from AWS (issue 18): everything the operations in ./operations.ts need. */
export type AcquireFeature = AcquireDeps;

/** Test seams: an instant sleep and poll interval so throttling retries and Athena polls do not slow tests. */
export interface AcquireOptions {
  sleep?: Sleep;
  pollMs?: number;
}

/**
 * Builds the feature. It imports what it acquires through its own instance
 * of the timeline's ImportService, built here, at start-up, beside the
 * timeline's own (constructing one rolls back imports a dead process left
 * running, which is only safe before any import of this process starts),
 * over an evidence API that knows which files are already in the vault.
 */
export function createAcquireFeature(
  core: Core,
  custody: CustodyFeature,
  timeline: TimelineFeature,
  response: ResponseFeature,
  options: AcquireOptions = {},
): AcquireFeature {
  const { db, clock, events } = core;
  const resident = new VaultResidentEvidence(custody.evidence);
  const importer = timeline.importerFor(resident);
  return {
    core,
    evidence: custody.vault,
    vault: custody.vault,
    importer,
    resident,
    findings: timeline.findings,
    identity: custody.identity,
    session: response.aws,
    store: new AcquisitionStore({ db, clock, events }),
    inbox: new InboxStore({ db, clock }),
    sleep: options.sleep ?? realSleep,
    pollMs: options.pollMs ?? 2000,
  };
}
