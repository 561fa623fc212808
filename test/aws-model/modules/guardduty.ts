import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { AwsModel } from '../model';
import { h, type CallContext, type ModelModule } from '../types';
import { pageOf } from './finding-pages';

/** A GuardDuty finding as GetFindings returns it (the fields Lariat reads, plus what a real one carries). */
export interface GuardDutyFinding {
  Id: string;
  Arn: string;
  AccountId: string;
  Region: string;
  Partition: 'aws';
  SchemaVersion: '2.0';
  Type: string;
  Title: string;
  Description: string;
  Severity: number;
  /** ISO-8601, as GuardDuty sends them (strings, not timestamps). */
  CreatedAt: string;
  UpdatedAt: string;
  Resource: Record<string, unknown>;
  Service: {
    ServiceName: 'guardduty';
    DetectorId: string;
    Archived: boolean;
    Count: number;
    EventFirstSeen: string;
    EventLastSeen: string;
  };
}

export interface GuardDutyState {
  /** Detector id → status. At most one detector per account and region, as AWS allows. */
  detectors: Record<string, { Status: 'ENABLED' | 'DISABLED'; CreatedAt: string; UpdatedAt: string }>;
  findings: GuardDutyFinding[];
  /** Most finding ids per ListFindings page (AWS may answer fewer than MaxResults); small in tests to force pages. */
  pageLimit: number;
}

/** The criterion fields Lariat's inbox uses, and `service.archived` (GuardDuty's console default). Others are refused. */
const FIELDS = ['severity', 'type', 'updatedAt', 'service.archived'] as const;
type Condition = { Eq?: string[]; Neq?: string[]; Gte?: number; Gt?: number; Lte?: number; Lt?: number };

function matches(f: GuardDutyFinding, field: string, c: Condition): boolean {
  const value: string | number =
    field === 'severity'
      ? f.Severity
      : field === 'type'
        ? f.Type
        : field === 'updatedAt'
          ? Date.parse(f.UpdatedAt)
          : String(f.Service.Archived);
  if (c.Eq && !c.Eq.includes(String(value))) return false;
  if (c.Neq?.includes(String(value))) return false;
  const n = Number(value);
  if (c.Gte !== undefined && !(n >= c.Gte)) return false;
  if (c.Gt !== undefined && !(n > c.Gt)) return false;
  if (c.Lte !== undefined && !(n <= c.Lte)) return false;
  if (c.Lt !== undefined && !(n < c.Lt)) return false;
  return true;
}

function detector(ctx: CallContext<GuardDutyState>, id: string | undefined) {
  const d = id ? ctx.state.detectors[id] : undefined;
  if (!d)
    return ctx.error(
      'BadRequestException',
      `The request is rejected because the input detectorId is not owned by the current account.`,
      400,
    );
  return d;
}

/**
 * Amazon GuardDuty (regional): detectors and their findings. ListDetectors
 * and ListFindings page with a NextToken bound to the request (ListFindings
 * at most 50 ids, fewer when `pageLimit` says so; criteria on severity, type,
 * updatedAt and service.archived; newest update first), GetFindings up to 50
 * ids (unknown ids left out, as AWS does). A disabled detector still lists
 * and returns its findings; GetDetector says DISABLED. Throttling is
 * GuardDuty's 429 TooManyRequestsException. Reads only: Lariat never
 * archives or changes a GuardDuty finding. Seed with `seedDetector` and
 * `putGuardDutyFinding`; `updateGuardDutyFinding` is GuardDuty seeing the
 * activity again (same id, UpdatedAt and Count move).
 */
export const guardduty: ModelModule<GuardDutyState> = {
  name: 'guardduty',
  service: 'guardduty',
  client: GuardDutyClient,
  scope: 'regional',
  throttlingCode: 'TooManyRequestsException',
  initial: () => ({ detectors: {}, findings: [], pageLimit: 50 }),
  handlers: {
    ListDetectors: h<{ MaxResults?: number; NextToken?: string }, GuardDutyState>((i, ctx) => {
      const ids = Object.keys(ctx.state.detectors).sort();
      const page = pageOf(
        ctx,
        ids,
        { max: i.MaxResults, allowed: 50, limit: 50, token: i.NextToken, request: 'detectors' },
        'BadRequestException',
      );
      return { DetectorIds: page.items, NextToken: page.next ?? '' };
    }),
    GetDetector: h<{ DetectorId?: string }, GuardDutyState>((i, ctx) => {
      const d = detector(ctx, i.DetectorId);
      return {
        Status: d.Status,
        CreatedAt: d.CreatedAt,
        UpdatedAt: d.UpdatedAt,
        FindingPublishingFrequency: 'SIX_HOURS',
        ServiceRole: `arn:aws:iam::${ctx.account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
      };
    }),
    ListFindings: h<
      {
        DetectorId?: string;
        FindingCriteria?: { Criterion?: Record<string, Condition> };
        MaxResults?: number;
        NextToken?: string;
      },
      GuardDutyState
    >((i, ctx) => {
      detector(ctx, i.DetectorId);
      const criterion = i.FindingCriteria?.Criterion ?? {};
      const unknown = Object.keys(criterion).find((k) => !(FIELDS as readonly string[]).includes(k));
      if (unknown)
        return ctx.error('BadRequestException', `The request is rejected because the criterion field ${unknown} is invalid.`, 400);
      const ids = ctx.state.findings
        .filter((f) => f.Service.DetectorId === i.DetectorId && Object.entries(criterion).every(([k, c]) => matches(f, k, c)))
        .sort((a, b) => b.UpdatedAt.localeCompare(a.UpdatedAt) || a.Id.localeCompare(b.Id))
        .map((f) => f.Id);
      const request = JSON.stringify([i.DetectorId, criterion]);
      const page = pageOf(
        ctx,
        ids,
        { max: i.MaxResults, allowed: 50, limit: ctx.state.pageLimit, token: i.NextToken, request },
        'BadRequestException',
      );
      return { FindingIds: page.items, NextToken: page.next ?? '' };
    }),
    GetFindings: h<{ DetectorId?: string; FindingIds?: string[] }, GuardDutyState>((i, ctx) => {
      detector(ctx, i.DetectorId);
      const ids = i.FindingIds ?? [];
      if (ids.length === 0 || ids.length > 50)
        return ctx.error('BadRequestException', 'The request is rejected because findingIds must have between 1 and 50 items.', 400);
      const found = ids.flatMap((id) => ctx.state.findings.filter((f) => f.Id === id && f.Service.DetectorId === i.DetectorId));
      return { Findings: structuredClone(found) };
    }),
  },
};

/** A detector in `account:region` (the model's own account by default). */
export function seedDetector(model: AwsModel, region: string, status: 'ENABLED' | 'DISABLED' = 'ENABLED', account?: string): string {
  const s = model.slice<GuardDutyState>('guardduty', region, account);
  const id = `${(account ?? 'own').slice(-4)}${region.replace(/-/g, '')}detector`.padEnd(32, '0').slice(0, 32);
  s.detectors[id] = { Status: status, CreatedAt: '2026-01-01T00:00:00.000Z', UpdatedAt: '2026-01-01T00:00:00.000Z' };
  return id;
}

/** Adds a finding to the region's detector (seed it first). */
export function putGuardDutyFinding(
  model: AwsModel,
  region: string,
  f: { id: string; type: string; severity: number; updatedAt: string; instanceId?: string; accessKeyId?: string; account?: string },
): GuardDutyFinding {
  const s = model.slice<GuardDutyState>('guardduty', region, f.account);
  const detectorId = Object.keys(s.detectors)[0];
  if (!detectorId) throw new Error(`seed a detector in ${region} first`);
  const account = f.account ?? model.account;
  const finding: GuardDutyFinding = {
    Id: f.id,
    Arn: `arn:aws:guardduty:${region}:${account}:detector/${detectorId}/finding/${f.id}`,
    AccountId: account,
    Region: region,
    Partition: 'aws',
    SchemaVersion: '2.0',
    Type: f.type,
    Title: `${f.type} on ${f.instanceId ?? f.accessKeyId ?? 'a resource'}`,
    Description: `Model finding ${f.id}.`,
    Severity: f.severity,
    CreatedAt: f.updatedAt,
    UpdatedAt: f.updatedAt,
    Resource: f.instanceId
      ? { ResourceType: 'Instance', InstanceDetails: { InstanceId: f.instanceId } }
      : { ResourceType: 'AccessKey', AccessKeyDetails: { AccessKeyId: f.accessKeyId ?? 'AKIAMODEL', UserName: 'model-user' } },
    Service: {
      ServiceName: 'guardduty',
      DetectorId: detectorId,
      Archived: false,
      Count: 1,
      EventFirstSeen: f.updatedAt,
      EventLastSeen: f.updatedAt,
    },
  };
  s.findings.push(finding);
  return finding;
}

/** GuardDuty sees the activity again: the same finding (same id) with a later UpdatedAt, a higher Count, maybe a new severity. */
export function updateGuardDutyFinding(model: AwsModel, region: string, id: string, at: string, severity?: number, account?: string): void {
  const f = model.slice<GuardDutyState>('guardduty', region, account).findings.find((x) => x.Id === id);
  if (!f) throw new Error(`no GuardDuty finding ${id} in ${region}`);
  f.UpdatedAt = at;
  f.Service.EventLastSeen = at;
  f.Service.Count += 1;
  if (severity !== undefined) f.Severity = severity;
}
