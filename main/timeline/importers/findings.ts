import type { AssetKind } from '../../../common/contract/assets';
import type { FindingRecord, IocType } from '../../../common/contract/timeline';
import { isObj, parseTime, pick, str, type FindingRow, type Obj, type Parsed } from './types';

/** GuardDuty finding (API PascalCase or EventBridge/S3 camelCase). */
export function isGuardDutyFinding(o: Obj): boolean {
  return (
    pick(o, 'Type') !== undefined &&
    pick(o, 'Service') !== undefined &&
    pick(o, 'Severity') !== undefined &&
    pick(o, 'SchemaVersion') !== undefined &&
    pick(o, 'ProductArn') === undefined
  );
}

/** AWS Security Finding Format finding. */
export function isAsffFinding(o: Obj): boolean {
  return 'SchemaVersion' in o && ('ProductArn' in o || 'GeneratorId' in o) && 'AwsAccountId' in o;
}

const labelOf = (score: number): FindingRecord['severityLabel'] =>
  score >= 90 ? 'critical' : score >= 70 ? 'high' : score >= 40 ? 'medium' : score >= 1 ? 'low' : 'informational';

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Addresses that name no host (GuardDuty sample findings carry 0.0.0.0): never an indicator. */
const NO_HOST = new Set(['0.0.0.0', '::', '255.255.255.255']);

function addIp(out: { type: IocType; value: string }[], v: unknown): void {
  const s = str(v);
  if (s && /^[0-9a-fA-F:.]+$/.test(s) && !NO_HOST.has(s)) out.push({ type: 'ip', value: s });
}

function iso(v: unknown): string | null {
  const t = parseTime(v);
  return t === null ? null : new Date(t).toISOString();
}

function dedupe<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = JSON.stringify(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** What both finding formats normalise to, before it becomes a timeline event and a finding row. */
interface FindingParts extends Omit<FindingRow, 'raw' | 'resources' | 'indicators'> {
  resources: { type: AssetKind; id: string }[];
  indicators: { type: IocType; value: string }[];
  ts: number | null;
  raw: Obj;
  rawText?: string;
  /** The finding's last update (UpdatedAt): with its id, what makes one version of a finding. */
  updatedAt: string | null;
  recordNo: number;
  actor: string | null;
  accessKeyId: string | null;
  action: string;
  eventSource: string;
  userAgent: string | null;
  /** Flags beyond a missing time (a severity outside what the format allows). */
  issues?: string[];
}

/** One finding as a timeline event (the finding's last sighting) and a row of the findings table. */
function toParsed(p: FindingParts): Parsed {
  const raw = p.rawText ?? JSON.stringify(p.raw);
  // A sample finding names made-up resources and addresses: it is kept and marked, and gives no indicator.
  const indicators = p.sample ? [] : dedupe(p.indicators);
  const resources = dedupe(p.resources);
  return {
    event: {
      ts: p.ts ?? 0,
      time: p.ts === null ? null : new Date(p.ts).toISOString(),
      source: p.source,
      actor: p.actor,
      accessKeyId: p.accessKeyId,
      action: p.action,
      eventSource: p.eventSource,
      resource: p.resources[0]?.id ?? null,
      sourceIp: indicators.find((i) => i.type === 'ip')?.value ?? null,
      userAgent: p.userAgent,
      region: p.region,
      account: p.account,
      errorCode: null,
      severity: p.severityLabel,
      principal: p.actor,
      callerAccount: null,
      sessionName: null,
      identityType: null,
      eventType: p.sample ? 'Finding (sample)' : 'Finding',
      eventId: p.findingId,
      issues: [...(p.ts === null ? ['missing-time'] : []), ...(p.issues ?? [])],
      highlight: null,
      recordNo: p.recordNo,
      raw,
      ref: null,
      identity: `finding|${p.source}|${p.findingId}|${p.updatedAt ?? p.lastSeen ?? ''}`,
      sample: p.sample,
    },
    finding: {
      source: p.source,
      findingId: p.findingId,
      type: p.type,
      title: p.title,
      severityLabel: p.severityLabel,
      severityScore: p.severityScore,
      account: p.account,
      region: p.region,
      resources,
      firstSeen: p.firstSeen,
      lastSeen: p.lastSeen,
      indicators,
      sample: p.sample,
      raw,
    },
  };
}

/** Normalises a GuardDuty finding into a timeline event and a finding row, with the resources and indicators it names. */
export function parseGuardDuty(f: Obj, recordNo: number, rawText?: string): Parsed {
  const id = str(pick(f, 'Id'));
  const type = str(pick(f, 'Type'));
  const sev = pick(f, 'Severity');
  if (!id || !type) return { error: `record ${recordNo}: GuardDuty finding without ${id ? 'Type' : 'Id'}` };
  if (typeof sev !== 'number')
    return {
      error: `record ${recordNo}: GuardDuty Severity is ${sev === null ? 'null' : `a ${typeof sev === 'object' ? 'JSON object' : typeof sev}`}, expected a number`,
    };
  // GuardDuty writes 1.0-10.0 (0.1-8.9 before 2024): anything else is not a severity (1e308 was listed as "critical Infinity").
  if (!Number.isFinite(sev) || sev < 0 || sev > 10)
    return { error: `record ${recordNo}: GuardDuty Severity is ${sev}, outside the 0-10 GuardDuty writes; the record is corrupt` };
  const score = Math.round(sev * 10);
  const res = pick(f, 'Resource');
  const resources: { type: AssetKind; id: string }[] = [];
  const indicators: { type: IocType; value: string }[] = [];
  const instanceId = str(pick(res, 'InstanceDetails.InstanceId'));
  if (instanceId) resources.push({ type: 'ec2-instance', id: instanceId });
  for (const ni of arr(pick(res, 'InstanceDetails.NetworkInterfaces'))) {
    const ip = str(pick(ni, 'PublicIp'));
    if (ip) resources.push({ type: 'ip', id: ip });
  }
  const keyId = str(pick(res, 'AccessKeyDetails.AccessKeyId'));
  if (keyId) {
    resources.push({ type: 'access-key', id: keyId });
    indicators.push({ type: 'access-key-id', value: keyId });
  }
  const userName = str(pick(res, 'AccessKeyDetails.UserName'));
  if (userName) resources.push({ type: 'iam-principal', id: userName });
  for (const b of arr(pick(res, 'S3BucketDetails'))) {
    const name = str(pick(b, 'Name'));
    if (name) resources.push({ type: 's3-bucket', id: name });
  }
  const db = str(pick(res, 'RdsDbInstanceDetails.DbInstanceIdentifier'));
  if (db) resources.push({ type: 'other', id: db });
  const action = pick(f, 'Service.Action');
  for (const path of ['NetworkConnectionAction', 'AwsApiCallAction', 'RdsLoginAttemptAction', 'KubernetesApiCallAction']) {
    addIp(indicators, pick(action, `${path}.RemoteIpDetails.IpAddressV4`));
  }
  for (const p of arr(pick(action, 'PortProbeAction.PortProbeDetails'))) addIp(indicators, pick(p, 'RemoteIpDetails.IpAddressV4'));
  const domain = str(pick(action, 'DnsRequestAction.Domain'));
  if (domain) indicators.push({ type: 'domain', value: domain });
  const ua = str(pick(action, 'AwsApiCallAction.UserAgent')) ?? str(pick(f, 'Service.AdditionalInfo.UserAgent.FullUserAgent'));
  if (ua) indicators.push({ type: 'user-agent', value: ua });
  const firstSeen = iso(pick(f, 'Service.EventFirstSeen')) ?? iso(pick(f, 'CreatedAt'));
  const lastSeen = iso(pick(f, 'Service.EventLastSeen')) ?? iso(pick(f, 'UpdatedAt'));
  return toParsed({
    source: 'guardduty',
    findingId: id,
    type,
    title: str(pick(f, 'Title')) ?? type,
    severityLabel: labelOf(score),
    severityScore: score,
    account: str(pick(f, 'AccountId')),
    region: str(pick(f, 'Region')),
    resources,
    indicators,
    firstSeen,
    lastSeen,
    ts: parseTime(lastSeen) ?? parseTime(firstSeen),
    raw: f,
    rawText,
    updatedAt: str(pick(f, 'UpdatedAt')),
    sample: pick(f, 'Service.AdditionalInfo.Sample') === true || pick(f, 'Service.AdditionalInfo.Sample') === 'true',
    recordNo,
    actor: userName ?? null,
    accessKeyId: keyId,
    action: type,
    eventSource: 'guardduty',
    userAgent: ua,
  });
}

function asffResource(r: Obj): { type: AssetKind; id: string } | null {
  const type = str(r.Type) ?? '';
  const id = str(r.Id);
  if (!id) return null;
  const tail = id.split(/[/:]/).pop() || id;
  if (type === 'AwsEc2Instance') return { type: 'ec2-instance', id: tail };
  if (type === 'AwsS3Bucket') return { type: 's3-bucket', id: id.replace(/^arn:aws[\w-]*:s3:::/, '') };
  if (type === 'AwsIamAccessKey') return { type: 'access-key', id: tail };
  if (type === 'AwsIamUser' || type === 'AwsIamRole') return { type: 'iam-principal', id };
  return { type: 'other', id };
}

/** Normalises an ASFF finding (Security Hub and the products feeding it). */
export function parseAsff(f: Obj, recordNo: number, rawText?: string): Parsed {
  const id = str(f.Id);
  if (!id) return { error: `record ${recordNo}: Security Hub finding without Id` };
  const { severityLabel, score, issues } = asffSeverity(f.Severity);
  const resources = arr(f.Resources)
    .filter(isObj)
    .map(asffResource)
    .filter((r): r is { type: AssetKind; id: string } => r !== null);
  const indicators: { type: IocType; value: string }[] = [];
  for (const t of arr(f.ThreatIntelIndicators).filter(isObj)) {
    const v = str(t.Value);
    const tt = str(t.Type) ?? '';
    if (!v) continue;
    if (tt.startsWith('IPV')) indicators.push({ type: 'ip', value: v });
    else if (tt === 'DOMAIN') indicators.push({ type: 'domain', value: v });
    else if (tt.startsWith('HASH')) indicators.push({ type: 'hash', value: v });
  }
  if (isObj(f.Network)) {
    addIp(indicators, f.Network.SourceIpV4);
    const d = str(f.Network.SourceDomain);
    if (d) indicators.push({ type: 'domain', value: d });
  }
  const pf = isObj(f.ProductFields) ? f.ProductFields : {};
  const control = str(pf.ControlId) ?? str(pf.RuleId);
  const type = (Array.isArray(f.Types) ? str(f.Types[0]) : null) ?? str(f.GeneratorId) ?? 'unknown';
  const firstSeen = iso(f.FirstObservedAt) ?? iso(f.CreatedAt);
  const lastSeen = iso(f.LastObservedAt) ?? iso(f.UpdatedAt);
  return toParsed({
    source: 'securityhub',
    findingId: id,
    type,
    title: str(f.Title) ?? type,
    severityLabel,
    severityScore: score,
    issues,
    account: str(f.AwsAccountId),
    region: str(f.Region) ?? (resources.length && isObj(arr(f.Resources)[0]) ? str((arr(f.Resources)[0] as Obj).Region) : null),
    resources,
    indicators,
    firstSeen,
    lastSeen,
    ts: parseTime(f.UpdatedAt) ?? parseTime(lastSeen) ?? parseTime(firstSeen),
    raw: f,
    rawText,
    updatedAt: str(f.UpdatedAt),
    sample: pf['aws/guardduty/service/additionalInfo/sample'] === 'true' || pf.sample === 'true' || f.Sample === true,
    recordNo,
    actor: null,
    accessKeyId: null,
    action: control ?? type,
    eventSource: str(f.ProductName) ?? 'securityhub',
    userAgent: null,
  });
}

const ASFF_LABELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
const LABEL_SCORE: Record<(typeof ASFF_LABELS)[number], number> = { informational: 0, low: 1, medium: 40, high: 70, critical: 90 };

/**
 * An ASFF Severity: its Label (one of five) or else its Normalized score (0-100). A severity that is missing or holds
 * neither is kept as informational and flagged (`missing-Severity`, `invalid-Severity`): before, `"HIGH"` as a string,
 * `{Label: "EXTREME"}` or `{Normalized: "70"}` all became informational 0 and nothing said so.
 */
function asffSeverity(sev: unknown): { severityLabel: FindingRecord['severityLabel']; score: number; issues: string[] } {
  if (sev === undefined || sev === null) return { severityLabel: 'informational', score: 0, issues: ['missing-Severity'] };
  const o = isObj(sev) ? sev : {};
  const n = o.Normalized;
  const normalized = typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 100 ? n : null;
  const raw = str(o.Label)?.toLowerCase();
  const label = ASFF_LABELS.find((l) => l === raw) ?? null;
  const bad =
    !isObj(sev) || (o.Label !== undefined && !label) || (n !== undefined && normalized === null) || (!label && normalized === null);
  const score = normalized ?? (label ? LABEL_SCORE[label] : 0);
  return { severityLabel: label ?? labelOf(score), score, issues: bad ? ['invalid-Severity'] : [] };
}
