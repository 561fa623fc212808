import path from 'node:path';
import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineFeature } from '../timeline';
import type { ResponseFeature } from '../response';
import type { ActionRecord } from '../../common/contract/response';
import type { TimelineEvent } from '../../common/contract/timeline';
import { highlightRules } from '../timeline/highlights';
import type { AcquireReportSource, ReportSources } from './sources';
import type { ReportDetections, ResponseActionRow } from './report-data';
import type { AnalysisView } from '../../common/contract/analysis';

/** Every kind of action (EC2, credentials, role sessions, ...): its target named with its type, a release with what it undid. */
function toActionRow(a: ActionRecord): ResponseActionRow {
  const type = a.target && a.target.type !== 'ec2-instance' ? `${a.target.type} ` : '';
  const use = a.useCheck
    ? [
        {
          name: 'Still in use? CloudTrail LookupEvents since the containment',
          status: `${a.useCheck.calls} calls (${a.useCheck.denied} denied)`,
          at: a.useCheck.checkedAt,
          detail: `${a.useCheck.since} to ${a.useCheck.until}${a.useCheck.evidenceId != null ? `; evidence #${a.useCheck.evidenceId}` : ''}`,
        },
      ]
    : [];
  return {
    id: a.id,
    kind: a.releaseOf != null ? `${a.kind} of #${a.releaseOf}` : a.kind,
    target: `${type}${a.instanceId} (${a.region}${a.account ? `, ${a.account}` : ''})`,
    status: a.state,
    requestedBy: a.actor,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
    steps: a.steps
      .map((s) => ({
        name: `${s.title} — ${s.service}:${s.operation}`,
        status: s.state + (s.attempts > 1 ? ` after ${s.attempts} attempts` : ''),
        at: s.finishedAt ?? s.startedAt,
        detail: s.error ? `${s.error.message}` : summarise(s.result),
      }))
      .concat(use),
  };
}

function summarise(result: unknown): string {
  if (result === null || result === undefined) return '';
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}

/**
 * Binds report sources to the custody, timeline and response features. Each
 * getter reads through the feature's own services, never its tables, so the
 * report shows exactly what the feature's tabs show.
 */
export function bindSources(
  core: Core,
  custody: CustodyFeature,
  timeline: TimelineFeature,
  response: ResponseFeature,
  analysis: (caseNumber: string) => AnalysisView | null = () => null,
  detections: (caseNumber: string) => ReportDetections | null = () => null,
  acquire: AcquireReportSource = { acquisitions: () => null, cloudTrailValidation: () => null },
): ReportSources {
  return {
    currentInvestigator: () => custody.identity.current(),
    investigators: () => custody.identity.list(),
    signer: () => {
      const me = custody.identity.current();
      if (!me || !custody.identity.canSign(me.fingerprint)) return null;
      const s = custody.identity.signer();
      return { name: s.name, fingerprint: s.fingerprint, publicKeyPem: me.publicKeyPem, sign: (m) => s.sign(m) };
    },
    registerPublicKey: (k) => void custody.identity.addPublicKey({ name: k.name, publicKeyPem: k.publicKeyPem }),
    syncCustodyHead: (n) => custody.ledger.syncHead(n),
    vault: () => custody.evidence,
    evidence: (n) => custody.vault.list(n),
    evidenceFile: (item) => (item.vaultPath ? path.join(core.paths.vaultDir, item.vaultPath) : null),
    custodyEntries: (n) => custody.ledger.list(n),
    custodyCheckpoint: (n) => {
      try {
        return custody.ledger.checkpoint(n);
      } catch {
        return null;
      }
    },
    verifyCustody: (n) => custody.verify.verify(n),
    timeline: (n, scope, limit) => {
      type Filter = Omit<Parameters<typeof timeline.events.count>[0], 'caseNumber'>;
      const collect = (filter: Filter): TimelineEvent[] => {
        const events: TimelineEvent[] = [];
        let cursor: string | undefined;
        while (events.length < limit) {
          const page = timeline.events.query({
            caseNumber: n,
            ...filter,
            limit: Math.min(1000, limit - events.length),
            ...(cursor ? { cursor } : {}),
          });
          events.push(...page.events);
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        return events;
      };
      const count = (filter: Filter) => timeline.events.count({ caseNumber: n, ...filter }).count;
      if (scope !== 'notable') {
        const filter = scope === 'flagged' ? { flagged: true } : {};
        return { total: count(filter), events: collect(filter) };
      }
      // Notable: matched by a highlight rule, or flagged by the investigator (the union, in time order).
      const byId = new Map<number, TimelineEvent>();
      for (const e of [...collect({ highlight: 'any' }), ...collect({ flagged: true })]) byId.set(e.id, e);
      const events = [...byId.values()].sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.id - b.id).slice(0, limit);
      const total = count({ highlight: 'any' }) + count({ flagged: true }) - count({ highlight: 'any', flagged: true });
      return { total, events };
    },
    highlightRules: () => highlightRules,
    findings: (n) => timeline.findings.list(n),
    iocs: (n) => timeline.iocs.list(n),
    responseActions: (n) => response.response.list(n).map((a) => toActionRow(response.response.get(a.id))),
    analysis,
    detections,
    acquisitions: (n) => acquire.acquisitions(n),
    cloudTrailValidation: (n) => acquire.cloudTrailValidation(n),
  };
}
