import { afterEach, describe, expect, it } from 'vitest';
import { lariatWithModel, type LariatEnv } from '../../aws-model/lariat-env';
import { ACCOUNT, ID, OTHER_ID, PROFILE_ARN, QUARANTINE_PROFILE_ARN, REGION, TG_ARN, VPC } from '../../aws-model/scenario';
import type { InstanceState } from '../../aws-model/modules/ec2-instances';
import { world } from '../../fault/cases';

let e: LariatEnv;
afterEach(() => e?.cleanup());

const FULL = { asgMode: 'detach', disassociateEips: true, profileMode: 'disassociate', revokeSessions: true };
const mutations = () => e.model.mutations().map((c) => `${c.service}:${c.op}`);

describe('isolation (against the AWS model)', () => {
  it('plans read-only, then makes the planned changes in the issue order and ends isolated', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', FULL);
    expect(e.model.mutations()).toEqual([]);
    expect(planned.state).toBe('planned');
    expect(planned.account).toBe(ACCOUNT);
    expect(planned.warnings).toEqual([]);
    const done = await e.run(planned.id);
    expect(done.state).toBe('succeeded');
    expect(done.steps.every((s) => s.state === 'succeeded')).toBe(true);
    expect(mutations()).toEqual([
      'ec2:ModifyInstanceAttribute',
      'ec2:ModifyInstanceAttribute',
      'ec2:ModifyInstanceAttribute',
      'ec2:ModifyInstanceAttribute',
      'autoscaling:DetachInstances',
      'elbv2:DeregisterTargets',
      'ec2:CreateSecurityGroup',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:AuthorizeSecurityGroupEgress',
      'ec2:CreateSecurityGroup',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:DisassociateAddress',
      'ec2:DisassociateIamInstanceProfile',
      'iam:PutRolePolicy',
      'ec2:CreateTags',
    ]);
    const w = world(e);
    const iso = Object.values(w.groups).find((g) => g.GroupName === `lariat-isolation-${VPC}`)!;
    expect([w.net.interfaces['eni-1']!.groups, w.net.interfaces['eni-2']!.groups]).toEqual([[iso.GroupId], [iso.GroupId]]);
    expect([iso.ingress, iso.egress]).toEqual([[], []]);
    // Each interface went through the allow-all group first (so tracked connections were untracked).
    const moves = e.model.calls.filter((c) => c.op === 'ModifyNetworkInterfaceAttribute').map((c) => c.input.Groups);
    const transit = Object.values(w.groups).find((g) => g.GroupName === `lariat-transit-${VPC}`)!.GroupId;
    expect(moves).toEqual([[transit], [iso.GroupId], [transit], [iso.GroupId]]);
    const policy = JSON.parse(w.iam.roles['web-role']!.inline.LariatRevokeOlderSessions!) as {
      Statement: { Effect: string; Condition: { DateLessThan: Record<string, string> } }[];
    };
    expect(policy.Statement[0]!.Effect).toBe('Deny');
    expect(policy.Statement[0]!.Condition.DateLessThan['aws:TokenIssueTime']).toMatch(/^2026-11-27T10:\d\d:\d\d\.000Z$/);
    expect(w.tg.targets).toEqual([{ Id: OTHER_ID, Port: 80 }]);
    // The steps show which checks they make, and the plan says so.
    expect(done.steps.find((s) => s.key === 'asg')!.checks).toEqual(['autoscaling:DescribeAutoScalingInstances']);
  });

  it('saves describe JSON, console output and screenshot as evidence with custody entries, before any change', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', FULL);
    await e.run(planned.id);
    const items = e.services.custody.vault.list(e.caseNumber);
    expect(items.map((i) => i.description).sort()).toEqual([
      `Console output of ${ID} before isolation`,
      `Console screenshot of ${ID} before isolation`,
      `DescribeInstances of ${ID} before isolation`,
    ]);
    const firstChange = e.model.calls.findIndex((c) => c.applied);
    const lastEvidence = e.model.calls.findIndex((c) => c.op === 'GetConsoleScreenshot');
    expect(lastEvidence).toBeLessThan(firstChange);
    const entries = e.services.custody.ledger.list(e.caseNumber);
    for (const item of items) expect(entries.filter((x) => x.evidence?.id === item.id && x.action === 'acquired')).toHaveLength(1);
  });

  it('never lets a failed screenshot or console output stop containment: "evidence not captured", and isolation goes on', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', FULL);
    e.model.inject({ op: 'GetConsoleScreenshot', fault: { kind: 'server-error' } });
    e.model.inject({ op: 'GetConsoleOutput', fault: { kind: 'fail', code: 'UnauthorizedOperation', message: 'You are not authorized' } });
    const done = await e.run(planned.id);
    expect(done.state).toBe('succeeded');
    const shot = done.steps.find((s) => s.key === 'evidence-screenshot')!;
    const console = done.steps.find((s) => s.key === 'evidence-console')!;
    expect(shot.state).toBe('skipped');
    expect((shot.result as { EvidenceNotCaptured: string }).EvidenceNotCaptured).toMatch(
      /^evidence not captured: AWS failed ec2:GetConsoleScreenshot/,
    );
    expect((console.result as { EvidenceNotCaptured: string }).EvidenceNotCaptured).toMatch(/not allowed ec2:GetConsoleOutput/);
    expect(e.services.custody.vault.list(e.caseNumber)).toHaveLength(1);
    expect(world(e).net.interfaces['eni-1']!.groups).toHaveLength(1);
  });

  it('can skip the best-effort evidence up front, and says so in the plan', async () => {
    e = lariatWithModel({ scenario: { screenshot: 'unsupported' } });
    const planned = await e.plan('isolate', { ...FULL, skipEvidence: true });
    expect(planned.steps.map((s) => s.operation)).not.toContain('GetConsoleOutput');
    expect(planned.warnings).toContain('Console output and screenshot will not be captured (chosen when planning).');
    await e.run(planned.id);
    expect(e.model.calls.map((c) => c.op)).not.toContain('GetConsoleScreenshot');
  });

  it('checks reused groups when the step runs and repairs them: allow-all exactly, no rule exactly', async () => {
    e = lariatWithModel({ scenario: { tamperedGroups: true } });
    const planned = await e.plan('isolate', { ...FULL, disassociateEips: false, revokeSessions: false });
    expect(planned.warnings.join('\n')).toMatch(/temporary group sg-oldtransit no longer allows exactly all traffic/);
    expect(planned.warnings.join('\n')).toMatch(/isolation group sg-oldiso has 2 rule\(s\); the run removes them/);
    const done = await e.run(planned.id);
    expect(e.model.calls.map((c) => c.op)).not.toContain('CreateSecurityGroup');
    expect(done.steps.find((s) => s.key === 'transit-sg')!.result).toMatchObject({ GroupId: 'sg-oldtransit', Reused: true });
    const w = world(e);
    expect(w.groups['sg-oldiso']).toMatchObject({ ingress: [], egress: [] });
    expect(w.groups['sg-oldtransit']!.ingress).toHaveLength(2);
    expect(w.groups['sg-oldtransit']!.egress).toHaveLength(2);
    // Repaired before any interface moved into them.
    const repaired = e.model.calls.findIndex((c) => c.op === 'RevokeSecurityGroupIngress');
    const firstMove = e.model.calls.findIndex((c) => c.op === 'ModifyNetworkInterfaceAttribute');
    expect(repaired).toBeGreaterThan(-1);
    expect(repaired).toBeLessThan(firstMove);
    expect(w.net.interfaces['eni-1']!.groups).toEqual(['sg-oldiso']);
  });

  it('moves the instance to Standby when the investigator chooses it, and can replace the profile', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', { asgMode: 'standby', profileMode: 'replace', isolationProfileArn: QUARANTINE_PROFILE_ARN });
    await e.run(planned.id);
    expect(e.model.calls.filter((c) => c.op === 'EnterStandby').map((c) => c.input)).toEqual([
      { AutoScalingGroupName: 'web-asg', InstanceIds: [ID], ShouldDecrementDesiredCapacity: true },
    ]);
    const w = world(e);
    expect(w.asg!.members.find((m) => m.InstanceId === ID)!.LifecycleState).toBe('Standby');
    expect(
      Object.values(w.net.associations)
        .filter((a) => a.State === 'associated' && a.InstanceId === ID)
        .map((a) => a.Arn),
    ).toEqual([QUARANTINE_PROFILE_ARN]);
    expect(e.feature.response.get(planned.id).recorded.instanceProfile).toEqual({
      arn: PROFILE_ARN,
      associationId: 'iip-assoc-1',
      mode: 'replace',
    });
  });

  it('handles an instance outside any Auto Scaling group or target group', async () => {
    e = lariatWithModel({ scenario: { asg: false, targetGroup: false, profile: false, eip: false } });
    const planned = await e.plan('isolate', FULL);
    const ops = planned.steps.map((s) => s.operation);
    for (const op of ['DetachInstances', 'DeregisterTargets', 'DisassociateIamInstanceProfile', 'PutRolePolicy'])
      expect(ops).not.toContain(op);
    expect((await e.run(planned.id)).state).toBe('succeeded');
  });

  it('refuses to run without the instance id typed back', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', FULL);
    e.model.calls.length = 0;
    expect(() => e.feature.response.start(planned.id, 'i-0wrong')).toThrow(/not the instance id/);
    expect(e.model.calls).toEqual([]);
    expect(e.feature.response.get(planned.id).state).toBe('planned');
  });

  it('retries throttling and shows the attempts on the step', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', FULL);
    e.model.inject({ op: 'ModifyInstanceAttribute', fault: { kind: 'throttle', times: 2 } });
    const done = await e.run(planned.id);
    expect(done.state).toBe('succeeded');
    expect(done.steps.find((s) => s.key === 'termination-protection')!.attempts).toBe(3);
    expect(e.model.calls.filter((c) => c.op === 'ModifyInstanceAttribute' && 'DisableApiTermination' in c.input)).toHaveLength(3);
  });

  it('names the missing IAM action when AccessDenied hits any step, and resumes without repeating a succeeded step', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', FULL);
    const best = new Set(['evidence-console', 'evidence-screenshot']);
    const steps = planned.steps.filter((s) => !best.has(s.key));
    let prev: (typeof steps)[number] | null = null;
    for (const step of steps) {
      // The run resumes at the step that failed last time; if that step makes the same call, let that one pass.
      const nth = prev && prev.operation === step.operation ? 2 : 1;
      e.model.clearFaults();
      e.model.inject({
        service: step.service as never,
        op: step.operation,
        nth,
        fault: { kind: 'fail', code: step.service === 'ec2' ? 'UnauthorizedOperation' : 'AccessDenied' },
      });
      e.model.calls.length = 0;
      const err = await e.run(planned.id).then(
        () => null,
        (x: Error & { code: string; hint: string }) => x,
      );
      expect(err?.code, step.key).toBe('aws-access-denied');
      expect(err!.message).toContain(step.iamAction);
      expect(err!.hint).toContain(step.iamAction);
      const now = e.feature.response.get(planned.id);
      expect(now.state).toBe('failed');
      expect(now.steps.find((s) => s.key === step.key)!.state, step.key).toBe('failed');
      // Nothing was changed on this run but what the previously failing step had to do.
      expect(
        e.model.mutations().every((c) => c.op === prev?.operation || c.op.includes('SecurityGroup')),
        step.key,
      ).toBe(true);
      prev = step;
    }
    e.model.clearFaults();
    e.model.calls.length = 0;
    const done = await e.run(planned.id);
    expect(done.state).toBe('succeeded');
    expect(mutations()).toEqual(['ec2:CreateTags']);
    expect(done.steps.filter((s) => !best.has(s.key)).every((s) => s.attempts === 2)).toBe(true);
  });
});

describe("the issue's reproductions", () => {
  it('a kill right after AuthorizeSecurityGroupIngress was applied: the resume finds the rule and moves the interfaces', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', FULL);
    const hung = e.model.inject({ op: 'AuthorizeSecurityGroupIngress', fault: { kind: 'hang', apply: true } });
    void e.run(planned.id).catch(() => undefined);
    await hung.reached;
    e.clock.advance(10 * 60_000);
    const second = e.open();
    expect(second.feature.response.list(e.caseNumber)[0]!.interrupted).toBe(true);
    const done = await second.run(planned.id);
    expect(done.state).toBe('succeeded');
    const iso = Object.values(world(e).groups).find((g) => g.GroupName === `lariat-isolation-${VPC}`)!;
    expect(world(e).net.interfaces['eni-1']!.groups).toEqual([iso.GroupId]);
    // The repeated authorization was never sent blindly (it would have failed with InvalidPermission.Duplicate).
    expect(e.model.calls.filter((c) => c.op === 'AuthorizeSecurityGroupIngress' && c.code === 'InvalidPermission.Duplicate')).toEqual([]);
  });

  it('a DisassociateIamInstanceProfile retried by the SDK after a lost reply: recorded as done, the tag step runs, release re-attaches', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', FULL);
    e.model.inject({ op: 'DisassociateIamInstanceProfile', fault: { kind: 'drop-reply-retried' } });
    const done = await e.run(planned.id);
    expect(done.state).toBe('succeeded');
    const step = done.steps.find((s) => s.key === 'profile')!;
    expect(step.result).toMatchObject({ AlreadyInPlace: true, AfterError: 'InvalidAssociationID.NotFound' });
    expect(world(e).tags[ID]).toMatchObject({ 'lariat:state': 'isolated' });
    const rel = await e.plan('release');
    expect(rel.steps.map((s) => s.operation)).toContain('AssociateIamInstanceProfile');
    await e.run(rel.id);
    expect(
      Object.values(world(e).net.associations)
        .filter((a) => a.State === 'associated')
        .map((a) => a.Arn),
    ).toEqual([PROFILE_ARN]);
  });

  it('planning goes on when an enrichment lookup fails (SSM answering 500, Auto Scaling throttled), with a warning that says what is not covered', async () => {
    e = lariatWithModel();
    e.model.inject({ op: 'DescribeInstanceInformation', fault: { kind: 'server-error', times: 50 } });
    e.model.inject({ op: 'DescribeAutoScalingInstances', fault: { kind: 'throttle', times: 5 } });
    const planned = await e.plan('isolate', FULL);
    expect(planned.warnings.join('\n')).toMatch(
      /Auto Scaling membership could not be read \(AWS kept throttling .*\): the plan does not take the instance out of an Auto Scaling group/,
    );
    expect(planned.steps.map((s) => s.key)).not.toContain('asg');
    const snap = await e.plan('snapshot');
    expect(snap.steps.length).toBeGreaterThan(0);
    const memory = await e.plan('memory', { bucket: 'ir-evidence' });
    expect(memory.warnings.join('\n')).toMatch(
      /SSM status could not be read \(AWS failed ssm:DescribeInstanceInformation .*HTTP 500.*\): SSM status is unknown at planning; the action checks it again/,
    );
    expect(memory.steps[0]!.kind).toBe('check-ssm');
  });

  it('the same console output from two instances: one shared item, and an acquired custody entry for each source', async () => {
    e = lariatWithModel({ scenario: { consoleOutput: '' } });
    e.model.slice<InstanceState>('ec2-instances', REGION).instances[OTHER_ID]!.consoleOutput = '';
    const first = await e.plan('isolate', { profileMode: 'keep', skipEvidence: false });
    await e.run(first.id);
    const other = await e.feature.response.plan({
      kind: 'isolate',
      caseNumber: e.caseNumber,
      region: REGION,
      instanceId: OTHER_ID,
      options: { asgMode: 'detach', disassociateEips: false, profileMode: 'keep', revokeSessions: false, nacl: false, skipEvidence: false },
    });
    const done = await e.feature.response.run(other.id, OTHER_ID);
    const step = done.steps.find((s) => s.key === 'evidence-console')!;
    expect(step.result).toMatchObject({ Duplicate: true });
    const id = (step.result as { EvidenceId: number }).EvidenceId;
    const acquired = e.services.custody.ledger.list(e.caseNumber, id).filter((x) => x.action === 'acquired');
    expect(acquired.map((x) => (x.details.source as { resource?: string } | undefined)?.resource ?? x.details.acquisition)).toEqual([
      ID,
      OTHER_ID,
    ]);
    expect(acquired[1]!.details).toMatchObject({ sameContentAs: id, acquisition: { host: OTHER_ID, method: 'ec2:GetConsoleOutput' } });
    const verified = await e.services.custody.verify.verify(e.caseNumber);
    expect(verified.problems).toEqual([]);
  });
});

describe('network ACL containment', () => {
  it('denies every address of the instance in every ACL of the VPC, below the first allow rule, and release removes exactly those', async () => {
    e = lariatWithModel({ scenario: { extraIps: true } });
    const before = structuredClone(world(e).acls);
    const planned = await e.plan('isolate', { ...FULL, nacl: true });
    const creates = planned.steps
      .filter((s) => s.operation === 'CreateNetworkAclEntry')
      .map((s) => s.request as { NetworkAclId: string; Egress: boolean; RuleNumber: number });
    expect(creates).toContainEqual({
      NetworkAclId: 'acl-nat',
      RuleNumber: 1,
      Protocol: '-1',
      RuleAction: 'deny',
      Egress: false,
      CidrBlock: '10.0.1.15/32',
    });
    expect(creates).toContainEqual({
      NetworkAclId: 'acl-main',
      RuleNumber: 4,
      Protocol: '-1',
      RuleAction: 'deny',
      Egress: true,
      Ipv6CidrBlock: '2001:db8::15/128',
    });
    // acl-nat already uses rule 10 (a deny of its own): Lariat's numbers go around it.
    expect(creates.filter((r) => r.NetworkAclId === 'acl-nat' && r.Egress === false).map((r) => r.RuleNumber)).toEqual([1, 2, 3, 4]);
    await e.run(planned.id);
    for (const acl of Object.values(world(e).acls))
      expect(acl.entries.filter((x) => x.RuleAction === 'deny' && x.RuleNumber < 10)).toHaveLength(8);
    const rel = await e.plan('release');
    await e.run(rel.id);
    expect(world(e).acls).toEqual(before);
  });

  it('release leaves alone an entry someone replaced, and says so', async () => {
    e = lariatWithModel();
    const planned = await e.plan('isolate', { ...FULL, nacl: true });
    await e.run(planned.id);
    const entry = world(e).acls['acl-main']!.entries.find((x) => x.RuleNumber === 1 && !x.Egress)!;
    entry.RuleAction = 'allow';
    entry.CidrBlock = '192.0.2.0/24';
    const rel = await e.plan('release');
    await expect(e.run(rel.id)).rejects.toMatchObject({
      code: 'nacl-entry-changed',
      hint: expect.stringMatching(/only removes its own entries/),
    });
    expect(world(e).acls['acl-main']!.entries.find((x) => x.RuleNumber === 1 && !x.Egress)).toMatchObject({ CidrBlock: '192.0.2.0/24' });
  });

  it('refuses to plan when an ACL has no free rule number before its first allow', async () => {
    e = lariatWithModel();
    world(e).acls['acl-main']!.entries.push({ RuleNumber: 1, Egress: false, Protocol: '-1', RuleAction: 'allow', CidrBlock: '10.0.0.0/8' });
    await expect(e.plan('isolate', { ...FULL, nacl: true })).rejects.toMatchObject({ code: 'nacl-no-room' });
  });
});

export { TG_ARN };
