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

type Hit = Pick<ContainmentSuggestion, 'kind' | 'resource' | 'resourceType' | 'reason'> & { fields: Obj };

/** GuardDuty: Resource.ResourceType says what the finding is about (InstanceCredentialExfiltration: an AccessKey of an AssumedRole). */
function fromGuardDuty(raw: Obj): Hit | null {
  const r = obj(raw.Resource);
  const type = str(r.ResourceType);
  if (type === 'Instance') {
    const id = str(obj(r.InstanceDetails).InstanceId);
    if (id)
      return {
        kind: 'isolate',
        resource: id,
        resourceType: 'ec2-instance',
        reason: `GuardDuty names EC2 instance ${id}.`,
        fields: { instanceId: id },
      };
  }
  if (type === 'AccessKey') {
    const a = obj(r.AccessKeyDetails);
    const key = str(a.AccessKeyId);
    const user = str(a.UserName);
    if (a.UserType === 'AssumedRole' && user)
      return {
        kind: 'role-sessions',
        resource: user,
        resourceType: 'iam-role',
        reason: `GuardDuty names a session of role ${user}.`,
        fields: { role: user },
      };
    if (a.UserType === 'IAMUser' && key && /^AKIA/.test(key))
      return {
        kind: 'credentials',
        resource: key,
        resourceType: 'access-key',
        reason: `GuardDuty names access key ${key} of user ${user ?? '?'}.`,
        fields: { accessKeyId: key },
      };
    if (a.UserType === 'IAMUser' && user)
      return {
        kind: 'credentials',
        resource: user,
        resourceType: 'iam-user',
        reason: `GuardDuty names IAM user ${user}.`,
        fields: { userName: user },
      };
  }
  if (type === 'S3Bucket') {
    const b = [obj(r.S3BucketDetails)]
      .concat(Array.isArray(r.S3BucketDetails) ? (r.S3BucketDetails as Obj[]) : [])
      .map((x) => str(x.Name))
      .find(Boolean);
    if (b)
      return { kind: 's3-contain', resource: b, resourceType: 's3-bucket', reason: `GuardDuty names bucket ${b}.`, fields: { bucket: b } };
  }
  if (type === 'Lambda') {
    const l = obj(r.LambdaDetails);
    const name = str(l.FunctionName) ?? (str(l.FunctionArn) ? last(String(l.FunctionArn), ':') : null);
    if (name)
      return {
        kind: 'lambda-contain',
        resource: name,
        resourceType: 'lambda-function',
        reason: `GuardDuty names Lambda function ${name}.`,
        fields: { functionName: name },
      };
  }
  return null;
}

/** Security Hub (ASFF): the first resource of a type Lariat can contain. */
function fromSecurityHub(raw: Obj): (Hit & { region?: string }) | null {
  for (const res of Array.isArray(raw.Resources) ? (raw.Resources as Obj[]) : []) {
    const id = str(res.Id) ?? '';
    const region = str(res.Region) ?? undefined;
    const d = obj(res.Details);
    switch (res.Type) {
      case 'AwsEc2Instance': {
        const i = /i-[0-9a-f]{8,17}/.exec(id)?.[0];
        if (i)
          return {
            kind: 'isolate',
            resource: i,
            resourceType: 'ec2-instance',
            reason: `Security Hub names EC2 instance ${i}.`,
            fields: { instanceId: i },
            region,
          };
        break;
      }
      case 'AwsIamAccessKey': {
        const k = obj(d.AwsIamAccessKey);
        const key = /AKIA[A-Z0-9]{12,}/.exec(id)?.[0];
        const user = str(k.PrincipalName) ?? str(k.UserName);
        if (key)
          return {
            kind: 'credentials',
            resource: key,
            resourceType: 'access-key',
            reason: `Security Hub names access key ${key}.`,
            fields: { accessKeyId: key },
            region,
          };
        if (user)
          return {
            kind: 'credentials',
            resource: user,
            resourceType: 'iam-user',
            reason: `Security Hub names the key of user ${user}.`,
            fields: { userName: user },
            region,
          };
        break;
      }
      case 'AwsIamUser':
        if (id.includes(':user/'))
          return {
            kind: 'credentials',
            resource: last(id),
            resourceType: 'iam-user',
            reason: `Security Hub names IAM user ${last(id)}.`,
            fields: { userArn: id },
            region,
          };
        break;
      case 'AwsIamRole':
        if (id.includes(':role/'))
          return {
            kind: 'role-sessions',
            resource: last(id),
            resourceType: 'iam-role',
            reason: `Security Hub names IAM role ${last(id)}.`,
            fields: { role: id },
            region,
          };
        break;
      case 'AwsS3Bucket': {
        const b = id.startsWith('arn:') ? last(id, ':') : id;
        if (b)
          return {
            kind: 's3-contain',
            resource: b,
            resourceType: 's3-bucket',
            reason: `Security Hub names bucket ${b}.`,
            fields: { bucket: b },
            region,
          };
        break;
      }
      case 'AwsLambdaFunction': {
        const name = id.startsWith('arn:') ? (id.split(':function:')[1]?.split(':')[0] ?? '') : id;
        if (name)
          return {
            kind: 'lambda-contain',
            resource: name,
            resourceType: 'lambda-function',
            reason: `Security Hub names Lambda function ${name}.`,
            fields: { functionName: name },
            region,
          };
        break;
      }
    }
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
  const region = ('region' in hit && hit.region) || f.region;
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
