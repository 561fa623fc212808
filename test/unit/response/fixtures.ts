import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { createResponseFeature, type ResponseFeature } from '../../../main/response';
import { createHandlers, type Handlers } from '../../../main/ipc/handlers';
import { AwsMock } from './aws-mock';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const ID = 'i-0abc1234def567890';
export const VPC = 'vpc-0a1b2c3d';
export const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/web-profile`;
export const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web-tg/0123456789abcdef`;
export const OTHER_TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/other-tg/fedcba9876543210`;
/** Fake but well-formed secrets: the leak test looks for each of them. */
export const SECRETS = {
  baseKeyId: 'AKIAIOSFODNN7EXAMPLE',
  baseSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  assumedKeyId: 'ASIAQWERTYUIOPASDFGH',
  assumedSecret: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLEsessionTOKENvalue0123456789abcdefSECRET',
};

export interface InstanceOptions {
  asg?: boolean;
  targetGroup?: boolean;
  ssm?: 'Online' | 'ConnectionLost' | null;
  profile?: boolean;
  eip?: boolean;
  /** The isolation and transit groups already exist in the VPC. */
  groupsExist?: boolean;
  platform?: 'linux' | 'windows';
}

/** Answers every read-only call about the test instance, and accepts every change. */
export function stubInstance(mock: AwsMock, o: InstanceOptions = {}): void {
  const opts = {
    asg: true,
    targetGroup: true,
    ssm: 'Online' as const,
    profile: true,
    eip: true,
    groupsExist: false,
    platform: 'linux' as const,
    ...o,
  };
  const instance = {
    InstanceId: ID,
    State: { Name: 'running' },
    InstanceType: 't3.medium',
    PrivateIpAddress: '10.0.1.15',
    PublicIpAddress: '203.0.113.10',
    VpcId: VPC,
    SubnetId: 'subnet-1',
    Placement: { AvailabilityZone: 'eu-west-1a' },
    ...(opts.platform === 'windows' ? { Platform: 'windows' } : {}),
    LaunchTime: new Date('2026-11-20T08:00:00Z'),
    SecurityGroups: [
      { GroupId: 'sg-web', GroupName: 'web' },
      { GroupId: 'sg-ssh', GroupName: 'ssh' },
    ],
    NetworkInterfaces: [
      {
        NetworkInterfaceId: 'eni-1',
        PrivateIpAddress: '10.0.1.15',
        Association: { PublicIp: '203.0.113.10' },
        Groups: [{ GroupId: 'sg-web' }, { GroupId: 'sg-ssh' }],
        Attachment: { DeviceIndex: 0 },
      },
      { NetworkInterfaceId: 'eni-2', PrivateIpAddress: '10.0.2.20', Groups: [{ GroupId: 'sg-db' }], Attachment: { DeviceIndex: 1 } },
    ],
    ...(opts.profile ? { IamInstanceProfile: { Arn: PROFILE_ARN } } : {}),
    BlockDeviceMappings: [
      { DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-1', DeleteOnTermination: true } },
      { DeviceName: '/dev/xvdf', Ebs: { VolumeId: 'vol-2', DeleteOnTermination: true } },
    ],
    Tags: [{ Key: 'Name', Value: 'web-1' }],
  };
  mock
    .on('ec2', 'DescribeInstances', { Reservations: [{ OwnerId: ACCOUNT, Instances: [instance] }] })
    .on('autoscaling', 'DescribeAutoScalingInstances', {
      AutoScalingInstances: opts.asg ? [{ AutoScalingGroupName: 'web-asg', LifecycleState: 'InService', InstanceId: ID }] : [],
    })
    .on('elbv2', 'DescribeTargetGroups', {
      TargetGroups: [
        { TargetGroupArn: TG_ARN, TargetGroupName: 'web-tg', TargetType: 'instance', VpcId: VPC },
        { TargetGroupArn: OTHER_TG_ARN, TargetGroupName: 'other-tg', TargetType: 'instance', VpcId: VPC },
      ],
    })
    .on('elbv2', 'DescribeTargetHealth', (input) =>
      input.TargetGroupArn === TG_ARN && opts.targetGroup
        ? {
            TargetHealthDescriptions: [
              { Target: { Id: ID, Port: 80 }, TargetHealth: { State: 'healthy' } },
              { Target: { Id: 'i-0other000000000000', Port: 80 } },
            ],
          }
        : { TargetHealthDescriptions: [{ Target: { Id: 'i-0other000000000000', Port: 8080 } }] },
    )
    .on('ssm', 'DescribeInstanceInformation', {
      InstanceInformationList: opts.ssm
        ? [{ InstanceId: ID, PingStatus: opts.ssm, AgentVersion: '3.3.0', PlatformName: 'Amazon Linux' }]
        : [],
    })
    .on('ec2', 'DescribeIamInstanceProfileAssociations', {
      IamInstanceProfileAssociations: opts.profile
        ? [{ AssociationId: 'iip-assoc-1', InstanceId: ID, IamInstanceProfile: { Arn: PROFILE_ARN }, State: 'associated' }]
        : [],
    })
    .on('iam', 'GetInstanceProfile', { InstanceProfile: { InstanceProfileName: 'web-profile', Roles: [{ RoleName: 'web-role' }] } })
    .on('ec2', 'DescribeAddresses', {
      Addresses: opts.eip
        ? [
            {
              PublicIp: '203.0.113.10',
              AllocationId: 'eipalloc-1',
              AssociationId: 'eipassoc-1',
              NetworkInterfaceId: 'eni-1',
              PrivateIpAddress: '10.0.1.15',
              InstanceId: ID,
            },
          ]
        : [],
    })
    .on('ec2', 'DescribeVolumes', {
      Volumes: [
        { VolumeId: 'vol-1', Size: 8, Encrypted: true },
        { VolumeId: 'vol-2', Size: 100, Encrypted: true },
      ],
    })
    .on('ec2', 'GetConsoleOutput', { InstanceId: ID, Output: Buffer.from('Linux version 6.1\nlogin: ').toString('base64') })
    .on('ec2', 'GetConsoleScreenshot', { InstanceId: ID, ImageData: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64') })
    // Answers for the checks steps make first; "not in place", so every change is called.
    .on('ec2', 'DescribeInstanceAttribute', {})
    .on('ec2', 'DescribeNetworkInterfaces', { NetworkInterfaces: [] })
    .on('ec2', 'DescribeTags', { Tags: [] })
    .on('iam', 'GetRolePolicy', () => {
      throw Object.assign(new Error('The role policy cannot be found.'), { name: 'NoSuchEntity', $metadata: { httpStatusCode: 404 } });
    })
    .on('ssm', 'ListCommands', { Commands: [] });
  stubSecurityGroups(mock, opts.groupsExist);
  for (const op of [
    'ModifyInstanceAttribute',
    'ModifyNetworkInterfaceAttribute',
    'DisassociateAddress',
    'AssociateAddress',
    'DisassociateIamInstanceProfile',
    'CreateTags',
    'ModifySnapshotAttribute',
  ]) {
    mock.on('ec2', op, {});
  }
  mock
    .on('ec2', 'AssociateIamInstanceProfile', { IamInstanceProfileAssociation: { AssociationId: 'iip-assoc-2' } })
    .on('ec2', 'ReplaceIamInstanceProfileAssociation', { IamInstanceProfileAssociation: { AssociationId: 'iip-assoc-3' } })
    .on('autoscaling', 'DetachInstances', { Activities: [] })
    .on('autoscaling', 'EnterStandby', { Activities: [] })
    .on('autoscaling', 'AttachInstances', {})
    .on('autoscaling', 'ExitStandby', { Activities: [] })
    .on('elbv2', 'DeregisterTargets', {})
    .on('elbv2', 'RegisterTargets', {})
    .on('iam', 'PutRolePolicy', {})
    .on('sts', 'GetCallerIdentity', {
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/LariatResponder/lariat-responder`,
      UserId: 'AROAEXAMPLE:lariat',
    });
}

type Perm = Record<string, unknown>;

/**
 * Security groups need state even in per-call tests: isolation makes a
 * group's rules exact by reading them back, so the stub remembers the groups
 * it created and the rules authorized or revoked since.
 */
function stubSecurityGroups(mock: AwsMock, exist: boolean): void {
  const allowAll = [
    { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
  ];
  const groups = new Map<
    string,
    { GroupId: string; GroupName: string; VpcId: string; IpPermissions: Perm[]; IpPermissionsEgress: Perm[] }
  >();
  if (exist) {
    groups.set('sg-iso', {
      GroupId: 'sg-iso',
      GroupName: `lariat-isolation-${VPC}`,
      VpcId: VPC,
      IpPermissions: [],
      IpPermissionsEgress: [],
    });
    groups.set('sg-transit', {
      GroupId: 'sg-transit',
      GroupName: `lariat-transit-${VPC}`,
      VpcId: VPC,
      IpPermissions: [...allowAll],
      IpPermissionsEgress: [...allowAll],
    });
  }
  const same = (a: Perm, b: Perm) => JSON.stringify(a) === JSON.stringify(b);
  const edit = (dir: 'IpPermissions' | 'IpPermissionsEgress', add: boolean) => (input: Record<string, unknown>) => {
    const g = groups.get(String(input.GroupId));
    if (!g) throw Object.assign(new Error('no such group'), { name: 'InvalidGroup.NotFound' });
    for (const p of input.IpPermissions as Perm[]) g[dir] = add ? [...g[dir], p] : g[dir].filter((x) => !same(x, p));
    return { Return: true };
  };
  mock
    .on('ec2', 'DescribeSecurityGroups', (input) => {
      const filters = (input.Filters ?? []) as { Name: string; Values: string[] }[];
      const names = filters.find((f) => f.Name === 'group-name')?.Values;
      const ids = input.GroupIds as string[] | undefined;
      return {
        SecurityGroups: [...groups.values()]
          .filter((g) => (!names || names.includes(g.GroupName)) && (!ids || ids.includes(g.GroupId)))
          .map((g) => structuredClone(g)),
      };
    })
    .on('ec2', 'CreateSecurityGroup', (input) => {
      const GroupId = String(input.GroupName).includes('transit') ? 'sg-newtransit' : 'sg-newiso';
      groups.set(GroupId, {
        GroupId,
        GroupName: String(input.GroupName),
        VpcId: String(input.VpcId),
        IpPermissions: [],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      });
      return { GroupId };
    })
    .on('ec2', 'AuthorizeSecurityGroupIngress', edit('IpPermissions', true))
    .on('ec2', 'AuthorizeSecurityGroupEgress', edit('IpPermissionsEgress', true))
    .on('ec2', 'RevokeSecurityGroupIngress', edit('IpPermissions', false))
    .on('ec2', 'RevokeSecurityGroupEgress', edit('IpPermissionsEgress', false));
}

export interface Env {
  s: TestServices;
  feature: ResponseFeature;
  handlers: Handlers;
  mock: AwsMock;
  caseNumber: string;
  cleanup(): void;
}

/** Real services on a temp database, a current investigator, a case, and the response feature with instant waits. */
export function setup(options: { env?: NodeJS.ProcessEnv; dataDir?: string } = {}): Env {
  const mock = new AwsMock();
  const s = makeServices({
    env: { AWS_ACCESS_KEY_ID: SECRETS.baseKeyId, AWS_SECRET_ACCESS_KEY: SECRETS.baseSecret, AWS_REGION: REGION, ...options.env },
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  ensureTestIdentity(s);
  const feature = createResponseFeature(s.core, s.custody, s.timeline, { sleep: async () => undefined, pollMs: 0 });
  const services = { ...s, response: feature };
  const handlers = createHandlers(services);
  const existing = s.core.cases.list()[0];
  const caseNumber = existing?.number ?? s.core.cases.create({ title: 'Miner on web-1', severity: 'high', regions: [REGION] }).number;
  return {
    s: services as TestServices,
    feature,
    handlers,
    mock,
    caseNumber,
    cleanup() {
      mock.restore();
      s.cleanup();
    },
  };
}
