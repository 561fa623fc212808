import { expect } from 'vitest';
import type { ActionRecord } from '../../common/contract/response';
import type { LariatEnv } from '../aws-model/lariat-env';
import { BUCKET, ID, PROFILE_ARN, QUARANTINE_PROFILE_ARN, REGION, TG_ARN, VPC } from '../aws-model/scenario';
import type { InstanceState } from '../aws-model/modules/ec2-instances';
import type { NetworkState } from '../aws-model/modules/ec2-interfaces';
import type { GroupState, Rule } from '../aws-model/modules/ec2-security-groups';
import type { AclState } from '../aws-model/modules/ec2-network-acls';
import type { TagState } from '../aws-model/modules/ec2-tags';
import type { AsgState } from '../aws-model/modules/autoscaling';
import type { ElbState } from '../aws-model/modules/elbv2';
import type { IamState } from '../aws-model/modules/iam';
import type { SnapshotState } from '../aws-model/modules/ec2-snapshots';
import type { SsmState } from '../aws-model/modules/ssm';
import type { S3State } from '../aws-model/modules/s3';
import type { FaultCase } from './harness';

export const FORENSIC_ACCOUNT = '444455556666';
export const COPY_REGION = 'eu-central-1';
export const KMS_KEY = `arn:aws:kms:${COPY_REGION}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** Typed views of the model's state for assertions. */
export function world(env: LariatEnv) {
  const m = env.model;
  return {
    instance: m.slice<InstanceState>('ec2-instances', REGION).instances[ID]!,
    net: m.slice<NetworkState>('ec2-interfaces', REGION),
    groups: m.slice<GroupState>('ec2-security-groups', REGION).groups,
    acls: m.slice<AclState>('ec2-network-acls', REGION).acls,
    tags: m.slice<TagState>('ec2-tags', REGION).tags,
    asg: m.slice<AsgState>('autoscaling', REGION).groups['web-asg'],
    tg: m.slice<ElbState>('elbv2', REGION).targetGroups[TG_ARN]!,
    iam: m.slice<IamState>('iam'),
    snapshots: m.slice<SnapshotState>('ec2-snapshots', REGION).snapshots,
    copies: m.slice<SnapshotState>('ec2-snapshots', COPY_REGION).snapshots,
    ssm: m.slice<SsmState>('ssm', REGION),
    s3: m.slice<S3State>('s3'),
  };
}

const key = (r: Rule) => JSON.stringify(r);
const ALLOW_ALL: Rule[] = [
  { IpProtocol: '-1', peer: { v4: '0.0.0.0/0' } },
  { IpProtocol: '-1', peer: { v6: '::/0' } },
];

/** The network part of "isolated": every interface only in an isolation group with no rule; the transit group allows exactly all. */
function expectNetworkIsolated(env: LariatEnv): void {
  const w = world(env);
  const byName = (n: string) => Object.values(w.groups).find((g) => g.GroupName === n)!;
  const iso = byName(`lariat-isolation-${VPC}`);
  const transit = byName(`lariat-transit-${VPC}`);
  expect(iso.ingress).toEqual([]);
  expect(iso.egress).toEqual([]);
  expect(transit.ingress.map(key).sort()).toEqual(ALLOW_ALL.map(key).sort());
  expect(transit.egress.map(key).sort()).toEqual(ALLOW_ALL.map(key).sort());
  for (const eni of ['eni-1', 'eni-2']) expect(w.net.interfaces[eni]!.groups).toEqual([iso.GroupId]);
  expect(w.tags[ID]).toMatchObject({ 'lariat:state': 'isolated', 'lariat:case': env.caseNumber });
  expect(w.instance.disableApiTermination).toBe(true);
  expect(w.instance.shutdownBehavior).toBe('stop');
  expect(w.instance.blockDevices.every((b) => !b.DeleteOnTermination)).toBe(true);
}

/** Deny entries for every address of the instance in every ACL, both ways, numbered before the first allow. */
function expectNaclDenies(env: LariatEnv, ips: string[]): void {
  for (const acl of Object.values(world(env).acls)) {
    for (const egress of [false, true]) {
      const entries = acl.entries.filter((e) => e.Egress === egress);
      const firstAllow = Math.min(...entries.filter((e) => e.RuleAction === 'allow').map((e) => e.RuleNumber));
      const denies = entries.filter((e) => e.RuleAction === 'deny' && e.RuleNumber < firstAllow);
      const cidrs = denies.map((e) => e.CidrBlock ?? e.Ipv6CidrBlock);
      for (const ip of ips)
        expect(cidrs, `${acl.NetworkAclId} ${egress ? 'out' : 'in'}`).toContain(ip.includes(':') ? `${ip}/128` : `${ip}/32`);
    }
  }
}

export const isolateFull: FaultCase = {
  name: 'isolate (detach, disassociate profile, Elastic IP, revoke sessions, network ACLs)',
  kind: 'isolate',
  options: { asgMode: 'detach', disassociateEips: true, profileMode: 'disassociate', revokeSessions: true, nacl: true },
  promise(env) {
    const w = world(env);
    expectNetworkIsolated(env);
    expectNaclDenies(env, ['10.0.1.15', '10.0.2.20']);
    expect(w.asg!.members.some((m) => m.InstanceId === ID)).toBe(false);
    expect(w.asg!.members).toHaveLength(2); // the group launched a replacement
    expect(w.tg.targets.some((t) => t.Id === ID)).toBe(false);
    expect(w.net.addresses['eipalloc-1']!.AssociationId).toBeNull();
    expect(Object.values(w.net.associations).filter((a) => a.InstanceId === ID && a.State === 'associated')).toEqual([]);
    const policy = JSON.parse(w.iam.roles['web-role']!.inline.LariatRevokeOlderSessions!) as {
      Statement: { Effect: string; Condition: object }[];
    };
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Deny',
      Condition: { DateLessThan: { 'aws:TokenIssueTime': expect.any(String) } },
    });
  },
};

export const isolateStandby: FaultCase = {
  name: 'isolate (standby, replace profile, tampered reused groups repaired, secondary and IPv6 addresses in ACLs)',
  scenario: { tamperedGroups: true, extraIps: true },
  kind: 'isolate',
  options: { asgMode: 'standby', profileMode: 'replace', isolationProfileArn: QUARANTINE_PROFILE_ARN, nacl: true },
  promise(env) {
    const w = world(env);
    expectNetworkIsolated(env);
    // The reused groups were repaired, not replaced.
    expect(w.net.interfaces['eni-1']!.groups).toEqual(['sg-oldiso']);
    expectNaclDenies(env, ['10.0.1.15', '10.0.1.16', '2001:db8::15', '10.0.2.20']);
    expect(w.asg!.members.find((m) => m.InstanceId === ID)?.LifecycleState).toBe('Standby');
    expect(w.asg!.DesiredCapacity).toBe(1);
    expect(
      Object.values(w.net.associations)
        .filter((a) => a.InstanceId === ID && a.State === 'associated')
        .map((a) => a.Arn),
    ).toEqual([QUARANTINE_PROFILE_ARN]);
  },
};

export const isolateMinimal: FaultCase = {
  name: 'isolate (keep profile, no evidence capture, no Auto Scaling, no screenshot support)',
  scenario: { asg: false, eip: false, screenshot: 'unsupported' },
  kind: 'isolate',
  options: { profileMode: 'keep', skipEvidence: true },
  promise(env, action) {
    expectNetworkIsolated(env);
    expect(action.steps.map((s) => s.key)).not.toContain('evidence-console');
    expect(
      Object.values(world(env).net.associations)
        .filter((a) => a.InstanceId === ID && a.State === 'associated')
        .map((a) => a.Arn),
    ).toEqual([PROFILE_ARN]);
  },
};

/** Release must give back exactly what was there before the isolation (except the protections kept on purpose). */
function expectRestored(env: LariatEnv, mode: 'detach' | 'standby'): void {
  const w = world(env);
  expect(w.net.interfaces['eni-1']!.groups).toEqual(['sg-web', 'sg-ssh']);
  expect(w.net.interfaces['eni-2']!.groups).toEqual(['sg-db']);
  for (const acl of Object.values(w.acls)) expect(acl.entries.filter((e) => e.RuleAction === 'deny' && e.RuleNumber < 10)).toEqual([]);
  expect(
    Object.values(w.net.associations)
      .filter((a) => a.InstanceId === ID && a.State === 'associated')
      .map((a) => a.Arn),
  ).toEqual([PROFILE_ARN]);
  expect(w.asg!.members.find((m) => m.InstanceId === ID)?.LifecycleState).toBe('InService');
  expect(w.asg!.DesiredCapacity).toBe(mode === 'detach' ? 3 : 2);
  expect(w.tg.targets).toContainEqual({ Id: ID, Port: 80 });
  expect(w.tags[ID]).toMatchObject({ 'lariat:state': 'released' });
  expect(w.instance.disableApiTermination).toBe(true); // evidence protection stays on purpose
}

export const releaseDetach: FaultCase = {
  name: 'release of the full isolation',
  kind: 'release',
  async before(env) {
    const p = await env.plan('isolate', isolateFull.options);
    await env.run(p.id);
  },
  promise(env) {
    expectRestored(env, 'detach');
    const a = world(env).net.addresses['eipalloc-1']!;
    expect([a.NetworkInterfaceId, a.PrivateIpAddress]).toEqual(['eni-1', '10.0.1.15']);
  },
};

export const releaseStandby: FaultCase = {
  name: 'release of the standby/replace isolation',
  scenario: { extraIps: true },
  kind: 'release',
  async before(env) {
    const p = await env.plan('isolate', isolateStandby.options);
    await env.run(p.id);
  },
  promise(env) {
    expectRestored(env, 'standby');
  },
};

export const snapshotShareCopy: FaultCase = {
  name: 'snapshot, shared and copied to a forensic region',
  kind: 'snapshot',
  options: { shareWithAccount: FORENSIC_ACCOUNT, copyToRegion: COPY_REGION, kmsKeyId: KMS_KEY, waitMinutes: 60 },
  promise(env, action) {
    const w = world(env);
    const snaps = Object.values(w.snapshots);
    expect(snaps.map((s) => s.VolumeId).sort()).toEqual(['vol-1', 'vol-2']);
    for (const s of snaps) {
      expect(s.State).toBe('completed');
      expect(s.sharedWith).toEqual([FORENSIC_ACCOUNT]);
      expect(w.tags[s.SnapshotId]).toMatchObject({
        'lariat:action': String(action.id),
        'lariat:evidence-id': expect.stringMatching(/^\d+$/),
      });
    }
    const copies = Object.values(w.copies);
    expect(copies.map((c) => c.copiedFrom!.snapshotId).sort()).toEqual(snaps.map((s) => s.SnapshotId).sort());
    expect(copies.every((c) => c.Encrypted && c.KmsKeyId === KMS_KEY)).toBe(true);
  },
};

export const memory: FaultCase = {
  name: 'memory acquisition',
  kind: 'memory',
  options: { bucket: BUCKET, prefix: 'cases', timeoutMinutes: 60 },
  promise(env, action) {
    const w = world(env);
    expect(Object.values(w.ssm.commands)).toHaveLength(1);
    expect(w.s3.buckets[BUCKET]!.objects[`cases/${env.caseNumber}/${ID}/memory-action-${action.id}.lime`]?.ContentLength).toBe(4294967296);
  },
};

export const ALL_CASES: FaultCase[] = [
  isolateFull,
  isolateStandby,
  isolateMinimal,
  releaseDetach,
  releaseStandby,
  snapshotShareCopy,
  memory,
];
export type { ActionRecord };
