import { highlightFor } from '../highlights';
import { isObj, parseTime, str, type Obj, type Parsed } from './types';

/** True when a JSON object looks like a CloudTrail event (delivery, NDJSON, Logstash-reshaped). */
export function isCloudTrailEvent(o: Obj): boolean {
  return 'eventName' in o || ('eventSource' in o && 'eventVersion' in o);
}

function resourceOf(r: Obj): string | null {
  const res = r.resources;
  if (Array.isArray(res) && isObj(res[0])) {
    const arn = str(res[0].ARN) ?? str(res[0].arn);
    if (arn) return arn;
  }
  const p = r.requestParameters;
  if (!isObj(p)) return null;
  for (const k of [
    'bucketName',
    'instanceId',
    'userName',
    'roleName',
    'policyArn',
    'groupName',
    'snapshotId',
    'imageId',
    'groupId',
    'name',
    'functionName',
    'keyId',
  ]) {
    const v = str(p[k]);
    if (v) return v;
  }
  const items = isObj(p.instancesSet) && Array.isArray(p.instancesSet.items) ? p.instancesSet.items : null;
  if (items && isObj(items[0])) return str(items[0].instanceId);
  return null;
}

/**
 * Normalises one CloudTrail event. Events without a usable `eventTime` or
 * without `userIdentity` are kept and marked (`issues`); only a record that
 * is not an event at all (no string eventName) is rejected.
 */
export function parseCloudTrail(r: unknown, recordNo: number, raw?: string): Parsed {
  if (!isObj(r)) return { error: `record ${recordNo}: expected a JSON object, found ${Array.isArray(r) ? 'an array' : typeof r}` };
  if (typeof r.eventName !== 'string' || r.eventName === '') {
    return { error: `record ${recordNo}: eventName is ${r.eventName === undefined ? 'missing' : `a ${typeof r.eventName}, not a string`}` };
  }
  const issues: string[] = [];
  let ts = parseTime(r.eventTime);
  if (ts === null) {
    if (r.eventTime === undefined || r.eventTime === null) issues.push('missing-eventTime');
    else issues.push('invalid-eventTime');
    const alt = parseTime(r['@timestamp']);
    if (alt !== null) {
      ts = alt;
      issues.push('time-from-@timestamp');
    }
  }
  const ui = r.userIdentity;
  if (!isObj(ui)) issues.push(ui === undefined || ui === null ? 'missing-userIdentity' : 'invalid-userIdentity');
  const u: Obj = isObj(ui) ? ui : {};
  const sessionIssuer = isObj(u.sessionContext) && isObj(u.sessionContext.sessionIssuer) ? u.sessionContext.sessionIssuer : {};
  const actor = str(u.arn) ?? str(sessionIssuer.arn) ?? str(u.userName) ?? str(u.principalId) ?? str(u.invokedBy) ?? str(u.type);
  const loginFailed = r.eventName === 'ConsoleLogin' && isObj(r.responseElements) && r.responseElements.ConsoleLogin === 'Failure';
  for (const k of ['sourceIPAddress', 'userAgent', 'awsRegion', 'errorCode', 'eventSource'] as const) {
    if (r[k] !== undefined && r[k] !== null && typeof r[k] !== 'string') issues.push(`invalid-${k}`);
  }
  return {
    event: {
      ts: ts ?? 0,
      time: ts === null ? null : new Date(ts).toISOString(),
      source: 'cloudtrail',
      actor,
      accessKeyId: str(u.accessKeyId),
      action: r.eventName,
      eventSource: typeof r.eventSource === 'string' ? r.eventSource : null,
      resource: resourceOf(r),
      sourceIp: typeof r.sourceIPAddress === 'string' ? r.sourceIPAddress : null,
      userAgent: typeof r.userAgent === 'string' ? r.userAgent : null,
      region: typeof r.awsRegion === 'string' ? r.awsRegion : null,
      account: str(r.recipientAccountId) ?? str(u.accountId),
      errorCode: (typeof r.errorCode === 'string' ? r.errorCode : null) ?? (loginFailed ? 'ConsoleLoginFailure' : null),
      severity: null,
      issues,
      highlight: highlightFor(r.eventName, r),
      recordNo,
      raw: raw ?? JSON.stringify(r),
    },
  };
}
