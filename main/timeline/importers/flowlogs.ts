import type { Parsed } from './types';

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

/** Every field name of flow log versions 2 to 5 (a header made only of these is a flow log header). */
const KNOWN = new Set([
  ...DEFAULT_FLOW_FIELDS,
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
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
  'reject-reason',
]);

/** The field list if `line` is a flow log header (default or custom format), else null. */
export function flowHeader(line: string): string[] | null {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 3 || !fields.every((f) => KNOWN.has(f.replace(/_/g, '-')))) return null;
  return fields.map((f) => f.replace(/_/g, '-'));
}

/** True if a header-less line looks like a default-format (v2) record. */
export function looksLikeDefaultFlowRecord(line: string): boolean {
  const f = line.trim().split(/\s+/);
  return f.length === 14 && f[0] === '2' && /^\d+$/.test(f[10]!) && /^(ACCEPT|REJECT|-)$/.test(f[12]!);
}

const PROTO: Record<string, string> = { '1': 'ICMP', '6': 'TCP', '17': 'UDP', '58': 'ICMPv6' };

/** Normalises one flow log record against its header's fields. */
export function parseFlowRecord(line: string, fields: string[], recordNo: number): Parsed {
  const values = line.trim().split(/\s+/);
  if (values.length !== fields.length) {
    return { error: `record ${recordNo}: ${values.length} fields where the header names ${fields.length}` };
  }
  const rec: Record<string, string> = {};
  fields.forEach((f, i) => (rec[f] = values[i]!));
  const val = (k: string): string | null => (rec[k] === undefined || rec[k] === '-' ? null : rec[k]!);
  const start = val('start');
  if (start !== null && !/^\d+$/.test(start)) return { error: `record ${recordNo}: start is "${start}", expected epoch seconds` };
  const ts = start === null ? null : Number(start) * 1000;
  const proto = val('protocol');
  const src = val('srcaddr');
  const dst = val('dstaddr');
  return {
    event: {
      ts: ts ?? 0,
      time: ts === null ? null : new Date(ts).toISOString(),
      source: 'vpcflow',
      actor: null,
      accessKeyId: null,
      action: val('action') ?? val('log-status'),
      eventSource: proto ? (PROTO[proto] ?? `proto-${proto}`) : null,
      resource: val('instance-id') ?? val('interface-id'),
      sourceIp: src,
      userAgent: null,
      region: val('region'),
      account: val('account-id'),
      errorCode: val('action') === 'REJECT' ? 'REJECT' : null,
      severity: null,
      issues: ts === null ? ['missing-time'] : [],
      highlight: null,
      recordNo,
      raw: JSON.stringify({ ...rec, summary: `${src ?? '-'}:${val('srcport') ?? '-'} -> ${dst ?? '-'}:${val('dstport') ?? '-'}` }),
    },
  };
}
