import type { Core } from '../core/core';
import type { AwsSession } from '../aws/session';
import { AppError, toErrorInfo } from '../core/errors';
import type { TimelineApi } from '../timeline/api';
import type { ActionRecord } from '../../common/contract/response';
import type { EvidenceItem } from '../../common/contract/custody';
import type { TimelineEvent } from '../../common/contract/timeline';
import type { IncidentSyncReport } from '../../common/contract/incidents';
import { Outbox } from './outbox';
import { SyncStore, installationId } from './sync-store';
import { assetItems, evidenceItems, flaggedItems, runbookItems, stepItems } from './owed-items';
import { pullTimeline } from './pull';
import { pushRelatedItems, pushTimeline, type IncidentRef } from './push';
import { syncRecord } from './record-sync';
import { readEngagements } from './engagements';
import { explainMissingIncidentManager, maybeNotSetUp } from './probe';
import { syncView } from './sync-view';
import { withCaseLock } from './case-lock';
import type { JobContext } from '../jobs/job-service';

/** What the full sync reads from the case to know what the incident is owed. */
export interface SyncSources {
  flaggedEvents(caseNumber: string): TimelineEvent[];
  actions(caseNumber: string): ActionRecord[];
  evidence(caseNumber: string): EvidenceItem[];
  runbookRuns(caseNumber: string): {
    id: number;
    documentName: string;
    steps: { stepExecutionId: string; name: string; status: string; endedAt: string | null; startedAt: string | null }[];
  }[];
}

export interface SyncDeps {
  core: Core;
  session: AwsSession;
  /** Absent for the quick push after a response action (the response feature has no timeline writer). */
  timeline?: TimelineApi;
  sources?: SyncSources;
}

/** Waits 30 s after the first failure, doubling up to 30 minutes: retries without hammering a missing service. */
export function nextRetry(now: Date, failures: number): string {
  return new Date(now.getTime() + Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, failures - 1))).toISOString();
}

/**
 * One sync of a linked case with its incident. Stages, in order: queue what
 * is owed; status and impact both ways; pull the incident's timeline (which
 * also settles any item whose reply was lost); push owed timeline events;
 * add owed related items; read engagements and pages. A failure stops the
 * sync where it is, records the problem and when to retry; nothing sent is
 * ever sent twice (dedupe keys, `unknown` items looked for first, client
 * tokens). `quick` (after a response action) only pushes items never tried.
 */
export async function runSync(
  deps: SyncDeps,
  caseNumber: string,
  extra: { action?: ActionRecord; quick?: boolean; job?: JobContext } = {},
): Promise<IncidentSyncReport> {
  const { core } = deps;
  const caseRow = core.cases.requireWritable(caseNumber);
  const store = new SyncStore(core.db);
  const outbox = new Outbox(core.db);
  const row0 = store.ensureRow(caseRow.id);
  if (!row0)
    throw new AppError(
      'incident-not-linked',
      `${caseNumber} is not linked to an Incident Manager incident.`,
      'Start one (`lariat incident start --case ...`) or open an incident as a case from the Plans page; without one, the case works locally.',
    );
  const ref: IncidentRef = { caseId: caseRow.id, arn: row0.incident_arn, region: row0.region };
  return withCaseLock(`${core.db.name}:${caseRow.id}`, async () => {
    const report: IncidentSyncReport = {
      view: syncView(store, outbox, caseRow.id, caseNumber),
      pushedEvents: 0,
      reconciledEvents: 0,
      pulledEvents: 0,
      relatedItemsAdded: 0,
      remoteChanges: [],
      localChangesSent: [],
    };
    const install = installationId(core.settings);
    const now = () => core.clock.now();
    outbox.enqueue(caseRow.id, owedItems(deps, install, caseNumber, extra.action), now().toISOString());
    store.patch(caseRow.id, { last_attempt_at: now().toISOString() });
    let stage = 'connect';
    let done = 0;
    const at = (name: string) => {
      stage = name;
      extra.job?.progress(done++, 6, name);
    };
    try {
      const clients = await deps.session.clients();
      const push = { clients, outbox, clock: core.clock };
      if (!extra.quick && deps.timeline) {
        at('status and impact');
        const row = store.row(caseRow.id)!;
        const rec = await syncRecord(clients, ref, row, now().toISOString()).catch((err: unknown) =>
          maybeNotSetUp(err) ? explainMissingIncidentManager(clients, ref.region, err) : Promise.reject(err),
        );
        const timeline = deps.timeline;
        core.db.transaction(() => {
          store.patch(caseRow.id, rec.patch);
          if (rec.notes.length) timeline.appendEvents(caseNumber, rec.notes);
        })();
        report.remoteChanges = rec.remoteChanges;
        report.localChangesSent = rec.localChangesSent;
        at('pull timeline');
        const pulled = await pullTimeline({ clients, outbox, store, timeline, db: core.db, clock: core.clock }, ref, caseNumber);
        report.pulledEvents = pulled.pulled;
        report.reconciledEvents = pulled.reconciled;
      }
      at('push timeline');
      report.pushedEvents = await pushTimeline(push, ref, !extra.quick && Boolean(deps.timeline));
      if (!extra.quick) {
        at('related items');
        report.relatedItemsAdded = await pushRelatedItems(push, ref);
        at('engagements');
        const engagements = await readEngagements(clients, ref.region, ref.arn);
        store.patch(caseRow.id, { engagements: JSON.stringify(engagements) });
      }
      store.patch(caseRow.id, {
        problem: null,
        failures: 0,
        next_retry_at: null,
        ...(extra.quick ? {} : { last_success_at: now().toISOString() }),
      });
      core.activity.record({
        caseId: caseRow.id,
        action: extra.quick ? 'incident.pushed' : 'incident.synced',
        entity: 'incident',
        entityId: ref.arn,
        details: {
          pushed: report.pushedEvents,
          reconciled: report.reconciledEvents,
          pulled: report.pulledEvents,
          relatedItems: report.relatedItemsAdded,
          remoteChanges: report.remoteChanges,
          localChangesSent: report.localChangesSent,
        },
      });
    } catch (err) {
      const info = toErrorInfo(err);
      const failures = (store.row(caseRow.id)?.failures ?? 0) + 1;
      store.patch(caseRow.id, { problem: JSON.stringify({ ...info, stage }), failures, next_retry_at: nextRetry(now(), failures) });
      core.activity.record({
        caseId: caseRow.id,
        action: 'incident.sync-failed',
        entity: 'incident',
        entityId: ref.arn,
        details: { stage, code: info.code, reason: info.message },
      });
    }
    core.events.emit('caseChanged', { caseNumber, what: 'incident' });
    report.view = syncView(store, outbox, caseRow.id, caseNumber);
    return report;
  });
}

function owedItems(deps: SyncDeps, install: string, caseNumber: string, action?: ActionRecord) {
  const timeline = (action ? stepItems(install, caseNumber, action) : []).map((o) => ({ ...o, kind: 'timeline-event' as const }));
  const s = deps.sources;
  if (!s) return timeline;
  return [
    ...timeline,
    ...s.actions(caseNumber).flatMap((a) => stepItems(install, caseNumber, a).map((o) => ({ ...o, kind: 'timeline-event' as const }))),
    ...runbookItems(install, caseNumber, s.runbookRuns(caseNumber)).map((o) => ({ ...o, kind: 'timeline-event' as const })),
    ...flaggedItems(install, caseNumber, s.flaggedEvents(caseNumber)).map((o) => ({ ...o, kind: 'timeline-event' as const })),
    ...assetItems(install, caseNumber, deps.core.assets.list(caseNumber)).map((o) => ({ ...o, kind: 'related-item' as const })),
    ...evidenceItems(install, caseNumber, s.evidence(caseNumber)).map((o) => ({ ...o, kind: 'related-item' as const })),
  ];
}
