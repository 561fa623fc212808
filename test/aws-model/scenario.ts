import type { AwsModel } from './model';
import type { InstanceState } from './modules/ec2-instances';
import type { NetworkState } from './modules/ec2-interfaces';
import type { GroupState } from './modules/ec2-security-groups';
import type { AclState } from './modules/ec2-network-acls';
import type { TagState } from './modules/ec2-tags';
import type { AsgState } from './modules/autoscaling';
import type { ElbState } from './modules/elbv2';
import type { IamState } from './modules/iam';
import type { SsmState } from './modules/ssm';
import type { S3State } from './modules/s3';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const ID = 'i-0abc1234def567890';
export const OTHER_ID = 'i-0other000000000000';
export const VPC = 'vpc-0a1b2c3d';
export const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/web-profile`;
export const QUARANTINE_PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/quarantine`;
export const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web-tg/0123456789abcdef`;
export const OTHER_TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/other-tg/fedcba9876543210`;
export const BUCKET = 'ir-evidence';

export interface ScenarioOptions {
  /** In an Auto Scaling group (with this maximum size; desired 2). */
  asg?: false | { max: number };
  targetGroup?: boolean;
  ssm?: 'Online' | 'ConnectionLost' | null;
  profile?: boolean;
  eip?: boolean;
  platform?: 'linux' | 'windows';
  /** Lariat's groups already exist in the VPC, and someone changed their rules. */
  tamperedGroups?: boolean;
  screenshot?: 'ok' | 'unsupported';
  consoleOutput?: string;
  /** The primary interface also has a secondary private IP and an IPv6 address. */
  extraIps?: boolean;
}

/**
 * The investigator's world: web-1 in a VPC with two interfaces (two subnets,
 * two network ACLs), an Elastic IP, an instance profile, an Auto Scaling group
 * of two, a target group, two volumes, SSM online, and an evidence bucket.
 * The ids match test/unit/response/fixtures.ts so per-call tests and model
 * tests read alike.
 */
export function seedScenario(model: AwsModel, o: ScenarioOptions = {}): void {
  const opts = { asg: { max: 3 }, targetGroup: true, ssm: 'Online' as const, profile: true, eip: true, platform: 'linux' as const, ...o };
  const ec2 = model.slice<InstanceState>('ec2-instances', REGION);
  const net = model.slice<NetworkState>('ec2-interfaces', REGION);
  const sgs = model.slice<GroupState>('ec2-security-groups', REGION);
  const acls = model.slice<AclState>('ec2-network-acls', REGION);
  const tags = model.slice<TagState>('ec2-tags', REGION).tags;
  const base = {
    State: 'running' as const,
    InstanceType: 't3.medium',
    VpcId: VPC,
    SubnetId: 'subnet-1',
    AvailabilityZone: 'eu-west-1a',
    LaunchTime: '2026-11-20T08:00:00.000Z',
    disableApiTermination: false,
    shutdownBehavior: 'terminate' as const,
    screenshot: opts.screenshot ?? 'ok',
  };
  ec2.instances[ID] = {
    ...base,
    InstanceId: ID,
    ...(opts.platform === 'windows' ? { Platform: 'windows' as const } : {}),
    blockDevices: [
      { DeviceName: '/dev/xvda', VolumeId: 'vol-1', DeleteOnTermination: true },
      { DeviceName: '/dev/xvdf', VolumeId: 'vol-2', DeleteOnTermination: true },
    ],
    consoleOutput: opts.consoleOutput ?? 'Linux version 6.1\nlogin: ',
  };
  ec2.instances[OTHER_ID] = {
    ...base,
    InstanceId: OTHER_ID,
    blockDevices: [{ DeviceName: '/dev/xvda', VolumeId: 'vol-3', DeleteOnTermination: true }],
    consoleOutput: '',
  };
  ec2.volumes['vol-1'] = { VolumeId: 'vol-1', Size: 8, Encrypted: true };
  ec2.volumes['vol-2'] = { VolumeId: 'vol-2', Size: 100, Encrypted: true };
  ec2.volumes['vol-3'] = { VolumeId: 'vol-3', Size: 8, Encrypted: true };
  tags[ID] = { Name: 'web-1' };
  tags[OTHER_ID] = { Name: 'web-2' };

  for (const [id, name] of [
    ['sg-web', 'web'],
    ['sg-ssh', 'ssh'],
    ['sg-db', 'db'],
  ] as const)
    sgs.groups[id] = {
      GroupId: id,
      GroupName: name,
      Description: name,
      VpcId: VPC,
      ingress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, peer: { v4: '0.0.0.0/0' } }],
      egress: [{ IpProtocol: '-1', peer: { v4: '0.0.0.0/0' } }],
    };
  if (opts.tamperedGroups) {
    // Lariat made these for an earlier case; since then someone removed the transit group's IPv6 rules and opened SSH on the isolation group.
    sgs.groups['sg-oldtransit'] = {
      GroupId: 'sg-oldtransit',
      GroupName: `lariat-transit-${VPC}`,
      Description: 'Lariat isolation transit',
      VpcId: VPC,
      ingress: [{ IpProtocol: '-1', peer: { v4: '0.0.0.0/0' } }],
      egress: [],
    };
    sgs.groups['sg-oldiso'] = {
      GroupId: 'sg-oldiso',
      GroupName: `lariat-isolation-${VPC}`,
      Description: 'Lariat isolation',
      VpcId: VPC,
      ingress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, peer: { v4: '0.0.0.0/0' } }],
      egress: [{ IpProtocol: '-1', peer: { v6: '::/0' } }],
    };
    tags['sg-oldtransit'] = { 'lariat:role': 'isolation-transit' };
    tags['sg-oldiso'] = { 'lariat:role': 'isolation' };
  }

  net.interfaces['eni-1'] = {
    NetworkInterfaceId: 'eni-1',
    SubnetId: 'subnet-1',
    VpcId: VPC,
    privateIps: opts.extraIps ? ['10.0.1.15', '10.0.1.16'] : ['10.0.1.15'],
    ipv6: opts.extraIps ? ['2001:db8::15'] : [],
    groups: ['sg-web', 'sg-ssh'],
    instanceId: ID,
    deviceIndex: 0,
  };
  net.interfaces['eni-2'] = {
    NetworkInterfaceId: 'eni-2',
    SubnetId: 'subnet-2',
    VpcId: VPC,
    privateIps: ['10.0.2.20'],
    ipv6: [],
    groups: ['sg-db'],
    instanceId: ID,
    deviceIndex: 1,
  };
  net.interfaces['eni-3'] = {
    NetworkInterfaceId: 'eni-3',
    SubnetId: 'subnet-1',
    VpcId: VPC,
    privateIps: ['10.0.1.30'],
    ipv6: [],
    groups: ['sg-web'],
    instanceId: OTHER_ID,
    deviceIndex: 0,
  };
  if (opts.eip)
    net.addresses['eipalloc-1'] = {
      AllocationId: 'eipalloc-1',
      PublicIp: '203.0.113.10',
      AssociationId: 'eipassoc-1',
      NetworkInterfaceId: 'eni-1',
      PrivateIpAddress: '10.0.1.15',
    };
  const allow = (RuleNumber: number, Egress: boolean) => ({
    RuleNumber,
    Egress,
    Protocol: '-1',
    RuleAction: 'allow' as const,
    CidrBlock: '0.0.0.0/0',
  });
  acls.acls['acl-main'] = {
    NetworkAclId: 'acl-main',
    VpcId: VPC,
    IsDefault: true,
    entries: [allow(100, false), allow(100, true)],
    subnets: ['subnet-1', 'subnet-2'],
  };
  acls.acls['acl-nat'] = {
    NetworkAclId: 'acl-nat',
    VpcId: VPC,
    IsDefault: false,
    entries: [{ ...allow(10, false), RuleAction: 'deny', CidrBlock: '198.51.100.0/24' }, allow(100, false), allow(100, true)],
    subnets: ['subnet-nat'],
  };

  const iamState = model.slice<IamState>('iam');
  iamState.roles['web-role'] = { RoleName: 'web-role', Arn: `arn:aws:iam::${ACCOUNT}:role/web-role`, inline: {} };
  iamState.instanceProfiles['web-profile'] = { InstanceProfileName: 'web-profile', Arn: PROFILE_ARN, roles: ['web-role'] };
  iamState.instanceProfiles['quarantine'] = { InstanceProfileName: 'quarantine', Arn: QUARANTINE_PROFILE_ARN, roles: [] };
  if (opts.profile)
    net.associations['iip-assoc-1'] = { AssociationId: 'iip-assoc-1', InstanceId: ID, Arn: PROFILE_ARN, State: 'associated' };

  if (opts.asg)
    model.slice<AsgState>('autoscaling', REGION).groups['web-asg'] = {
      AutoScalingGroupName: 'web-asg',
      MinSize: 1,
      MaxSize: opts.asg.max,
      DesiredCapacity: 2,
      members: [
        { InstanceId: ID, LifecycleState: 'InService', AvailabilityZone: 'eu-west-1a' },
        { InstanceId: OTHER_ID, LifecycleState: 'InService', AvailabilityZone: 'eu-west-1a' },
      ],
    };
  const elb = model.slice<ElbState>('elbv2', REGION);
  elb.targetGroups[TG_ARN] = {
    TargetGroupArn: TG_ARN,
    TargetGroupName: 'web-tg',
    TargetType: 'instance',
    VpcId: VPC,
    Port: 80,
    targets: [...(opts.targetGroup ? [{ Id: ID, Port: 80 }] : []), { Id: OTHER_ID, Port: 80 }],
  };
  elb.targetGroups[OTHER_TG_ARN] = {
    TargetGroupArn: OTHER_TG_ARN,
    TargetGroupName: 'other-tg',
    TargetType: 'instance',
    VpcId: VPC,
    Port: 8080,
    targets: [{ Id: OTHER_ID, Port: 8080 }],
  };
  if (opts.ssm)
    model.slice<SsmState>('ssm', REGION).managed[ID] = {
      InstanceId: ID,
      PingStatus: opts.ssm,
      AgentVersion: '3.3.0',
      PlatformName: opts.platform === 'windows' ? 'Microsoft Windows Server 2022' : 'Amazon Linux',
    };
  model.slice<S3State>('s3').buckets[BUCKET] = { region: REGION, objects: {} };
}
