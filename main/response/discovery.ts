import { AppError } from '../core/errors';
import type { AwsClients } from '../aws/clients';
import type { InstanceDetails, InstanceSummary } from '../../common/contract/response';

/* Loose shapes of the SDK results we read (the SDK's own types are optional-everything anyway). */
interface Ec2Tag {
  Key?: string;
  Value?: string;
}
interface Ec2Instance {
  InstanceId?: string;
  State?: { Name?: string };
  InstanceType?: string;
  PrivateIpAddress?: string;
  PublicIpAddress?: string;
  VpcId?: string;
  SubnetId?: string;
  Placement?: { AvailabilityZone?: string };
  Platform?: string;
  PlatformDetails?: string;
  LaunchTime?: Date | string;
  SecurityGroups?: { GroupId?: string; GroupName?: string }[];
  NetworkInterfaces?: {
    NetworkInterfaceId?: string;
    SubnetId?: string;
    PrivateIpAddress?: string;
    PrivateIpAddresses?: { PrivateIpAddress?: string }[];
    Ipv6Addresses?: { Ipv6Address?: string }[];
    Association?: { PublicIp?: string };
    Groups?: { GroupId?: string }[];
    Attachment?: { DeviceIndex?: number };
  }[];
  IamInstanceProfile?: { Arn?: string };
  BlockDeviceMappings?: { DeviceName?: string; Ebs?: { VolumeId?: string; DeleteOnTermination?: boolean } }[];
  Tags?: Ec2Tag[];
}
interface Reservation {
  OwnerId?: string;
  Instances?: Ec2Instance[];
}

/** Lookups that only enrich a plan: when one fails, planning goes on and says what the plan cannot do. */
export type Lookup = 'autoScaling' | 'targetGroups' | 'ssm' | 'profileAssociation' | 'profileRole' | 'elasticIps' | 'volumes';

/** Everything a plan needs about an instance; a superset of what the UI shows. */
export interface InstanceFacts extends InstanceDetails {
  profileAssociationId: string | null;
  /** Enrichment that could not be read (a missing permission, a throttled or unreachable endpoint), shown instead of silently dropped. */
  warnings: string[];
  /** Which lookups failed, and why (plans turn them into warnings that say what they could not plan). */
  lookupFailures: { lookup: Lookup; message: string }[];
  /** Every address of every interface (network ACL containment denies each one). */
  interfaceAddresses: { id: string; subnetId: string | null; privateIps: string[]; ipv6: string[] }[];
}

const tagMap = (tags: Ec2Tag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));

function summary(i: Ec2Instance, region: string, account: string | null): InstanceSummary {
  const tags = tagMap(i.Tags);
  return {
    instanceId: i.InstanceId!,
    region,
    account,
    name: tags.Name ?? null,
    state: i.State?.Name ?? 'unknown',
    instanceType: i.InstanceType ?? null,
    privateIp: i.PrivateIpAddress ?? null,
    publicIp: i.PublicIpAddress ?? null,
    vpcId: i.VpcId ?? null,
    platform: i.Platform === 'windows' ? 'windows' : 'linux',
    launchTime: i.LaunchTime ? new Date(i.LaunchTime).toISOString() : null,
  };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The DescribeInstances filter sets a query means; several sets are OR-ed by separate calls. */
export function filtersFor(query: string): { Name: string; Values: string[] }[][] {
  const q = query.trim();
  if (/^i-[0-9a-f]{8,17}$/.test(q)) return [[{ Name: 'instance-id', Values: [q] }]];
  if (IPV4.test(q)) return [[{ Name: 'private-ip-address', Values: [q] }], [{ Name: 'ip-address', Values: [q] }]];
  const eq = q.indexOf('=');
  if (eq > 0) return [[{ Name: `tag:${q.slice(0, eq).trim()}`, Values: [q.slice(eq + 1).trim()] }]];
  return [[{ Name: 'tag:Name', Values: [`*${q}*`] }]];
}

/**
 * Finds EC2 instances and reads everything isolation and acquisition depend
 * on, with read-only calls only: which Auto Scaling group and target groups
 * hold the instance, its network interfaces and groups, its instance profile
 * and role, volumes, Elastic IPs and whether SSM manages it.
 */
export class DiscoveryService {
  constructor(private readonly clients: AwsClients) {}

  async search(query: string, regions: string[], signal?: AbortSignal): Promise<InstanceSummary[]> {
    const found = new Map<string, InstanceSummary>();
    for (const region of regions) {
      for (const Filters of filtersFor(query)) {
        let NextToken: string | undefined;
        for (let page = 0; page < 10; page++) {
          const out = await this.clients.call<{ Reservations?: Reservation[]; NextToken?: string }>(
            'ec2',
            region,
            'DescribeInstances',
            { Filters, MaxResults: 200, ...(NextToken ? { NextToken } : {}) },
            { signal },
          );
          for (const r of out.Reservations ?? [])
            for (const i of r.Instances ?? [])
              if (i.InstanceId) found.set(`${region}/${i.InstanceId}`, summary(i, region, r.OwnerId ?? null));
          NextToken = out.NextToken;
          if (!NextToken) break;
        }
      }
    }
    return [...found.values()].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.instanceId.localeCompare(b.instanceId));
  }

  async describe(region: string, instanceId: string, signal?: AbortSignal): Promise<InstanceFacts> {
    const c = this.clients;
    const out = await c.call<{ Reservations?: Reservation[] }>(
      'ec2',
      region,
      'DescribeInstances',
      { InstanceIds: [instanceId] },
      { signal, context: instanceId },
    );
    const reservation = out.Reservations?.find((r) => r.Instances?.some((i) => i.InstanceId === instanceId));
    const inst = reservation?.Instances?.find((i) => i.InstanceId === instanceId);
    if (!inst)
      throw new AppError(
        'aws-not-found',
        `Instance ${instanceId} was not found in ${region}.`,
        'Check the instance id and the region (and that Lariat is connected to the right account).',
      );
    const warnings: string[] = [];
    const lookupFailures: InstanceFacts['lookupFailures'] = [];
    // Enrichment never stops planning: denied, throttled, failing or unreachable, it becomes a warning.
    const soft = async <T>(what: string, lookup: Lookup, fn: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        if (signal?.aborted) throw err;
        const message = err instanceof Error ? err.message : String(err);
        warnings.push(`${what}: ${message}`);
        lookupFailures.push({ lookup, message });
        return fallback;
      }
    };
    const base = summary(inst, region, reservation?.OwnerId ?? null);
    const tags = tagMap(inst.Tags);

    const asg = await soft(
      'Auto Scaling',
      'autoScaling',
      () =>
        c.call<{ AutoScalingInstances?: { AutoScalingGroupName?: string; LifecycleState?: string }[] }>(
          'autoscaling',
          region,
          'DescribeAutoScalingInstances',
          { InstanceIds: [instanceId] },
          { signal },
        ),
      {},
    );
    const asgEntry = asg.AutoScalingInstances?.[0];

    const targetGroups = await soft(
      'Target groups',
      'targetGroups',
      () => this.targetGroups(region, instanceId, inst.VpcId ?? null, signal),
      [],
    );

    const ssm = await soft(
      'SSM',
      'ssm',
      () =>
        c.call<{ InstanceInformationList?: { PingStatus?: string; AgentVersion?: string; PlatformName?: string }[] }>(
          'ssm',
          region,
          'DescribeInstanceInformation',
          { Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] },
          { signal },
        ),
      {},
    );
    const info = ssm.InstanceInformationList?.[0];

    const assoc = await soft(
      'Instance profile association',
      'profileAssociation',
      () =>
        c.call<{ IamInstanceProfileAssociations?: { AssociationId?: string; IamInstanceProfile?: { Arn?: string } }[] }>(
          'ec2',
          region,
          'DescribeIamInstanceProfileAssociations',
          {
            Filters: [
              { Name: 'instance-id', Values: [instanceId] },
              { Name: 'state', Values: ['associated'] },
            ],
          },
          { signal },
        ),
      {},
    );
    const association = assoc.IamInstanceProfileAssociations?.[0];
    const profileArn = association?.IamInstanceProfile?.Arn ?? inst.IamInstanceProfile?.Arn ?? null;
    let role: string | null = null;
    if (profileArn) {
      const name = profileArn.split('/').pop()!;
      const prof = await soft(
        'Instance profile role',
        'profileRole',
        () =>
          c.call<{ InstanceProfile?: { Roles?: { RoleName?: string }[] } }>(
            'iam',
            region,
            'GetInstanceProfile',
            { InstanceProfileName: name },
            { signal },
          ),
        {},
      );
      role = prof.InstanceProfile?.Roles?.[0]?.RoleName ?? null;
    }

    const eips = await soft(
      'Elastic IPs',
      'elasticIps',
      () =>
        c.call<{
          Addresses?: {
            PublicIp?: string;
            AllocationId?: string;
            AssociationId?: string;
            NetworkInterfaceId?: string;
            PrivateIpAddress?: string;
          }[];
        }>('ec2', region, 'DescribeAddresses', { Filters: [{ Name: 'instance-id', Values: [instanceId] }] }, { signal }),
      {},
    );

    const mappings = (inst.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.VolumeId);
    const volumeIds = mappings.map((m) => m.Ebs!.VolumeId!);
    const vols = volumeIds.length
      ? await soft(
          'Volumes',
          'volumes',
          () =>
            c.call<{ Volumes?: { VolumeId?: string; Size?: number; Encrypted?: boolean }[] }>(
              'ec2',
              region,
              'DescribeVolumes',
              { VolumeIds: volumeIds },
              { signal },
            ),
          {},
        )
      : {};

    return {
      ...base,
      subnetId: inst.SubnetId ?? null,
      availabilityZone: inst.Placement?.AvailabilityZone ?? null,
      securityGroups: (inst.SecurityGroups ?? []).map((g) => ({ id: g.GroupId ?? '', name: g.GroupName ?? '' })),
      networkInterfaces: (inst.NetworkInterfaces ?? [])
        .map((n) => ({
          id: n.NetworkInterfaceId ?? '',
          privateIp: n.PrivateIpAddress ?? null,
          publicIp: n.Association?.PublicIp ?? null,
          groups: (n.Groups ?? []).map((g) => g.GroupId ?? ''),
          attachmentIndex: n.Attachment?.DeviceIndex ?? 0,
        }))
        .sort((a, b) => a.attachmentIndex - b.attachmentIndex),
      instanceProfileArn: profileArn,
      instanceProfileRole: role,
      profileAssociationId: association?.AssociationId ?? null,
      autoScalingGroup: asgEntry?.AutoScalingGroupName ?? null,
      autoScalingState: asgEntry?.LifecycleState ?? null,
      targetGroups,
      volumes: mappings.map((m) => {
        const v = vols.Volumes?.find((x) => x.VolumeId === m.Ebs!.VolumeId);
        return {
          id: m.Ebs!.VolumeId!,
          device: m.DeviceName ?? '',
          sizeGiB: v?.Size ?? null,
          encrypted: v?.Encrypted ?? null,
          deleteOnTermination: m.Ebs?.DeleteOnTermination ?? null,
        };
      }),
      elasticIps: (eips.Addresses ?? []).map((a) => ({
        publicIp: a.PublicIp ?? '',
        allocationId: a.AllocationId ?? null,
        associationId: a.AssociationId ?? null,
        networkInterfaceId: a.NetworkInterfaceId ?? null,
        privateIp: a.PrivateIpAddress ?? null,
      })),
      ssm: {
        managed: Boolean(info),
        pingStatus: info?.PingStatus ?? null,
        agentVersion: info?.AgentVersion ?? null,
        platformName: info?.PlatformName ?? null,
      },
      tags,
      isolation: tags['lariat:state'] ?? null,
      warnings,
      lookupFailures,
      interfaceAddresses: (inst.NetworkInterfaces ?? []).map((n) => ({
        id: n.NetworkInterfaceId ?? '',
        subnetId: n.SubnetId ?? null,
        privateIps: n.PrivateIpAddresses?.length
          ? n.PrivateIpAddresses.map((a) => a.PrivateIpAddress ?? '').filter(Boolean)
          : n.PrivateIpAddress
            ? [n.PrivateIpAddress]
            : [],
        ipv6: (n.Ipv6Addresses ?? []).map((a) => a.Ipv6Address ?? '').filter(Boolean),
      })),
    };
  }

  /** Target groups (instance type, same VPC) in which the instance is registered, with the port of each registration. */
  private async targetGroups(
    region: string,
    instanceId: string,
    vpcId: string | null,
    signal?: AbortSignal,
  ): Promise<InstanceDetails['targetGroups']> {
    const groups: { TargetGroupArn?: string; TargetGroupName?: string; TargetType?: string; VpcId?: string }[] = [];
    let Marker: string | undefined;
    for (let page = 0; page < 20; page++) {
      const out = await this.clients.call<{ TargetGroups?: typeof groups; NextMarker?: string }>(
        'elbv2',
        region,
        'DescribeTargetGroups',
        Marker ? { Marker } : {},
        { signal },
      );
      groups.push(...(out.TargetGroups ?? []));
      Marker = out.NextMarker;
      if (!Marker) break;
    }
    const result: InstanceDetails['targetGroups'] = [];
    for (const g of groups) {
      if (g.TargetType && g.TargetType !== 'instance') continue;
      if (vpcId && g.VpcId && g.VpcId !== vpcId) continue;
      const health = await this.clients.call<{
        TargetHealthDescriptions?: { Target?: { Id?: string; Port?: number }; TargetHealth?: { State?: string } }[];
      }>('elbv2', region, 'DescribeTargetHealth', { TargetGroupArn: g.TargetGroupArn }, { signal });
      for (const d of health.TargetHealthDescriptions ?? []) {
        if (d.Target?.Id === instanceId)
          result.push({
            arn: g.TargetGroupArn ?? '',
            name: g.TargetGroupName ?? '',
            port: d.Target.Port ?? null,
            health: d.TargetHealth?.State ?? null,
          });
      }
    }
    return result;
  }
}
