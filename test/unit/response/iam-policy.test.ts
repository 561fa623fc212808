import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATIONS, type AwsService } from '../../../main/aws/operations';
import { planIsolate } from '../../../main/response/plans/isolate';
import { planRelease } from '../../../main/response/plans/release';
import { planSnapshot } from '../../../main/response/plans/snapshot';
import { planMemory } from '../../../main/response/plans/memory';
import type { InstanceFacts } from '../../../main/response/discovery';
import { stepChecks } from '../../../main/response/executors';

const policy = JSON.parse(fs.readFileSync(path.resolve('resources/iam/lariat-responder-policy.json'), 'utf8')) as {
  Statement: { Effect: string; Action: string[] }[];
};
const allowed = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
/** Permissions AWS checks during our calls although we never call them ourselves. */
const IMPLICIT = new Set([
  'iam:PassRole',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKeyWithoutPlaintext',
  // Custody anchors: PutObject with Object Lock headers needs s3:PutObjectRetention; the lock is returned only with s3:GetObjectRetention.
  's3:PutObjectRetention',
  's3:GetObjectRetention',
  // Athena reads the log bucket, writes its results and reads/creates Glue tables as the caller (aws:CalledVia athena).
  'glue:GetDatabase',
  'glue:CreateDatabase',
  'glue:GetTable',
  'glue:CreateTable',
  'glue:GetPartitions',
  's3:GetBucketLocation',
  's3:PutObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ListBucketMultipartUploads',
]);
/** Needed by the investigator's own identity, not the responder role (see lariat-assume-role-policy.json). */
const ELSEWHERE = new Set(['sts:AssumeRole']);

const facts: InstanceFacts = {
  instanceId: 'i-0abc1234def567890',
  region: 'eu-west-1',
  account: '111122223333',
  name: 'web-1',
  state: 'running',
  instanceType: 't3.micro',
  privateIp: '10.0.0.1',
  publicIp: '203.0.113.1',
  vpcId: 'vpc-1',
  platform: 'linux',
  launchTime: null,
  subnetId: 'subnet-1',
  availabilityZone: 'eu-west-1a',
  securityGroups: [{ id: 'sg-1', name: 'web' }],
  networkInterfaces: [{ id: 'eni-1', privateIp: '10.0.0.1', publicIp: null, groups: ['sg-1'], attachmentIndex: 0 }],
  instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/p',
  instanceProfileRole: 'r',
  profileAssociationId: 'iip-1',
  autoScalingGroup: 'asg',
  autoScalingState: 'InService',
  targetGroups: [{ arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/t/1', name: 't', port: 80, health: 'healthy' }],
  volumes: [{ id: 'vol-1', device: '/dev/xvda', sizeGiB: 8, encrypted: true, deleteOnTermination: true }],
  elasticIps: [
    {
      publicIp: '203.0.113.1',
      allocationId: 'eipalloc-1',
      associationId: 'eipassoc-1',
      networkInterfaceId: 'eni-1',
      privateIp: '10.0.0.1',
    },
  ],
  ssm: { managed: true, pingStatus: 'Online', agentVersion: '3', platformName: 'Linux' },
  tags: {},
  isolation: null,
  warnings: [],
  lookupFailures: [],
  interfaceAddresses: [{ id: 'eni-1', subnetId: 'subnet-1', privateIps: ['10.0.0.1'], ipv6: ['2001:db8::1'] }],
};
const acls = [{ id: 'acl-1', subnets: ['subnet-1'], entries: [{ RuleNumber: 100, Egress: false, RuleAction: 'allow' }] }];
const options = {
  asgMode: 'detach' as const,
  disassociateEips: true,
  profileMode: 'disassociate' as const,
  revokeSessions: true,
  nacl: true,
  skipEvidence: false,
};

describe('least-privilege IAM policy', () => {
  const used = new Set(Object.values(OPERATIONS).flatMap((table) => Object.values(table).map((d) => d.iamAction)));

  it('allows every IAM action that an AWS call of Lariat needs', () => {
    const missing = [...used].filter((a) => !allowed.has(a) && !ELSEWHERE.has(a));
    expect(missing).toEqual([]);
  });

  it('allows nothing Lariat does not call (apart from what AWS checks implicitly)', () => {
    const extra = [...allowed].filter((a) => !used.has(a) && !IMPLICIT.has(a));
    expect(extra).toEqual([]);
    expect([...allowed].some((a) => a.includes('*') && !IMPLICIT.has(a))).toBe(false);
  });

  it('covers every call of every plan', () => {
    const steps = [
      ...planIsolate({
        caseNumber: 'IR-2026-0001',
        actionId: 1,
        facts,
        groups: { isolation: null, transit: null },
        acls,
        options,
      }).steps,
      ...planIsolate({
        caseNumber: 'IR-2026-0001',
        actionId: 1,
        facts,
        groups: { isolation: null, transit: null },
        options: { ...options, asgMode: 'standby', profileMode: 'replace', isolationProfileArn: 'arn:aws:iam::1:instance-profile/q' },
      }).steps,
      ...planRelease({
        caseNumber: 'IR-2026-0001',
        actionId: 2,
        isolationActionId: 1,
        facts,
        touched: new Set([
          'nacl:acl-1:in:1',
          'transit:eni-1',
          'eip:eipalloc-1',
          'profile',
          'asg',
          'deregister:arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/t/1:80',
        ]),
        recorded: {
          networkInterfaces: [{ id: 'eni-1', groups: ['sg-1'] }],
          autoScaling: { group: 'asg', mode: 'detach' },
          targetGroups: [{ arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/t/1', name: 't', port: 80 }],
          elasticIps: [{ publicIp: '203.0.113.1', allocationId: 'eipalloc-1', networkInterfaceId: 'eni-1', privateIp: '10.0.0.1' }],
          instanceProfile: { arn: 'arn:aws:iam::1:instance-profile/p', associationId: 'iip-1', mode: 'disassociate' },
          nacl: [{ NetworkAclId: 'acl-1', RuleNumber: 1, Egress: false, CidrBlock: '10.0.0.1/32' }],
        },
      }).steps,
      ...planSnapshot({
        caseNumber: 'IR-2026-0001',
        actionId: 3,
        investigator: 'x',
        facts,
        options: { waitMinutes: 5, shareWithAccount: '444455556666', copyToRegion: 'eu-central-1', kmsKeyId: 'alias/forensics' },
      }).steps,
      ...planMemory({
        caseNumber: 'IR-2026-0001',
        actionId: 4,
        facts,
        options: { bucket: 'ir-bucket', prefix: '', timeoutMinutes: 60 },
        resourcesDir: path.resolve('resources'),
      }).steps,
    ];
    const ops = new Set(steps.filter((s) => s.service !== 'lariat').map((s) => `${s.service}:${s.operation}`));
    expect(ops.size).toBeGreaterThan(25);
    for (const op of ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAclEntry', 'ec2:RevokeSecurityGroupEgress']) expect(ops).toContain(op);
    // The checks a step makes before its call (and the repairs of a group's rules) are allowed too.
    const checks = new Set(steps.flatMap((s) => stepChecks(s.kind, s.service, s.operation)));
    expect(checks.size).toBeGreaterThan(12);
    for (const a of checks) expect(allowed.has(a), a).toBe(true);
    for (const s of steps) {
      if (s.service === 'lariat') continue;
      const def = (OPERATIONS[s.service as AwsService] as Record<string, { iamAction: string }>)[s.operation];
      expect(def, `${s.service}:${s.operation}`).toBeDefined();
      expect(allowed.has(def!.iamAction), def!.iamAction).toBe(true);
    }
  });
});
