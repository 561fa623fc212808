import { isCloudTrailEvent, isLookupEvent, lakeRowToEvent, parseCloudTrail, parseLookupEvent } from './cloudtrail';
import { isAsffFinding, isGuardDutyFinding, parseAsff, parseGuardDuty } from './findings';
import { isOcsf, parseOcsf } from './ocsf';
import { isObj, type Parsed } from './types';

/**
 * Unwraps the containers records arrive in: arrays, `{"Records":[...]}`, `{"Findings":[...]}`,
 * `{"Events":[...]}` (lookup-events), Lake results, EventBridge envelopes.
 */
export function leaves(doc: unknown): unknown[] {
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(doc))
    return doc.flatMap((d) => (obj(d) && ('detail-type' in d || 'Records' in d || 'Findings' in d || 'Events' in d) ? leaves(d) : [d]));
  if (!obj(doc)) return [doc];
  if (Array.isArray(doc.Records)) return doc.Records as unknown[];
  if (Array.isArray(doc.Findings)) return doc.Findings as unknown[];
  if (Array.isArray(doc.findings)) return doc.findings as unknown[];
  if (Array.isArray(doc.Events)) return doc.Events as unknown[];
  if (Array.isArray(doc.QueryResultRows)) return doc.QueryResultRows as unknown[];
  if ('detail-type' in doc && obj(doc.detail)) {
    const d = doc.detail;
    if (Array.isArray(d.findings)) return d.findings as unknown[];
    if (Array.isArray(d.Findings)) return d.Findings as unknown[];
    return [d];
  }
  return [doc];
}

/** True when a value is itself a container of records (so its leaves, not it, are the records). */
export function isContainer(v: unknown): boolean {
  return Array.isArray(v) || (isObj(v) && leaves(v)[0] !== v);
}

const describe = (v: unknown) => (Array.isArray(v) ? 'an array' : v === null ? 'null' : `a ${typeof v}`);

/** What Lariat reads, for refusals. */
export const FORMATS_READ =
  'CloudTrail (delivery files, NDJSON, lookup-events, Lake results, Insights), GuardDuty, Security Hub (ASFF), Security Lake OCSF, VPC and Transit Gateway flow logs';

/**
 * Recognises one record and normalises it; `raw` is its JSON text when already known.
 * A refusal names what the record looked like and what Lariat reads.
 */
export function classify(item: unknown, recordNo: number, raw?: string): Parsed {
  // A CloudTrail Lake result row: one single-key object per selected column.
  if (Array.isArray(item) && item.length > 0 && item.every((c) => isObj(c) && Object.keys(c).length === 1)) {
    const ev = lakeRowToEvent(item);
    if (ev && ('eventName' in ev || 'eventID' in ev)) {
      if (!('eventName' in ev))
        return {
          error: `record ${recordNo}: CloudTrail Lake result row without eventName; select eventName (or *) in the query and export again`,
        };
      return parseCloudTrail(ev, recordNo, raw ?? JSON.stringify(item));
    }
  }
  if (!isObj(item)) return { error: `record ${recordNo}: expected a JSON object (one event or finding), found ${describe(item)}` };
  if (isLookupEvent(item)) return parseLookupEvent(item, recordNo, raw ?? JSON.stringify(item));
  if (isCloudTrailEvent(item)) return parseCloudTrail(item, recordNo, raw);
  if (isOcsf(item)) return parseOcsf(item, recordNo, raw ?? JSON.stringify(item));
  if (isAsffFinding(item)) return parseAsff(item, recordNo, raw);
  if (isGuardDutyFinding(item)) return parseGuardDuty(item, recordNo, raw);
  const keys = Object.keys(item).slice(0, 6).join(', ');
  if ('digestStartTime' in item || 'logFiles' in item)
    return {
      error: `record ${recordNo}: a CloudTrail digest file (hashes of log files, no events); import the CloudTrail folder beside it`,
    };
  return {
    error: `record ${recordNo}: a JSON object Lariat does not recognise (keys: ${keys || 'none'}); not a CloudTrail event, GuardDuty finding or Security Hub finding. Lariat reads ${FORMATS_READ}`,
  };
}
