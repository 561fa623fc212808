import { highlightFor } from '../../detection/highlight';
import { identityOf } from './identity';
import { isObj, parseTime, str, type Obj, type Parsed } from './types';

/** True when a JSON object looks like a CloudTrail event (delivery, NDJSON, Logstash-reshaped, Insights). */
export function isCloudTrailEvent(o: Obj): boolean {
  return 'eventName' in o || ('eventSource' in o && 'eventVersion' in o) || o.eventType === 'AwsCloudTrailInsight';
}

/** The requestParameters that name the resource a call acted on, by rank (the first present wins). */
const RESOURCE_PARAMS = new Map(
  [
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
  ].map((k, rank) => [k, rank]),
);

/** A field that is present (not null) but not a string: flagged as invalid. */
const notText = (v: unknown): boolean => v !== undefined && v !== null && typeof v !== 'string';

function resourceOf(r: Obj): string | null {
  const res = r.resources;
  if (Array.isArray(res) && isObj(res[0])) {
    const arn = str(res[0].ARN) ?? str(res[0].arn);
    if (arn) return arn;
  }
  const p = r.requestParameters;
  if (!isObj(p)) return null;
  // One pass over the keys the record has (a few, as a rule) rather than a lookup of each of the twelve names:
  // requestParameters differ in shape from call to call, so each of those lookups was a slow, megamorphic one.
  let rank = RESOURCE_PARAMS.size;
  let found: string | null = null;
  for (const k of Object.keys(p)) {
    const at = RESOURCE_PARAMS.get(k);
    if (at === undefined || at >= rank) continue;
    const v = str(p[k]);
    if (v) [rank, found] = [at, v];
  }
  if (found) return found;
  const items = isObj(p.instancesSet) && Array.isArray(p.instancesSet.items) ? p.instancesSet.items : null;
  if (items && isObj(items[0])) return str(items[0].instanceId);
  return null;
}

/**
 * A CloudTrail event's identity: its eventID within the account that received it (the uniqueness
 * AWS documents), with its time and event name, which every copy of one event shares; so test data
 * that reuses made-up ids ("1", "1111") for different events never merges them.
 */
export const cloudTrailIdentity = (
  eventId: string | null,
  account: string | null,
  ts: number | null,
  eventName: string | null,
): string | null => (eventId ? `ct|${eventId}|${account ?? ''}|${ts ?? ''}|${eventName ?? ''}` : null);

/**
 * A CloudTrail Insights event: no top-level eventName; what it is about sits
 * in `insightDetails` (the API, the kind of insight, start or end, and how far
 * the rate moved from its baseline).
 */
function parseInsight(r: Obj, recordNo: number, raw: string): Parsed {
  const d = isObj(r.insightDetails) ? r.insightDetails : {};
  const ts = parseTime(r.eventTime);
  const ctx = isObj(d.insightContext) ? d.insightContext : {};
  const stats = isObj(ctx.statistics) ? ctx.statistics : {};
  const avg = (v: unknown) => (isObj(v) && typeof v.average === 'number' ? v.average : null);
  const account = str(r.recipientAccountId);
  const eventId = str(r.eventID);
  const insightType = str(d.insightType);
  const state = str(d.state);
  return {
    event: {
      ts: ts ?? 0,
      time: ts === null ? null : new Date(ts).toISOString(),
      source: 'cloudtrail',
      actor: null,
      accessKeyId: null,
      action: str(d.eventName) ?? insightType ?? 'Insight',
      eventSource: str(d.eventSource),
      // The insight itself: e.g. "ApiCallRateInsight Start (baseline 0.05/min, insight 5.2/min)".
      resource:
        [insightType, state].filter(Boolean).join(' ') +
          (avg(stats.baseline) !== null ? ` (baseline ${avg(stats.baseline)}/min, insight ${avg(stats.insight)}/min)` : '') || null,
      sourceIp: null,
      userAgent: null,
      region: str(r.awsRegion),
      account,
      errorCode: str(d.errorCode),
      severity: null,
      principal: null,
      callerAccount: null,
      sessionName: null,
      identityType: null,
      eventType: 'AwsCloudTrailInsight',
      eventId,
      issues: ts === null ? ['missing-eventTime'] : [],
      highlight: null,
      recordNo,
      raw,
      ref: null,
      identity: cloudTrailIdentity(eventId, account, ts, str(d.eventName) ?? insightType),
      sample: false,
    },
  };
}

/**
 * Normalises one CloudTrail event. Events without a usable `eventTime` or
 * without `userIdentity` are kept and marked (`issues`); only a record that
 * is not an event at all (no string eventName) is rejected.
 */
export function parseCloudTrail(r: unknown, recordNo: number, raw?: string): Parsed {
  if (!isObj(r)) return { error: `record ${recordNo}: expected a JSON object, found ${Array.isArray(r) ? 'an array' : typeof r}` };
  if (r.eventType === 'AwsCloudTrailInsight' && !('eventName' in r)) return parseInsight(r, recordNo, raw ?? JSON.stringify(r));
  if (typeof r.eventName !== 'string' || r.eventName === '') {
    return {
      error: `record ${recordNo}: CloudTrail event whose eventName is ${r.eventName === undefined ? 'missing' : r.eventName === '' ? 'empty' : `a ${r.eventName === null ? 'null' : Array.isArray(r.eventName) ? 'list' : typeof r.eventName}, not a string`}; the record cannot be placed in the timeline`,
    };
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
  const who = identityOf(ui);
  const actor =
    str(u.arn) ?? str(sessionIssuer.arn) ?? str(u.userName) ?? who.principal ?? str(u.principalId) ?? str(u.invokedBy) ?? str(u.type);
  const loginFailed = r.eventName === 'ConsoleLogin' && isObj(r.responseElements) && r.responseElements.ConsoleLogin === 'Failure';
  // Each field by name (a loop over the names read `r[k]` with a different key each time, a slow lookup per record).
  if (notText(r.sourceIPAddress)) issues.push('invalid-sourceIPAddress');
  if (notText(r.userAgent)) issues.push('invalid-userAgent');
  if (notText(r.awsRegion)) issues.push('invalid-awsRegion');
  if (notText(r.errorCode)) issues.push('invalid-errorCode');
  if (notText(r.eventSource)) issues.push('invalid-eventSource');
  const account = str(r.recipientAccountId) ?? str(u.accountId);
  const eventId = str(r.eventID);
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
      account,
      errorCode: (typeof r.errorCode === 'string' ? r.errorCode : null) ?? (loginFailed ? 'ConsoleLoginFailure' : null),
      severity: null,
      // Named one by one: a spread here copied the object property by property at run time, for every record.
      principal: who.principal,
      callerAccount: who.callerAccount,
      sessionName: who.sessionName,
      identityType: who.identityType,
      eventType: str(r.eventType),
      eventId,
      issues,
      highlight: highlightFor(r.eventName, r),
      recordNo,
      raw: raw ?? JSON.stringify(r),
      ref: null,
      identity: cloudTrailIdentity(eventId, account, ts, r.eventName),
      sample: false,
    },
  };
}

/**
 * The CloudTrail event a stored record holds, as an object, whatever export it came in: the record itself, a
 * lookup-events entry's CloudTrailEvent, a Lake result row; null for anything else (OCSF, findings), which is
 * not compared field by field.
 */
export function cloudTrailView(record: unknown): Obj | null {
  if (Array.isArray(record)) return lakeRowToEvent(record);
  if (!isObj(record)) return null;
  if (isLookupEvent(record)) {
    try {
      const inner: unknown = JSON.parse(record.CloudTrailEvent as string);
      return isObj(inner) ? inner : null;
    } catch {
      return null;
    }
  }
  return isCloudTrailEvent(record) ? record : null;
}

/** `aws cloudtrail lookup-events` output: `{"Events":[{"EventId", "CloudTrailEvent": "<the event as a JSON string>"}]}`. */
export function isLookupEvent(o: Obj): boolean {
  return typeof o.CloudTrailEvent === 'string' && ('EventId' in o || 'EventName' in o);
}

export function parseLookupEvent(o: Obj, recordNo: number, raw: string): Parsed {
  let inner: unknown;
  try {
    inner = JSON.parse(o.CloudTrailEvent as string);
  } catch (e) {
    return {
      error: `record ${recordNo}: lookup-events entry ${str(o.EventId) ?? ''} whose CloudTrailEvent is not valid JSON (${(e as Error).message}); re-export it with aws cloudtrail lookup-events --output json`,
    };
  }
  const p = parseCloudTrail(inner, recordNo, raw);
  return p;
}

/**
 * Sets an own data property whatever its name, and returns the value. A column name comes from the file:
 * `__proto__` or `constructor.prototype` in it are fields like any other, as JSON.parse keeps them, never a
 * path into the prototype every object of the thread shares (plain assignment would write there).
 */
function setOwn<T>(o: Obj, key: string, value: T): T {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/**
 * One row of CloudTrail Lake query results (`get-query-results`): an array of
 * single-key objects, one per selected column. Columns named like CloudTrail
 * fields (`eventName`, `userIdentity.arn`...) become the event; nested fields
 * come back as dotted names.
 */
export function lakeRowToEvent(row: unknown[]): Obj | null {
  const out: Obj = {};
  for (const cell of row) {
    if (!isObj(cell)) return null;
    for (const [k, v] of Object.entries(cell)) {
      const path = k.split('.');
      let cur: Obj = out;
      for (const seg of path.slice(0, -1)) {
        const next = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
        cur = isObj(next) ? next : setOwn(cur, seg, {});
      }
      setOwn(cur, path.at(-1)!, v);
    }
  }
  // Lake renders structs as "{type=IAMUser, arn=...}" when a whole struct is selected.
  if (typeof out.userIdentity === 'string') out.userIdentity = lakeStruct(out.userIdentity);
  return out;
}

function lakeStruct(s: string): Obj | string {
  const m = /^\{(.*)\}$/s.exec(s.trim());
  if (!m) return s;
  const o: Obj = {};
  for (const part of m[1]!.split(/, (?=[A-Za-z]+=)/)) {
    const i = part.indexOf('=');
    if (i > 0) {
      const v = part.slice(i + 1);
      setOwn(o, part.slice(0, i), v === 'null' ? null : v);
    }
  }
  // Lake lower-cases struct field names.
  const fix: Record<string, string> = {
    principalid: 'principalId',
    accountid: 'accountId',
    accesskeyid: 'accessKeyId',
    username: 'userName',
  };
  for (const [k, v] of Object.entries(fix)) {
    if (!Object.hasOwn(o, k)) continue;
    o[v] = o[k];
    delete o[k];
  }
  return o;
}
