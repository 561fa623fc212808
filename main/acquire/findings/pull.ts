import { AppError } from '../../core/errors';
import type { JobContext } from '../../jobs/job-service';
import type { AwsClients } from '../../aws/clients';
import type { FindingSeverity, FindingSource, PullFindingsInput, PullFindingsResult } from '../../../common/contract/acquire';
import type { AcquireDeps } from '../deps';
import { AccountAccess } from '../accounts';
import type { InboxFinding } from './inbox-store';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** GuardDuty's severity bands (Low 1.0-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0). */
function guardDutyLabel(score: number): FindingSeverity {
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : score >= 1 ? 'low' : 'informational';
}
const GD_MIN: Record<FindingSeverity, number> = { informational: 0, low: 1, medium: 4, high: 7, critical: 9 };
const SH_LABELS: FindingSeverity[] = ['informational', 'low', 'medium', 'high', 'critical'];

/** The resource a GuardDuty finding is about, as an investigator searches for it. */
function guardDutyResource(r: Obj): string | null {
  const res = obj(r.Resource);
  return (
    str(obj(res.InstanceDetails).InstanceId) ??
    str(obj(res.AccessKeyDetails).AccessKeyId) ??
    str(obj(res.AccessKeyDetails).UserName) ??
    str(obj((res.S3BucketDetails as unknown[] | undefined)?.[0]).Name) ??
    str(obj(res.EksClusterDetails).Name) ??
    str(res.ResourceType)
  );
}

export function summariseGuardDuty(f: Obj, account: string, region: string): InboxFinding {
  const score = typeof f.Severity === 'number' ? f.Severity : Number(f.Severity ?? 0);
  return {
    source: 'guardduty',
    findingId: str(f.Id) ?? 'unknown',
    account: str(f.AccountId) ?? account,
    region: str(f.Region) ?? region,
    type: str(f.Type) ?? 'unknown',
    title: str(f.Title) ?? str(f.Type) ?? 'GuardDuty finding',
    severityLabel: guardDutyLabel(score),
    severityScore: Math.round(score * 10),
    resource: guardDutyResource(f),
    firstSeen: str(obj(f.Service).EventFirstSeen) ?? str(f.CreatedAt),
    lastSeen: str(obj(f.Service).EventLastSeen) ?? str(f.UpdatedAt),
    awsUpdatedAt: str(f.UpdatedAt),
    raw: f,
  };
}

export function summariseSecurityHub(f: Obj, account: string, region: string): InboxFinding {
  const sev = obj(f.Severity);
  const label = (str(sev.Label)?.toLowerCase() ?? 'informational') as FindingSeverity;
  const resources = Array.isArray(f.Resources) ? (f.Resources as unknown[]) : [];
  return {
    source: 'securityhub',
    findingId: str(f.Id) ?? 'unknown',
    account: str(f.AwsAccountId) ?? account,
    region: str(f.Region) ?? region,
    type: (Array.isArray(f.Types) ? str(f.Types[0]) : null) ?? str(f.GeneratorId) ?? 'unknown',
    title: str(f.Title) ?? 'Security Hub finding',
    severityLabel: SH_LABELS.includes(label) ? label : 'informational',
    severityScore: typeof sev.Normalized === 'number' ? sev.Normalized : SH_LABELS.indexOf(label) * 25,
    resource: str(obj(resources[0]).Id),
    firstSeen: str(f.FirstObservedAt) ?? str(f.CreatedAt),
    lastSeen: str(f.LastObservedAt) ?? str(f.UpdatedAt),
    awsUpdatedAt: str(f.UpdatedAt),
    raw: f,
  };
}

async function pullGuardDuty(
  clients: AwsClients,
  account: string,
  region: string,
  input: PullFindingsInput,
  signal?: AbortSignal,
): Promise<InboxFinding[]> {
  const out: InboxFinding[] = [];
  const criterion: Obj = {};
  if (input.severity && input.severity !== 'informational') criterion.severity = { Gte: GD_MIN[input.severity] };
  if (input.types?.length) criterion.type = { Eq: input.types };
  if (input.window) criterion.updatedAt = { Gte: Date.parse(input.window.from), Lte: Date.parse(input.window.to) };
  let detToken: string | undefined;
  do {
    const dets = await clients.call<{ DetectorIds?: string[]; NextToken?: string }>(
      'guardduty',
      region,
      'ListDetectors',
      detToken ? { NextToken: detToken } : {},
      {
        signal,
        context: `${account} ${region}`,
      },
    );
    for (const detectorId of dets.DetectorIds ?? []) {
      let token: string | undefined;
      do {
        const page = await clients.call<{ FindingIds?: string[]; NextToken?: string }>(
          'guardduty',
          region,
          'ListFindings',
          {
            DetectorId: detectorId,
            MaxResults: 50,
            ...(Object.keys(criterion).length ? { FindingCriteria: { Criterion: criterion } } : {}),
            ...(token ? { NextToken: token } : {}),
          },
          { signal, context: `${account} ${region} detector ${detectorId}` },
        );
        const ids = page.FindingIds ?? [];
        if (ids.length) {
          const got = await clients.call<{ Findings?: Obj[] }>(
            'guardduty',
            region,
            'GetFindings',
            { DetectorId: detectorId, FindingIds: ids },
            { signal },
          );
          for (const f of got.Findings ?? []) out.push(summariseGuardDuty(f, account, region));
        }
        token = page.NextToken || undefined;
      } while (token);
    }
    detToken = dets.NextToken || undefined;
  } while (detToken);
  return out;
}

async function pullSecurityHub(
  clients: AwsClients,
  account: string,
  region: string,
  input: PullFindingsInput,
  withGuardDuty: boolean,
  signal?: AbortSignal,
): Promise<InboxFinding[]> {
  const filters: Obj = { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] };
  if (input.severity)
    filters.SeverityLabel = SH_LABELS.slice(SH_LABELS.indexOf(input.severity)).map((l) => ({
      Value: l.toUpperCase(),
      Comparison: 'EQUALS',
    }));
  if (input.types?.length) filters.Type = input.types.map((t) => ({ Value: t, Comparison: 'PREFIX' }));
  if (input.resource) filters.ResourceId = [{ Value: input.resource, Comparison: 'EQUALS' }];
  if (input.window) filters.UpdatedAt = [{ Start: input.window.from, End: input.window.to }];
  // GuardDuty findings are pulled from GuardDuty itself; Security Hub's copies would count them twice.
  if (withGuardDuty) filters.ProductName = [{ Value: 'GuardDuty', Comparison: 'NOT_EQUALS' }];
  const out: InboxFinding[] = [];
  let token: string | undefined;
  do {
    const page = await clients.call<{ Findings?: Obj[]; NextToken?: string }>(
      'securityhub',
      region,
      'GetFindings',
      { Filters: filters, MaxResults: 100, ...(token ? { NextToken: token } : {}) },
      { signal, context: `${account} ${region}` },
    );
    for (const f of page.Findings ?? []) out.push(summariseSecurityHub(f, account, region));
    token = page.NextToken || undefined;
  } while (token);
  return out;
}

/** GuardDuty's ListFindings cannot filter on every kind of resource; the resource filter is applied to the JSON. */
function mentions(f: InboxFinding, resource: string): boolean {
  return f.resource === resource || JSON.stringify(f.raw).includes(resource);
}

/**
 * Pulls GuardDuty (ListDetectors, ListFindings, GetFindings) and Security
 * Hub (GetFindings) findings of every account and region into the inbox,
 * filtered by minimum severity, type, resource and update time. A region
 * where a service is off or refused is reported in `places`, not fatal,
 * unless every place failed (then the first error, naming its IAM action).
 */
export async function pullFindings(d: AcquireDeps, input: PullFindingsInput, job?: JobContext): Promise<PullFindingsResult> {
  const caseRecord = input.caseNumber ? d.core.cases.get(input.caseNumber) : null;
  const regions = input.regions ?? caseRecord?.regions ?? [];
  if (regions.length === 0)
    throw new AppError(
      'no-regions',
      `Case ${input.caseNumber} has no regions in scope.`,
      'Give regions with --region, or add them to the case.',
    );
  const sources: FindingSource[] = input.sources ?? ['guardduty', 'securityhub'];
  const scope = input.scope ?? (caseRecord?.accounts.length ? { accounts: caseRecord.accounts } : undefined);
  const access = new AccountAccess({ session: d.session, sleep: d.sleep });
  const result: PullFindingsResult = { pulled: 0, new: 0, updated: 0, places: [] };
  let firstError: AppError | null = null;
  try {
    const targets = await access.resolve(scope);
    const total = targets.length * regions.length * sources.length;
    for (const t of targets)
      for (const region of regions)
        for (const source of sources) {
          job?.throwIfCancelled();
          if (!t.clients) {
            result.places.push({ account: t.account, region, source, found: 0, error: t.error });
            continue;
          }
          try {
            let found =
              source === 'guardduty'
                ? await pullGuardDuty(t.clients, t.account, region, input, job?.signal)
                : await pullSecurityHub(t.clients, t.account, region, input, sources.includes('guardduty'), job?.signal);
            if (input.resource) found = found.filter((f) => mentions(f, input.resource!));
            const counts = d.inbox.upsert(found);
            result.pulled += found.length;
            result.new += counts.new;
            result.updated += counts.updated;
            result.places.push({ account: t.account, region, source, found: found.length, error: null });
          } catch (err) {
            if (!(err instanceof AppError) || err.code === 'cancelled') throw err;
            firstError ??= err;
            result.places.push({ account: t.account, region, source, found: 0, error: `${err.message} ${err.hint}` });
          }
          job?.progress(result.places.length, total, `${result.pulled} findings`);
        }
  } finally {
    access.destroy();
  }
  if (firstError && result.places.every((p) => p.error)) throw firstError;
  if (caseRecord) {
    const c = d.core.cases.require(caseRecord.number);
    const id = d.store.insert({
      caseId: c.id,
      kind: 'findings',
      label: `Findings pulled from ${regions.join(', ')}`,
      request: input,
      actor: d.core.actor().name,
      state: 'done',
    });
    d.store.mergeResult(id, { ...result });
  }
  return result;
}
