import { afterEach, describe, expect, it } from 'vitest';
import { lariatWithModel, type LariatEnv } from '../../aws-model/lariat-env';
import { ID, PROFILE_ARN, QUARANTINE_PROFILE_ARN } from '../../aws-model/scenario';
import { world } from '../../fault/cases';

let e: LariatEnv;
afterEach(() => e?.cleanup());

const FULL = { asgMode: 'detach', disassociateEips: true, profileMode: 'disassociate', revokeSessions: true };
const isolate = async (options: Record<string, unknown> = FULL) => {
  const p = await e.plan('isolate', options);
  return e.run(p.id).catch(() => e.feature.response.get(p.id));
};
const assoc = () =>
  Object.values(world(e).net.associations)
    .filter((a) => a.InstanceId === ID && a.State === 'associated')
    .map((a) => a.Arn);

describe('release (against the AWS model)', () => {
  it('restores exactly the groups, Elastic IP, profile, Auto Scaling group and target group that were there', async () => {
    e = lariatWithModel();
    const before = structuredClone(world(e).net.interfaces);
    const iso = await isolate();
    const rel = await e.plan('release');
    expect(rel.steps.map((s) => `${s.service}:${s.operation}`)).toEqual([
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:AssociateAddress',
      'ec2:AssociateIamInstanceProfile',
      'autoscaling:AttachInstances',
      'elbv2:RegisterTargets',
      'ec2:CreateTags',
    ]);
    expect(rel.warnings).toEqual([
      'Attaching the instance back to web-asg raises its desired capacity from 2 to 3 (maximum 3); the group may then scale in another instance.',
    ]);
    e.model.calls.length = 0;
    await e.run(rel.id);
    const w = world(e);
    expect(w.net.interfaces).toEqual(before);
    expect(w.net.addresses['eipalloc-1']).toMatchObject({ NetworkInterfaceId: 'eni-1', PrivateIpAddress: '10.0.1.15' });
    expect(assoc()).toEqual([PROFILE_ARN]);
    expect(w.asg!.members.find((m) => m.InstanceId === ID)?.LifecycleState).toBe('InService');
    expect(w.tg.targets).toContainEqual({ Id: ID, Port: 80 });
    expect(w.tags[ID]).toMatchObject({ 'lariat:state': 'released', 'lariat:action': String(rel.id) });
    expect(e.feature.response.get(iso.id).recorded.networkInterfaces).toEqual([
      { id: 'eni-1', groups: ['sg-web', 'sg-ssh'] },
      { id: 'eni-2', groups: ['sg-db'] },
    ]);
    // Evidence protections stay: release never turns termination protection off, nor lifts the session revocation.
    expect(e.model.calls.filter((c) => c.op === 'ModifyInstanceAttribute')).toEqual([]);
    expect(w.instance.disableApiTermination).toBe(true);
    expect(w.iam.roles['web-role']!.inline.LariatRevokeOlderSessions).toBeDefined();
    expect(e.services.core.assets.find(e.caseNumber, 'ec2-instance', ID)!.details.isolation).toBe('released');
  });

  it('exits Standby instead of attaching when the isolation used Standby, and swaps the profile back when it was replaced', async () => {
    e = lariatWithModel();
    await isolate({ asgMode: 'standby', profileMode: 'replace', isolationProfileArn: QUARANTINE_PROFILE_ARN });
    const rel = await e.plan('release');
    await e.run(rel.id);
    expect(e.model.calls.filter((c) => c.op === 'ExitStandby').map((c) => c.input)).toEqual([
      { AutoScalingGroupName: 'web-asg', InstanceIds: [ID] },
    ]);
    expect(e.model.calls.filter((c) => c.op === 'AttachInstances')).toEqual([]);
    const replace = e.model.calls.filter((c) => c.op === 'ReplaceIamInstanceProfileAssociation').map((c) => c.input);
    expect(replace.at(-1)).toMatchObject({ IamInstanceProfile: { Arn: PROFILE_ARN } });
    expect(assoc()).toEqual([PROFILE_ARN]);
  });

  it('after a partial isolation, puts back what may have changed, and a restore of what did not change calls nothing', async () => {
    e = lariatWithModel();
    e.model.inject({ op: 'DeregisterTargets', fault: { kind: 'fail', code: 'AccessDenied' } });
    const iso = await isolate();
    expect(iso.state).toBe('failed');
    const rel = await e.plan('release');
    expect(rel.steps.map((s) => s.operation)).toEqual(['AttachInstances', 'RegisterTargets', 'CreateTags']);
    e.model.calls.length = 0;
    const done = await e.run(rel.id);
    expect(e.model.calls.filter((c) => c.op === 'RegisterTargets')).toEqual([]);
    expect(done.steps.find((s) => s.operation === 'RegisterTargets')!.result).toMatchObject({
      AlreadyInPlace: true,
      CheckedWith: ['elbv2:DescribeTargetHealth'],
    });
    expect(world(e).tg.targets).toContainEqual({ Id: ID, Port: 80 });
  });

  it('refuses when there is no isolation to undo', async () => {
    e = lariatWithModel();
    await expect(e.plan('release')).rejects.toMatchObject({ code: 'nothing-to-release' });
  });

  it('refuses a second release of the same isolation, and a second plan while one is pending', async () => {
    e = lariatWithModel();
    await isolate();
    const rel = await e.plan('release');
    await expect(e.plan('release')).rejects.toMatchObject({ code: 'release-pending', hint: expect.stringContaining(`resume ${rel.id}`) });
    await e.run(rel.id);
    e.model.calls.length = 0;
    await expect(e.plan('release')).rejects.toMatchObject({
      code: 'already-released',
      message: expect.stringContaining(`released by action ${rel.id}`),
      hint: expect.stringMatching(/isolate again first/),
    });
    expect(e.model.mutations()).toEqual([]);
  });

  it('says in the plan when re-attaching would exceed the group maximum, stops before AttachInstances, and resumes once the maximum is raised', async () => {
    e = lariatWithModel({ scenario: { asg: { max: 2 } } });
    await isolate();
    const rel = await e.plan('release');
    expect(rel.warnings.join('\n')).toMatch(/from 2 to 3, above its maximum of 2: AWS refuses that, so that step will stop/);
    await expect(e.run(rel.id)).rejects.toMatchObject({ code: 'asg-at-maximum', hint: expect.stringMatching(/Raise the group's maximum/) });
    expect(e.model.calls.filter((c) => c.op === 'AttachInstances')).toEqual([]);
    world(e).asg!.MaxSize = 3;
    const done = await e.run(rel.id);
    expect(done.state).toBe('succeeded');
    expect(world(e).asg!.DesiredCapacity).toBe(3);
  });

  it('refuses to take back an Elastic IP that is now associated elsewhere', async () => {
    e = lariatWithModel();
    await isolate();
    const a = world(e).net.addresses['eipalloc-1']!;
    Object.assign(a, { AssociationId: 'eipassoc-other', NetworkInterfaceId: 'eni-3', PrivateIpAddress: '10.0.1.30' });
    const rel = await e.plan('release');
    await expect(e.run(rel.id)).rejects.toMatchObject({ code: 'eip-associated-elsewhere' });
    expect(world(e).net.addresses['eipalloc-1']!.NetworkInterfaceId).toBe('eni-3');
  });
});
