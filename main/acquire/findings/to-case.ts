import type { InboxCaseResult } from '../../../common/contract/acquire';
import type { AcquireDeps } from '../deps';
import { importEvidence } from '../timeline-import';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/**
 * Attaches an inbox finding to a case: the finding JSON as AWS returned it
 * is acquired as evidence (`{"Findings":[...]}`, kind `finding`, custody
 * entry naming the service, account, region and finding id), imported into
 * the case timeline, and then, as the existing finding-to-case flow does, its
 * resources become assets and its indicators IOCs.
 */
export async function attachInboxFinding(d: AcquireDeps, inboxId: number, caseNumber: string): Promise<InboxCaseResult> {
  d.core.cases.requireWritable(caseNumber);
  const item = d.inbox.get(inboxId);
  const raw = d.inbox.raw(inboxId);
  const service = item.source === 'guardduty' ? 'GuardDuty' : 'Security Hub';
  const call = item.source === 'guardduty' ? 'guardduty:GetFindings' : 'securityhub:GetFindings';
  const safeId = item.findingId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-80);
  const ev = await d.evidence.importBytes(
    caseNumber,
    `${item.source}-finding-${safeId}.json`,
    Buffer.from(`${JSON.stringify({ Findings: [raw] }, null, 2)}\n`),
    {
      kind: 'finding',
      description: `${service} finding ${item.type}: ${item.title}`,
      source: { account: item.account, region: item.region, resource: item.findingId },
      acquisition: {
        tool: `Lariat ${d.core.version}`,
        method: `${call} (pulled into the findings inbox ${item.pulledAt}; JSON as returned by AWS)`,
      },
    },
  );
  await importEvidence(d, caseNumber, [ev.id]);
  const row = d.findings.list(caseNumber).find((f) => f.source === item.source && f.findingId === item.findingId);
  if (row) d.findings.addAssets(caseNumber, row.id);
  const updated = d.inbox.addCase(inboxId, caseNumber, d.core.actor().name);
  const c = d.core.cases.require(caseNumber);
  d.core.activity.record({
    caseId: c.id,
    action: 'finding.acquired',
    entity: 'evidence',
    entityId: ev.id,
    details: { source: item.source, findingId: item.findingId, inboxId },
  });
  return { item: updated, case: d.core.cases.get(caseNumber), evidenceId: ev.id };
}

/** Opens a case from an inbox finding (title, severity, account and region from the finding), then attaches it. */
export async function openCaseFromInbox(d: AcquireDeps, inboxId: number, title?: string): Promise<InboxCaseResult> {
  const item = d.inbox.get(inboxId);
  d.identity.requireCurrent();
  const created = d.core.cases.create({
    title: (title ?? item.title).slice(0, 200),
    severity: item.severityLabel === 'informational' ? 'low' : item.severityLabel,
    summary: `Opened from ${item.source === 'guardduty' ? 'GuardDuty' : 'Security Hub'} finding ${item.findingId} (${item.type}) in account ${item.account}, ${item.region}.`,
    accounts: /^\d{12}$/.test(item.account) ? [item.account] : [],
    regions: REGION.test(item.region) ? [item.region] : [],
  });
  return attachInboxFinding(d, inboxId, created.number);
}
