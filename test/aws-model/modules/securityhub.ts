import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsModel } from '../model';
import { h, type CallContext, type ModelModule } from '../types';
import { pageOf } from './finding-pages';

/** A finding in the AWS Security Finding Format, as GetFindings returns it (the fields the inbox reads and filters on). */
export interface AsffFinding {
  SchemaVersion: '2018-10-08';
  Id: string;
  ProductArn: string;
  ProductName: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  Title: string;
  Description: string;
  /** ISO-8601 strings, as Security Hub sends them. */
  CreatedAt: string;
  UpdatedAt: string;
  FirstObservedAt: string;
  LastObservedAt: string;
  Severity: { Label: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL'; Normalized: number };
  Resources: { Type: string; Id: string; Region: string }[];
  RecordState: 'ACTIVE' | 'ARCHIVED';
  Workflow: { Status: 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED' };
}

export interface SecurityHubState {
  /** Null: Security Hub not enabled in this account and region (every call is InvalidAccessException). */
  hub: { HubArn: string; SubscribedAt: string } | null;
  findings: AsffFinding[];
  /** Most findings per GetFindings page (AWS may answer fewer than MaxResults); small in tests to force pages. */
  pageLimit: number;
}

type StringFilter = { Value?: string; Comparison?: 'EQUALS' | 'PREFIX' | 'NOT_EQUALS' | 'PREFIX_NOT_EQUALS' | 'CONTAINS' | 'NOT_CONTAINS' };
type DateFilter = { Start?: string; End?: string };

/** String fields Lariat's inbox filters on (plus WorkflowStatus), and how each reads a finding. */
const STRING_FIELDS: Record<string, (f: AsffFinding) => string[]> = {
  RecordState: (f) => [f.RecordState],
  SeverityLabel: (f) => [f.Severity.Label],
  Type: (f) => f.Types,
  ResourceId: (f) => f.Resources.map((r) => r.Id),
  ProductName: (f) => [f.ProductName],
  WorkflowStatus: (f) => [f.Workflow.Status],
  AwsAccountId: (f) => [f.AwsAccountId],
};
const DATE_FIELDS: Record<string, (f: AsffFinding) => string> = { UpdatedAt: (f) => f.UpdatedAt, CreatedAt: (f) => f.CreatedAt };

/**
 * Security Hub's documented rule for string filters: positive comparisons
 * (EQUALS, PREFIX, CONTAINS) on one field are OR-ed, negative ones
 * (NOT_EQUALS, PREFIX_NOT_EQUALS, NOT_CONTAINS) AND-ed, and both kinds must hold.
 */
function stringMatch(values: string[], filters: StringFilter[]): boolean {
  const test = (v: string, f: StringFilter): boolean => {
    const want = f.Value ?? '';
    switch (f.Comparison) {
      case 'PREFIX':
      case 'PREFIX_NOT_EQUALS':
        return v.startsWith(want);
      case 'CONTAINS':
      case 'NOT_CONTAINS':
        return v.includes(want);
      default:
        return v === want;
    }
  };
  const negative = (f: StringFilter) => /NOT/.test(f.Comparison ?? '');
  const pos = filters.filter((f) => !negative(f));
  const neg = filters.filter(negative);
  return (pos.length === 0 || pos.some((f) => values.some((v) => test(v, f)))) && neg.every((f) => !values.some((v) => test(v, f)));
}

function requireHub(ctx: CallContext<SecurityHubState>): void {
  if (!ctx.state.hub) ctx.error('InvalidAccessException', `Account ${ctx.account} is not subscribed to AWS Security Hub`, 401);
}

/**
 * AWS Security Hub (regional): whether the hub is enabled, and its findings.
 * DescribeHub and GetFindings answer InvalidAccessException "not subscribed"
 * where it is off; GetFindings filters on the fields the inbox sends
 * (RecordState, SeverityLabel, Type prefix, ResourceId, ProductName
 * NOT_EQUALS, UpdatedAt range; unknown fields are InvalidInputException),
 * newest update first, pages of at most 100 with a NextToken bound to the
 * filters. Throttling is TooManyRequestsException. Lariat only reads: no
 * BatchUpdateFindings. Seed with `enableHub` and `putHubFinding`;
 * `updateHubFinding` is a product sending the finding again (same id,
 * later UpdatedAt).
 */
export const securityhub: ModelModule<SecurityHubState> = {
  name: 'securityhub',
  service: 'securityhub',
  client: SecurityHubClient,
  scope: 'regional',
  throttlingCode: 'TooManyRequestsException',
  initial: () => ({ hub: null, findings: [], pageLimit: 100 }),
  handlers: {
    DescribeHub: h<Record<string, never>, SecurityHubState>((_i, ctx) => {
      requireHub(ctx);
      return { HubArn: ctx.state.hub!.HubArn, SubscribedAt: ctx.state.hub!.SubscribedAt, AutoEnableControls: true };
    }),
    GetFindings: h<{ Filters?: Record<string, (StringFilter | DateFilter)[]>; MaxResults?: number; NextToken?: string }, SecurityHubState>(
      (i, ctx) => {
        requireHub(ctx);
        const filters = i.Filters ?? {};
        const unknown = Object.keys(filters).find((k) => !(k in STRING_FIELDS) && !(k in DATE_FIELDS));
        if (unknown) return ctx.error('InvalidInputException', `Invalid filter field: ${unknown}`, 400);
        const found = ctx.state.findings
          .filter((f) =>
            Object.entries(filters).every(([k, list]) => {
              if (k in DATE_FIELDS) {
                const at = Date.parse(DATE_FIELDS[k]!(f));
                return (list as DateFilter[]).every((d) => (!d.Start || at >= Date.parse(d.Start)) && (!d.End || at <= Date.parse(d.End)));
              }
              return stringMatch(STRING_FIELDS[k]!(f), list as StringFilter[]);
            }),
          )
          .sort((a, b) => b.UpdatedAt.localeCompare(a.UpdatedAt) || a.Id.localeCompare(b.Id));
        const page = pageOf(
          ctx,
          found,
          { max: i.MaxResults, allowed: 100, limit: ctx.state.pageLimit, token: i.NextToken, request: JSON.stringify(filters) },
          'InvalidInputException',
        );
        return { Findings: structuredClone(page.items), ...(page.next ? { NextToken: page.next } : {}) };
      },
    ),
  },
};

/** Turns Security Hub on in `account:region`. */
export function enableHub(model: AwsModel, region: string, account?: string): void {
  model.slice<SecurityHubState>('securityhub', region, account).hub = {
    HubArn: `arn:aws:securityhub:${region}:${account ?? model.account}:hub/default`,
    SubscribedAt: '2026-01-01T00:00:00.000Z',
  };
}

const LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** Adds a finding (from Inspector by default, or GuardDuty's copy with `product: 'GuardDuty'`). */
export function putHubFinding(
  model: AwsModel,
  region: string,
  f: {
    id: string;
    type: string;
    label: AsffFinding['Severity']['Label'];
    updatedAt: string;
    resource: string;
    product?: string;
    account?: string;
  },
): AsffFinding {
  const account = f.account ?? model.account;
  const product = f.product ?? 'Inspector';
  const finding: AsffFinding = {
    SchemaVersion: '2018-10-08',
    Id: f.id,
    ProductArn: `arn:aws:securityhub:${region}::product/aws/${product.toLowerCase()}`,
    ProductName: product,
    GeneratorId: `model-${product.toLowerCase()}`,
    AwsAccountId: account,
    Region: region,
    Types: [f.type],
    Title: `${f.type} on ${f.resource}`,
    Description: `Model finding ${f.id}.`,
    CreatedAt: f.updatedAt,
    UpdatedAt: f.updatedAt,
    FirstObservedAt: f.updatedAt,
    LastObservedAt: f.updatedAt,
    Severity: { Label: f.label, Normalized: LABELS.indexOf(f.label) * 25 },
    Resources: [{ Type: 'AwsEc2Instance', Id: f.resource, Region: region }],
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
  };
  model.slice<SecurityHubState>('securityhub', region, account).findings.push(finding);
  return finding;
}

/** The product sends the finding again: same id, later UpdatedAt and LastObservedAt, maybe a new severity or record state. */
export function updateHubFinding(
  model: AwsModel,
  region: string,
  id: string,
  at: string,
  change: { label?: AsffFinding['Severity']['Label']; recordState?: AsffFinding['RecordState']; account?: string } = {},
): void {
  const f = model.slice<SecurityHubState>('securityhub', region, change.account).findings.find((x) => x.Id === id);
  if (!f) throw new Error(`no Security Hub finding ${id} in ${region}`);
  f.UpdatedAt = at;
  f.LastObservedAt = at;
  if (change.label) f.Severity = { Label: change.label, Normalized: LABELS.indexOf(change.label) * 25 };
  if (change.recordState) f.RecordState = change.recordState;
}
