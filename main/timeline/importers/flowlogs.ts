import { isIP } from 'node:net';
import { NO_IDENTITY, inDateRange, type Parsed } from './types';

/** Fields of the default (version 2) flow log format, in order. */
export const DEFAULT_FLOW_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];

/** Every field name of VPC flow log versions 2 to 8 and of Transit Gateway flow logs (version 6). */
export const FLOW_FIELDS = new Set([
  ...DEFAULT_FLOW_FIELDS,
  // v3
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  // v4
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  // v5
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
  // v7 (ECS)
  'ecs-cluster-arn',
  'ecs-cluster-name',
  'ecs-container-instance-arn',
  'ecs-container-instance-id',
  'ecs-container-id',
  'ecs-second-container-id',
  'ecs-service-name',
  'ecs-task-definition-arn',
  'ecs-task-arn',
  'ecs-task-id',
  // v8
  'reject-reason',
  // Transit Gateway (v6)
  'resource-type',
  'tgw-id',
  'tgw-attachment-id',
  'tgw-src-vpc-account-id',
  'tgw-dst-vpc-account-id',
  'tgw-src-vpc-id',
  'tgw-dst-vpc-id',
  'tgw-src-subnet-id',
  'tgw-dst-subnet-id',
  'tgw-src-eni',
  'tgw-dst-eni',
  'tgw-src-az-id',
  'tgw-dst-az-id',
  'tgw-pair-attachment-id',
  'packets-lost-no-route',
  'packets-lost-blackhole',
  'packets-lost-mtu-exceeded',
  'packets-lost-ttl-expired',
]);

/** The field list if `line` is a flow log header (default or custom format, `-` or `_` spelling), else null. */
export function flowHeader(line: string): string[] | null {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 3 || !fields.every((f) => FLOW_FIELDS.has(f.replace(/_/g, '-')))) return null;
  return fields.map((f) => f.replace(/_/g, '-'));
}

/**
 * A flow log format as AWS states it (`${version} ${vpc-id} ...`, the LogFormat of
 * `aws ec2 describe-flow-logs`) or as plain field names; throws naming the fields it does not know.
 */
export function parseFlowFormat(format: string): string[] {
  const fields = format
    .trim()
    .split(/\s+/)
    .map((f) => f.replace(/^\$\{(.*)\}$/, '$1').replace(/_/g, '-'));
  const unknown = fields.filter((f) => !FLOW_FIELDS.has(f));
  if (fields.length < 3 || unknown.length) {
    throw new Error(
      `the flow log format "${format}" ${unknown.length ? `names fields no flow log version has (${unknown.join(', ')})` : 'has fewer than 3 fields'}; give it as AWS states it, e.g. "\${version} \${account-id} \${interface-id} \${srcaddr} ..."`,
    );
  }
  return fields;
}

/** True if a header-less line looks like a default-format (v2) record. */
export function looksLikeDefaultFlowRecord(line: string): boolean {
  const f = line.trim().split(/\s+/);
  return f.length === 14 && f[0] === '2' && /^\d+$/.test(f[10]!) && /^(ACCEPT|REJECT|-)$/.test(f[12]!);
}

/** A header-less line of space-separated values starting with a flow log version (2-8): a flow log in a custom format. */
export function looksLikeFlowRecord(line: string): number | null {
  const f = line.trim().split(/\s+/);
  return f.length >= 3 && /^[2-8]$/.test(f[0]!) && f.every((v) => /^[\w.:/@-]+$/.test(v)) ? f.length : null;
}

const PROTO: Record<string, string> = { '1': 'ICMP', '6': 'TCP', '17': 'UDP', '58': 'ICMPv6' };

/** A whole number from 0 to `max`, written as AWS writes it (no sign, no leading zeros beyond one digit). */
const upTo = (max: number) => (v: string) => v.length <= 16 && /^(0|[1-9]\d*)$/.test(v) && Number(v) <= max;
/**
 * What each checked field may hold, as AWS documents it. A value outside it is kept as written and the record is
 * flagged `invalid-<field>` (it was taken as it came: `srcaddr` of "x" became the event's source IP unremarked).
 */
const FIELD_CHECKS: Record<string, (v: string) => boolean> = {
  srcaddr: (v) => isIP(v) !== 0,
  dstaddr: (v) => isIP(v) !== 0,
  'pkt-srcaddr': (v) => isIP(v) !== 0,
  'pkt-dstaddr': (v) => isIP(v) !== 0,
  srcport: upTo(65535),
  dstport: upTo(65535),
  protocol: upTo(255),
  packets: upTo(Number.MAX_SAFE_INTEGER),
  bytes: upTo(Number.MAX_SAFE_INTEGER),
  action: (v) => v === 'ACCEPT' || v === 'REJECT',
  'log-status': (v) => v === 'OK' || v === 'NODATA' || v === 'SKIPDATA',
  'account-id': (v) => /^\d{12}$/.test(v),
};

/** The `invalid-<field>` flags of a record's values ('-' is "no value" and always allowed). */
function fieldIssues(rec: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [field, ok] of Object.entries(FIELD_CHECKS)) {
    const v = rec[field];
    if (v !== undefined && v !== '-' && !ok(v)) out.push(`invalid-${field}`);
  }
  return out;
}

/** Normalises one flow log record against its header's (or given format's) fields. */
export function parseFlowRecord(line: string, fields: string[], recordNo: number): Parsed {
  const values = line.trim().split(/\s+/);
  if (values.length !== fields.length) {
    return {
      error: `record ${recordNo}: flow log record with ${values.length} fields where its format names ${fields.length}; the file mixes formats, or its format is not the one given`,
    };
  }
  const rec: Record<string, string> = {};
  fields.forEach((f, i) => (rec[f] = values[i]!));
  const val = (k: string): string | null => (rec[k] === undefined || rec[k] === '-' ? null : rec[k]!);
  const start = val('start');
  if (start !== null && !/^\d+$/.test(start))
    return { error: `record ${recordNo}: flow log start is "${start}", expected epoch seconds; the format given may not be this file's` };
  // A start of 0 is no time (events without one are kept at 0, in their own group), as a CloudTrail time at 1970-01-01 is.
  const ts = start === null || Number(start) === 0 ? null : inDateRange(Number(start) * 1000);
  if (start !== null && Number(start) !== 0 && ts === null)
    return { error: `record ${recordNo}: flow log start is ${start}, not a time (epoch seconds past any date); the record is corrupt` };
  const proto = val('protocol');
  const src = val('srcaddr');
  const tgw = val('tgw-id') !== null || val('resource-type') === 'TransitGateway' || val('resource-type') === 'TransitGatewayAttachment';
  const action = val('action');
  return {
    event: {
      ts: ts ?? 0,
      time: ts === null ? null : new Date(ts).toISOString(),
      source: 'vpcflow',
      actor: null,
      accessKeyId: null,
      action: action ?? val('log-status'),
      eventSource: proto ? (PROTO[proto] ?? `proto-${proto}`) : null,
      resource: tgw ? (val('tgw-attachment-id') ?? val('tgw-id')) : (val('instance-id') ?? val('interface-id')),
      sourceIp: src,
      userAgent: null,
      region: val('region'),
      account: val('account-id'),
      errorCode: action === 'REJECT' ? (val('reject-reason') ?? 'REJECT') : null,
      severity: null,
      ...NO_IDENTITY,
      eventType: tgw ? 'TransitGatewayFlow' : 'Flow',
      eventId: null,
      issues: [...(ts === null ? ['missing-time'] : []), ...fieldIssues(rec)],
      highlight: null,
      recordNo,
      raw: line.trim(),
      ref: null,
      // A flow record has no id: the record itself (every field) is its identity.
      identity: `flow|${values.join(' ')}`,
      sample: false,
    },
  };
}
