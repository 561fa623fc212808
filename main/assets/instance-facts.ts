import type { InstanceDetails } from '../../common/contract/response';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
/** Reads PascalCase or camelCase keys: GuardDuty exports come in both. */
const get = (o: Obj, key: string): unknown => o[key] ?? o[key.charAt(0).toLowerCase() + key.slice(1)];

/** What a finding says about an instance, in the shape the Assets tab shows for an instance described from AWS. */
export type InstanceFacts = Partial<
  Pick<
    InstanceDetails,
    | 'state'
    | 'instanceType'
    | 'privateIp'
    | 'publicIp'
    | 'vpcId'
    | 'subnetId'
    | 'availabilityZone'
    | 'securityGroups'
    | 'networkInterfaces'
    | 'instanceProfileArn'
    | 'platform'
    | 'launchTime'
    | 'tags'
    | 'name'
  >
> & {
  /** Where these facts come from and as of when: a finding is a report at a moment, not a live description. */
  factsSource: string;
  factsAsOf: string | null;
};

/** Drops what the finding did not say, so a merge never overwrites a known fact with nothing. */
const defined = <T extends Obj>(o: T): { [K in keyof T]?: Exclude<T[K], null> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: Exclude<T[K], null> };

/** GuardDuty's `Resource.InstanceDetails` (finding JSON, EventBridge `detail`, either key case). */
function fromGuardDuty(finding: Obj, instanceId: string): Omit<InstanceFacts, 'factsSource' | 'factsAsOf'> | null {
  const d = obj(get(obj(get(finding, 'Resource')), 'InstanceDetails'));
  if (str(get(d, 'InstanceId')) !== instanceId) return null;
  const nics = arr(get(d, 'NetworkInterfaces'));
  const tags = Object.fromEntries(
    arr(get(d, 'Tags'))
      .map((t) => [str(get(t, 'Key')), str(get(t, 'Value')) ?? ''] as const)
      .filter((t): t is readonly [string, string] => t[0] !== null),
  );
  const groups = nics.flatMap((n) => arr(get(n, 'SecurityGroups')));
  return defined({
    state: str(get(d, 'InstanceState')),
    instanceType: str(get(d, 'InstanceType')),
    platform: str(get(d, 'Platform')),
    launchTime: str(get(d, 'LaunchTime')),
    availabilityZone: str(get(d, 'AvailabilityZone')),
    instanceProfileArn: str(get(obj(get(d, 'IamInstanceProfile')), 'Arn')),
    privateIp: str(get(nics[0] ?? {}, 'PrivateIpAddress')),
    publicIp: nics.map((n) => str(get(n, 'PublicIp'))).find(Boolean) ?? null,
    vpcId: str(get(nics[0] ?? {}, 'VpcId')),
    subnetId: str(get(nics[0] ?? {}, 'SubnetId')),
    securityGroups: [...new Map(groups.map((g) => [str(get(g, 'GroupId')) ?? '', str(get(g, 'GroupName')) ?? ''])).entries()]
      .filter(([id]) => id)
      .map(([id, name]) => ({ id, name })),
    networkInterfaces: nics.map((n, i) => ({
      id: str(get(n, 'NetworkInterfaceId')) ?? `interface ${i}`,
      privateIp: str(get(n, 'PrivateIpAddress')),
      publicIp: str(get(n, 'PublicIp')),
      groups: arr(get(n, 'SecurityGroups'))
        .map((g) => str(get(g, 'GroupId')))
        .filter((g): g is string => g !== null),
      attachmentIndex: i,
    })),
    tags: Object.keys(tags).length ? tags : null,
    name: tags.Name ?? null,
  });
}

/** ASFF's `Resources[].Details.AwsEc2Instance` for the resource naming this instance. */
function fromAsff(finding: Obj, instanceId: string): Omit<InstanceFacts, 'factsSource' | 'factsAsOf'> | null {
  const r = arr(finding.Resources).find((x) => str(x.Type) === 'AwsEc2Instance' && (str(x.Id) ?? '').endsWith(instanceId));
  if (!r) return null;
  const d = obj(obj(r.Details).AwsEc2Instance);
  const v4 = Array.isArray(d.IpV4Addresses) ? d.IpV4Addresses.map(str).filter((x): x is string => x !== null) : [];
  const isPrivate = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip);
  const tags = obj(r.Tags);
  return defined({
    instanceType: str(d.Type),
    launchTime: str(d.LaunchedAt),
    vpcId: str(d.VpcId),
    subnetId: str(d.SubnetId),
    instanceProfileArn: str(d.IamInstanceProfileArn),
    privateIp: v4.find(isPrivate) ?? null,
    publicIp: v4.find((ip) => !isPrivate(ip)) ?? null,
    networkInterfaces: arr(d.NetworkInterfaces).length
      ? arr(d.NetworkInterfaces).map((n, i) => ({
          id: str(n.NetworkInterfaceId) ?? `interface ${i}`,
          privateIp: null,
          publicIp: null,
          groups: [],
          attachmentIndex: i,
        }))
      : null,
    tags: Object.keys(tags).length ? (tags as Record<string, string>) : null,
    name: str(tags.Name),
  });
}

/**
 * The instance facts a GuardDuty or Security Hub finding carries for one of its instances (state, type,
 * IPs, VPC, subnet, groups, interfaces, profile), so an asset made from a finding shows them before anyone
 * describes the instance in AWS. Null when the finding says nothing about that instance.
 */
export function instanceFactsFromFinding(
  source: 'guardduty' | 'securityhub',
  raw: unknown,
  instanceId: string,
  finding: { findingId: string; lastSeen: string | null },
): InstanceFacts | null {
  const f = obj(raw);
  const facts = source === 'guardduty' ? fromGuardDuty(obj(isObj(f.detail) ? f.detail : f), instanceId) : fromAsff(f, instanceId);
  if (!facts || Object.keys(facts).length === 0) return null;
  return {
    ...facts,
    factsSource: `${source === 'guardduty' ? 'GuardDuty' : 'Security Hub'} finding ${finding.findingId}`,
    factsAsOf: finding.lastSeen,
  };
}
