import type { AcquireReportSource } from '../reports/sources';
import type { AcquisitionRecord } from '../../common/contract/acquire';
import type { AcquireDeps } from './deps';
import { validateCase } from './validate/service';

/**
 * What a case report reads from the acquisition feature: every acquisition with its source in AWS's
 * terms, and the offline CloudTrail validation, computed without being logged (a report must not change
 * the case it describes). Null validation when no acquisition brought digests: there is nothing to prove.
 */
export function acquireReportSource(d: AcquireDeps): AcquireReportSource {
  return {
    acquisitions: (n) =>
      d.store.list(d.core.cases.require(n).id).map((a) => {
        const r = d.store.get(a.id);
        return {
          id: a.id,
          kind: a.kind,
          label: a.label,
          source: sourceOf(r),
          state: a.interrupted ? 'interrupted' : a.state,
          objects: a.objectsTotal ? `${a.objectsDone} of ${a.objectsTotal}` : '',
          evidenceIds: a.evidenceIds,
          at: a.updatedAt,
        };
      }),
    cloudTrailValidation: async (n) => {
      const c = d.core.cases.require(n);
      if (d.store.caseAcquisitions(c.id, 'bucket').length === 0) return null;
      const v = await validateCase(d, n, { record: false });
      return v.verdict === 'nothing-to-validate' ? null : v;
    },
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const list = (v: unknown): string => (Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : '');

/** Where an acquisition read from, from its exact request and what it recorded. */
export function sourceOf(a: Pick<AcquisitionRecord, 'kind' | 'request' | 'result'>): string {
  const q = a.request;
  const r = a.result;
  const via = str((q.via as { account?: unknown } | undefined)?.account);
  const suffix = via ? ` (via account ${via})` : '';
  switch (a.kind) {
    case 'bucket': {
      const bucket = str(q.bucket) ?? str(r.bucket);
      const prefix = str(q.prefix) ?? '';
      const trail = str(q.trail);
      const owners = Array.isArray(q.owners) ? list(q.owners.map((o: unknown) => (o as { account?: unknown }).account)) : '';
      const where = [owners && `accounts ${owners}`, list(q.regions) && `regions ${list(q.regions)}`].filter(Boolean);
      return `${bucket ? `s3://${bucket}/${prefix}` : 'S3'}${trail ? ` (trail ${trail})` : ''}${where.length ? `, ${where.join(', ')}` : ''}${suffix}`;
    }
    case 'lookup-events':
      return `cloudtrail:LookupEvents in ${list(q.regions) || 'the case regions'}`;
    case 'findings':
      return `guardduty:GetFindings, securityhub:GetFindings in ${list(q.regions) || 'the case regions'}`;
    case 'coverage':
      return 'cloudtrail:DescribeTrails, ec2:DescribeFlowLogs, guardduty:ListDetectors, securityhub:DescribeHub';
    case 'athena-setup':
    case 'athena-query': {
      const id = str(r.queryExecutionId);
      return `Athena${str(q.workgroup) ? ` workgroup ${str(q.workgroup)}` : ''}${id ? `, query ${id}` : ''}${suffix}`;
    }
  }
}
