import type { ContainmentSuggestion } from '../../common/contract/response-from-finding';

/** A finding as the inbox holds it: its source, where it was raised, and AWS's own JSON. */
export interface FindingFacts {
  source: 'guardduty' | 'securityhub';
  region: string;
  raw: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const last = (arn: string, sep = '/'): string => arn.split(sep).pop() ?? arn;

type Hit = Pick<ContainmentSuggestion, 'kind' | 'resource' | 'resourceType' | 'reason'> & { fields: Obj; region?: string };

/** What each resource a finding can name is contained with, and the plan input field that carries it. */
const CONTAIN = {
  instance: { kind: 'isolate', resourceType: 'ec2-instance', field: 'instanceId' },
  key: { kind: 'credentials', resourceType: 'access-key', field: 'accessKeyId' },
  user: { kind: 'credentials', resourceType: 'iam-user', field: 'userName' },
  role: { kind: 'role-sessions', resourceType: 'iam-role', field: 'role' },
  bucket: { kind: 's3-contain', resourceType: 's3-bucket', field: 'bucket' },
  function: { kind: 'lambda-contain', resourceType: 'lambda-function', field: 'functionName' },
} as const;

/** The suggestion for `resource` (its kind's field set to it, unless `fields` names it otherwise, e.g. by ARN). */
function hit(what: keyof typeof CONTAIN, resource: string, reason: string, fields?: Obj): Hit {
  const c = CONTAIN[what];
  return { kind: c.kind, resource, resourceType: c.resourceType, reason, fields: fields ?? { [c.field]: resource } };
}

/** GuardDuty, by Resource.ResourceType (InstanceCredentialExfiltration: an AccessKey of an AssumedRole). A Map: no prototype keys. */
const GUARDDUTY = new Map<string, (r: Obj) => Hit | null>([
  [
    'Instance',
    (r) => {
      const id = str(obj(r.InstanceDetails).InstanceId);
      return id ? hit('instance', id, `GuardDuty names EC2 instance ${id}.`) : null;
    },
  ],
  [
    'AccessKey',
    (r) => {
      const a = obj(r.AccessKeyDetails);
      const key = str(a.AccessKeyId);
      const user = str(a.UserName);
      if (a.UserType === 'AssumedRole' && user) return hit('role', user, `GuardDuty names a session of role ${user}.`);
      if (a.UserType === 'IAMUser' && key && /^AKIA/.test(key))
        return hit('key', key, `GuardDuty names access key ${key} of user ${user ?? '?'}.`);
      if (a.UserType === 'IAMUser' && user) return hit('user', user, `GuardDuty names IAM user ${user}.`);
      return null;
    },
  ],
  [
    'S3Bucket',
    (r) => {
      const b = [obj(r.S3BucketDetails)]
        .concat(Array.isArray(r.S3BucketDetails) ? (r.S3BucketDetails as unknown[]).map(obj) : [])
        .map((x) => str(x.Name))
        .find(Boolean);
      return b ? hit('bucket', b, `GuardDuty names bucket ${b}.`) : null;
    },
  ],
  [
    'Lambda',
    (r) => {
      const l = obj(r.LambdaDetails);
      const name = str(l.FunctionName) ?? (str(l.FunctionArn) ? last(String(l.FunctionArn), ':') : null);
      return name ? hit('function', name, `GuardDuty names Lambda function ${name}.`) : null;
    },
  ],
]);

function fromGuardDuty(raw: Obj): Hit | null {
  const r = obj(raw.Resource);
  return GUARDDUTY.get(str(r.ResourceType) ?? '')?.(r) ?? null;
}

/** Security Hub (ASFF), by Resources[].Type: the resource's Id and Details. */
const SECURITY_HUB = new Map<string, (id: string, d: Obj) => Hit | null>([
  [
    'AwsEc2Instance',
    (id) => {
      const i = /i-[0-9a-f]{8,17}/.exec(id)?.[0];
      return i ? hit('instance', i, `Security Hub names EC2 instance ${i}.`) : null;
    },
  ],
  [
    'AwsIamAccessKey',
    (id, d) => {
      const k = obj(d.AwsIamAccessKey);
      const key = /AKIA[A-Z0-9]{12,}/.exec(id)?.[0];
      const user = str(k.PrincipalName) ?? str(k.UserName);
      if (key) return hit('key', key, `Security Hub names access key ${key}.`);
      return user ? hit('user', user, `Security Hub names the key of user ${user}.`) : null;
    },
  ],
  [
    'AwsIamUser',
    (id) => (id.includes(':user/') ? hit('user', last(id), `Security Hub names IAM user ${last(id)}.`, { userArn: id }) : null),
  ],
  ['AwsIamRole', (id) => (id.includes(':role/') ? hit('role', last(id), `Security Hub names IAM role ${last(id)}.`, { role: id }) : null)],
  [
    'AwsS3Bucket',
    (id) => {
      const b = id.startsWith('arn:') ? last(id, ':') : id;
      return b ? hit('bucket', b, `Security Hub names bucket ${b}.`) : null;
    },
  ],
  [
    'AwsLambdaFunction',
    (id) => {
      const name = id.startsWith('arn:') ? (id.split(':function:')[1]?.split(':')[0] ?? '') : id;
      return name ? hit('function', name, `Security Hub names Lambda function ${name}.`) : null;
    },
  ],
]);

/** The first resource of a type Lariat can contain, in the region the resource names (if it does). */
function fromSecurityHub(raw: Obj): Hit | null {
  // A hostile or damaged file may hold anything in the list: a non-object entry is skipped, never read (no internal error).
  for (const res of (Array.isArray(raw.Resources) ? (raw.Resources as unknown[]) : []).map(obj)) {
    const h = SECURITY_HUB.get(typeof res.Type === 'string' ? res.Type : '')?.(str(res.Id) ?? '', obj(res.Details));
    if (h) return { ...h, region: str(res.Region) ?? undefined };
  }
  return null;
}

/**
 * The containment that fits what a finding names, pre-filled: an EC2
 * instance → isolate, an access key or IAM user → credentials, a role (an
 * instance role's exfiltrated session too) → role-sessions, a bucket →
 * s3-contain, a function → lambda-contain. Pure: it plans nothing.
 */
export function suggestContainment(f: FindingFacts, caseNumber: string, available: (kind: string) => boolean): ContainmentSuggestion {
  const hit = f.source === 'guardduty' ? fromGuardDuty(f.raw) : fromSecurityHub(f.raw);
  if (!hit)
    return {
      kind: null,
      resource: null,
      resourceType: null,
      input: null,
      reason: 'The finding names no resource Lariat can contain (instance, access key, user, role, bucket, function).',
      available: false,
    };
  const region = hit.region || f.region;
  const input = { kind: hit.kind, caseNumber, region, ...hit.fields };
  return {
    kind: hit.kind,
    resource: hit.resource,
    resourceType: hit.resourceType,
    reason: hit.reason,
    input,
    available: available(hit.kind!),
  };
}
