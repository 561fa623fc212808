import type { AssetKind } from '../../../common/contract/assets';
import type { FindingRecord, IocType } from '../../../common/contract/timeline';
import { highlightFor } from '../../detection/highlight';
import { cloudTrailIdentity } from './cloudtrail';
import { isObj, parseTime, pick, str, type Obj, type Parsed } from './types';

/** OCSF classes Lariat reads (Security Lake): API Activity, and the finding classes. */
const API_ACTIVITY = 6003;
const FINDING_CLASSES = new Set([2001, 2002, 2003, 2004]);

/** An OCSF record (Amazon Security Lake exports it as JSON as well as Parquet). */
export function isOcsf(o: Obj): boolean {
  return typeof o.class_uid === 'number' && isObj(o.metadata);
}

const at = (o: unknown, path: string): unknown => {
  let cur = o;
  for (const seg of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
};
const s = (o: unknown, ...paths: string[]): string | null => {
  for (const p of paths) {
    const v = str(at(o, p));
    if (v) return v;
  }
  return null;
};
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the refusal of an OCSF record says: which class it is, and which Lariat reads. */
export function ocsfUnsupported(o: Obj, recordNo: number): Parsed {
  return {
    error: `record ${recordNo}: OCSF record of class ${String(o.class_uid)} (${str(o.class_name) ?? 'unnamed'}); Lariat reads OCSF API Activity (6003, CloudTrail in Security Lake) and findings (2001-2004); export those classes`,
  };
}

/** OCSF API Activity (class 6003): Security Lake's form of CloudTrail management and data events. */
export function parseOcsfApi(o: Obj, recordNo: number, raw: string): Parsed {
  const op = s(o, 'api.operation');
  if (!op) return { error: `record ${recordNo}: OCSF API Activity without api.operation (the API name); the record cannot be placed` };
  const ts = parseTime(o.time) ?? parseTime(s(o, 'time_dt'));
  const account = s(o, 'cloud.account.uid', 'cloud.account_uid');
  const eventId = s(o, 'metadata.uid');
  const userType = s(o, 'actor.user.type');
  const issuer = s(o, 'actor.session.issuer');
  const role = issuer ? (/:role\/(?:.*\/)?([^/]+)$/.exec(issuer)?.[1] ?? null) : null;
  const name = s(o, 'actor.user.name');
  const error = s(o, 'api.response.error');
  const eventName = op;
  return {
    event: {
      ts: ts ?? 0,
      time: iso(ts),
      source: 'cloudtrail',
      actor: s(o, 'actor.user.uid') ?? issuer ?? name,
      accessKeyId: s(o, 'actor.user.credential_uid'),
      action: eventName,
      eventSource: s(o, 'api.service.name'),
      resource: Array.isArray(o.resources) && isObj(o.resources[0]) ? (s(o.resources[0], 'uid', 'name') ?? null) : null,
      sourceIp: s(o, 'src_endpoint.ip'),
      userAgent: s(o, 'http_request.user_agent'),
      region: s(o, 'cloud.region'),
      account,
      errorCode: error,
      severity: null,
      principal: userType === 'AssumedRole' ? (role ?? name) : userType === 'Root' ? 'root' : name,
      callerAccount: s(o, 'actor.user.account.uid', 'actor.user.account_uid'),
      sessionName: userType === 'AssumedRole' && name && name.includes('/') ? name.split('/').pop()! : null,
      identityType: userType,
      eventType: s(o, 'unmapped.eventType') ?? 'OCSF API Activity',
      eventId,
      issues: ts === null ? ['missing-time'] : [],
      highlight: highlightFor(eventName, {}),
      recordNo,
      raw,
      ref: null,
      identity: cloudTrailIdentity(eventId, account, ts, eventName),
      sample: false,
    },
  };
}

const LABELS: FindingRecord['severityLabel'][] = ['informational', 'informational', 'low', 'medium', 'high', 'critical', 'critical'];

/** OCSF's severity_id values: 0-6 (Unknown to Fatal) and 99 (Other). Any other is kept as informational and flagged. */
const SEVERITY_IDS = new Set([0, 1, 2, 3, 4, 5, 6, 99]);

/** OCSF findings (Security Finding 2001, Detection 2004, Compliance 2003...) as Security Lake carries them from Security Hub and GuardDuty. */
export function parseOcsfFinding(o: Obj, recordNo: number, raw: string): Parsed {
  const id = s(o, 'finding_info.uid', 'finding.uid', 'metadata.uid');
  if (!id) return { error: `record ${recordNo}: OCSF finding without finding_info.uid (its id); the record cannot be placed` };
  const product = s(o, 'metadata.product.name') ?? 'Security Hub';
  const source = /guardduty/i.test(product) ? 'guardduty' : 'securityhub';
  const sevOk = o.severity_id === undefined || o.severity_id === null || SEVERITY_IDS.has(o.severity_id as number);
  const sevId = sevOk && typeof o.severity_id === 'number' ? o.severity_id : 0;
  const label = (s(o, 'severity') ?? '').toLowerCase();
  const severityLabel =
    (['informational', 'low', 'medium', 'high', 'critical'] as const).find((l) => l === label) ?? LABELS[sevId] ?? 'informational';
  const score = { informational: 0, low: 20, medium: 40, high: 70, critical: 90 }[severityLabel];
  const modified = parseTime(at(o, 'finding_info.modified_time') ?? at(o, 'finding.modified_time')) ?? parseTime(o.time);
  const created = parseTime(at(o, 'finding_info.created_time') ?? at(o, 'finding.created_time'));
  const types = at(o, 'finding_info.types') ?? at(o, 'finding.types');
  const type = (Array.isArray(types) ? str(types[0]) : null) ?? s(o, 'finding_info.analytic.name', 'class_name') ?? 'finding';
  const title = s(o, 'finding_info.title', 'finding.title') ?? type;
  const account = s(o, 'cloud.account.uid', 'cloud.account_uid');
  const resources: { type: AssetKind; id: string }[] = [];
  for (const r of Array.isArray(o.resources) ? o.resources : []) {
    const rid = s(r, 'uid', 'name');
    if (!rid) continue;
    const rtype = s(r, 'type') ?? '';
    resources.push({ type: rtype === 'AwsEc2Instance' ? 'ec2-instance' : rtype === 'AwsS3Bucket' ? 's3-bucket' : 'other', id: rid });
  }
  const indicators: { type: IocType; value: string }[] = [];
  const ip = s(o, 'src_endpoint.ip');
  if (ip && ip !== '0.0.0.0') indicators.push({ type: 'ip', value: ip });
  const sample = pick(o, 'unmapped.sample') === true || /^\[SAMPLE\]/i.test(title);
  const ts = modified;
  return {
    event: {
      ts: ts ?? 0,
      time: iso(ts),
      source,
      actor: null,
      accessKeyId: null,
      action: type,
      eventSource: product,
      resource: resources[0]?.id ?? null,
      sourceIp: indicators[0]?.value ?? null,
      userAgent: null,
      region: s(o, 'cloud.region'),
      account,
      errorCode: null,
      severity: severityLabel,
      principal: null,
      callerAccount: null,
      sessionName: null,
      identityType: null,
      eventType: 'Finding',
      eventId: id,
      issues: [...(ts === null ? ['missing-time'] : []), ...(sevOk ? [] : ['invalid-severity_id'])],
      highlight: null,
      recordNo,
      raw,
      ref: null,
      identity: `finding|${source}|${id}|${ts ?? ''}`,
      sample,
    },
    finding: {
      source,
      findingId: id,
      type,
      title,
      severityLabel,
      severityScore: score,
      account,
      region: s(o, 'cloud.region'),
      resources,
      firstSeen: iso(created),
      lastSeen: iso(modified),
      indicators: sample ? [] : indicators,
      sample,
      raw,
    },
  };
}

export function parseOcsf(o: Obj, recordNo: number, raw: string): Parsed {
  if (o.class_uid === API_ACTIVITY) return parseOcsfApi(o, recordNo, raw);
  if (FINDING_CLASSES.has(o.class_uid as number)) return parseOcsfFinding(o, recordNo, raw);
  return ocsfUnsupported(o, recordNo);
}
