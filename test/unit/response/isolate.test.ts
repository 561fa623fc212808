import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, ID, PROFILE_ARN, REGION, TG_ARN, VPC, setup, stubInstance, type Env } from './fixtures';
import { awsError } from './aws-mock';

let e: Env;
beforeEach(() => {
  e = setup();
});
afterEach(() => e.cleanup());

const plan = (options: Record<string, unknown> = {}) =>
  e.feature.response.plan({
    kind: 'isolate',
    caseNumber: e.caseNumber,
    region: REGION,
    instanceId: ID,
    options: { asgMode: 'detach', disassociateEips: true, profileMode: 'disassociate', revokeSessions: true, ...options },
  });

describe('isolation', () => {
  it('plans read-only, then makes exactly the planned calls in the issue order', async () => {
    stubInstance(e.mock);
    const planned = await plan();
    expect(e.mock.mutations()).toEqual([]);
    expect(planned.state).toBe('planned');
    expect(planned.account).toBe(ACCOUNT);
    e.mock.clearCalls();

    const done = await e.feature.response.run(planned.id, ID);
    expect(done.state).toBe('succeeded');
    expect(done.steps.every((s) => s.state === 'succeeded')).toBe(true);
    const calls = e.mock.calls.map((c) => ({ op: `${c.service}:${c.op}`, input: c.input }));
    const asMap = (c: (typeof calls)[number]) => c;
    expect(calls.map(asMap)).toEqual([
      { op: 'ec2:DescribeInstances', input: { InstanceIds: [ID] } },
      { op: 'ec2:GetConsoleOutput', input: { InstanceId: ID, Latest: true } },
      { op: 'ec2:GetConsoleScreenshot', input: { InstanceId: ID, WakeUp: true } },
      { op: 'ec2:ModifyInstanceAttribute', input: { InstanceId: ID, DisableApiTermination: { Value: true } } },
      { op: 'ec2:ModifyInstanceAttribute', input: { InstanceId: ID, InstanceInitiatedShutdownBehavior: { Value: 'stop' } } },
      {
        op: 'ec2:ModifyInstanceAttribute',
        input: { InstanceId: ID, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: false } }] },
      },
      {
        op: 'ec2:ModifyInstanceAttribute',
        input: { InstanceId: ID, BlockDeviceMappings: [{ DeviceName: '/dev/xvdf', Ebs: { DeleteOnTermination: false } }] },
      },
      {
        op: 'autoscaling:DetachInstances',
        input: { AutoScalingGroupName: 'web-asg', InstanceIds: [ID], ShouldDecrementDesiredCapacity: false },
      },
      { op: 'elbv2:DeregisterTargets', input: { TargetGroupArn: TG_ARN, Targets: [{ Id: ID, Port: 80 }] } },
      {
        op: 'ec2:CreateSecurityGroup',
        input: expect.objectContaining({
          GroupName: `lariat-transit-${VPC}`,
          VpcId: VPC,
          TagSpecifications: [
            expect.objectContaining({
              ResourceType: 'security-group',
              Tags: expect.arrayContaining([{ Key: 'lariat:role', Value: 'isolation-transit' }]),
            }),
          ],
        }),
      },
      {
        op: 'ec2:AuthorizeSecurityGroupIngress',
        input: {
          GroupId: 'sg-newtransit',
          IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
        },
      },
      {
        op: 'ec2:AuthorizeSecurityGroupEgress',
        input: { GroupId: 'sg-newtransit', IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] },
      },
      { op: 'ec2:CreateSecurityGroup', input: expect.objectContaining({ GroupName: `lariat-isolation-${VPC}`, VpcId: VPC }) },
      {
        op: 'ec2:RevokeSecurityGroupEgress',
        input: { GroupId: 'sg-newiso', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      },
      {
        op: 'ec2:RevokeSecurityGroupEgress',
        input: { GroupId: 'sg-newiso', IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] },
      },
      { op: 'ec2:ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', Groups: ['sg-newtransit'] } },
      { op: 'ec2:ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', Groups: ['sg-newiso'] } },
      { op: 'ec2:ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-2', Groups: ['sg-newtransit'] } },
      { op: 'ec2:ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-2', Groups: ['sg-newiso'] } },
      { op: 'ec2:DisassociateAddress', input: { AssociationId: 'eipassoc-1' } },
      { op: 'ec2:DisassociateIamInstanceProfile', input: { AssociationId: 'iip-assoc-1' } },
      {
        op: 'iam:PutRolePolicy',
        input: { RoleName: 'web-role', PolicyName: 'LariatRevokeOlderSessions', PolicyDocument: expect.any(String) },
      },
      {
        op: 'ec2:CreateTags',
        input: {
          Resources: [ID],
          Tags: [
            { Key: 'lariat:case', Value: e.caseNumber },
            { Key: 'lariat:state', Value: 'isolated' },
            { Key: 'lariat:action', Value: String(planned.id) },
          ],
        },
      },
    ]);
    // The revocation denies everything to tokens issued before the moment the step ran.
    const policy = JSON.parse(String(e.mock.of('iam', 'PutRolePolicy')[0]!.PolicyDocument)) as {
      Statement: { Effect: string; Condition: { DateLessThan: Record<string, string> } }[];
    };
    expect(policy.Statement[0]!.Effect).toBe('Deny');
    expect(policy.Statement[0]!.Condition.DateLessThan['aws:TokenIssueTime']).toMatch(/^2026-11-27T10:\d\d:\d\d\.000Z$/);
    // The other target group, where the instance is not registered, is left alone.
    expect(e.mock.of('elbv2', 'DeregisterTargets')).toHaveLength(1);
  });

  it('saves describe JSON, console output and screenshot as evidence with custody entries, before any change', async () => {
    stubInstance(e.mock);
    const planned = await plan();
    await e.feature.response.run(planned.id, ID);
    const items = e.s.custody.vault.list(e.caseNumber);
    expect(items.map((i) => i.description).sort()).toEqual([
      `Console output of ${ID} before isolation`,
      `Console screenshot of ${ID} before isolation`,
      `DescribeInstances of ${ID} before isolation`,
    ]);
    const evidenceSteps = e.feature.response.get(planned.id).steps.slice(0, 3);
    for (const st of evidenceSteps) expect((st.result as { EvidenceId: number }).EvidenceId).toBeGreaterThan(0);
    const entries = e.s.custody.ledger.list(e.caseNumber);
    expect(entries.filter((x) => x.evidence && items.some((i) => i.id === x.evidence!.id)).length).toBeGreaterThanOrEqual(3);
  });

  it('reuses the isolation group of the VPC and records every step in the timeline and the activity log', async () => {
    stubInstance(e.mock, { groupsExist: true });
    const planned = await plan({ disassociateEips: false, revokeSessions: false });
    expect(planned.steps.map((s) => s.operation)).not.toContain('CreateSecurityGroup');
    await e.feature.response.run(planned.id, ID);
    expect(e.mock.of('ec2', 'ModifyNetworkInterfaceAttribute')).toEqual([
      { NetworkInterfaceId: 'eni-1', Groups: ['sg-transit'] },
      { NetworkInterfaceId: 'eni-1', Groups: ['sg-iso'] },
      { NetworkInterfaceId: 'eni-2', Groups: ['sg-transit'] },
      { NetworkInterfaceId: 'eni-2', Groups: ['sg-iso'] },
    ]);
    expect(e.mock.of('ec2', 'DisassociateAddress')).toEqual([]);
    const stepLog = e.s.core.activity.list(e.caseNumber).filter((a) => a.action === 'response.step.succeeded');
    expect(stepLog).toHaveLength(planned.steps.length);
    const page = e.s.timeline.events.query({ caseNumber: e.caseNumber, limit: 1000 });
    const lariat = page.events.filter((ev) => ev.source === 'lariat');
    expect(lariat).toHaveLength(planned.steps.length);
    expect(lariat.map((ev) => ev.action)).toContain('ec2:ModifyNetworkInterfaceAttribute');
    expect(lariat.every((ev) => ev.resource === ID)).toBe(true);
    const asset = e.s.core.assets.find(e.caseNumber, 'ec2-instance', ID)!;
    expect(asset.details.isolation).toBe('isolated');
    expect(asset.details.autoScalingGroup).toBe('web-asg');
  });

  it('moves the instance to Standby when the investigator chooses it, and can replace the profile', async () => {
    stubInstance(e.mock);
    const isolationProfileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/lariat-isolation`;
    const planned = await plan({ asgMode: 'standby', profileMode: 'replace', isolationProfileArn, revokeSessions: false });
    await e.feature.response.run(planned.id, ID);
    expect(e.mock.of('autoscaling', 'EnterStandby')).toEqual([
      { AutoScalingGroupName: 'web-asg', InstanceIds: [ID], ShouldDecrementDesiredCapacity: true },
    ]);
    expect(e.mock.of('autoscaling', 'DetachInstances')).toEqual([]);
    expect(e.mock.of('ec2', 'ReplaceIamInstanceProfileAssociation')).toEqual([
      { AssociationId: 'iip-assoc-1', IamInstanceProfile: { Arn: isolationProfileArn } },
    ]);
    expect(e.feature.response.get(planned.id).recorded.instanceProfile).toEqual({
      arn: PROFILE_ARN,
      associationId: 'iip-assoc-1',
      mode: 'replace',
    });
  });

  it('handles an instance outside any Auto Scaling group or target group', async () => {
    stubInstance(e.mock, { asg: false, targetGroup: false, profile: false, eip: false });
    const planned = await plan();
    const ops = planned.steps.map((s) => s.operation);
    expect(ops).not.toContain('DetachInstances');
    expect(ops).not.toContain('DeregisterTargets');
    expect(ops).not.toContain('DisassociateIamInstanceProfile');
    expect(ops).not.toContain('PutRolePolicy');
    await e.feature.response.run(planned.id, ID);
    expect(e.feature.response.get(planned.id).state).toBe('succeeded');
  });

  it('refuses to run without the instance id typed back', async () => {
    stubInstance(e.mock);
    const planned = await plan();
    e.mock.clearCalls();
    expect(() => e.feature.response.start(planned.id, 'i-0wrong')).toThrow(/not the instance id/);
    expect(e.mock.calls).toEqual([]);
    expect(e.feature.response.get(planned.id).state).toBe('planned');
  });

  it('retries throttling and shows the attempts on the step', async () => {
    stubInstance(e.mock);
    const planned = await plan();
    e.mock
      .failNext('ec2', 'ModifyInstanceAttribute', awsError('RequestLimitExceeded'))
      .failNext('ec2', 'ModifyInstanceAttribute', awsError('Throttling'));
    const done = await e.feature.response.run(planned.id, ID);
    expect(done.state).toBe('succeeded');
    const step = done.steps.find((s) => s.key === 'termination-protection')!;
    expect(step.attempts).toBe(3);
    expect(e.mock.of('ec2', 'ModifyInstanceAttribute').filter((c) => 'DisableApiTermination' in c)).toHaveLength(3);
  });

  it('names the missing IAM action when AccessDenied hits any step, and resumes without repeating a succeeded step', async () => {
    stubInstance(e.mock);
    const planned = await plan();
    const expected = planned.steps.map((s) => s.iamAction);
    for (let k = 0; k < planned.steps.length; k++) {
      const step = planned.steps[k]!;
      // The run resumes at the step that failed last time; if it makes the same call, let that one pass.
      const passFirst = k > 0 && planned.steps[k - 1]!.operation === step.operation ? 1 : 0;
      e.mock.failNext(
        step.service as never,
        step.operation,
        awsError(step.service === 'ec2' ? 'UnauthorizedOperation' : 'AccessDenied', 'You are not authorized to perform this operation.'),
        passFirst,
      );
      e.mock.clearCalls();
      const err = await e.feature.response.run(planned.id, ID).then(
        () => null,
        (x: Error & { code: string; hint: string }) => x,
      );
      expect(err?.code, `step ${k} ${step.key}`).toBe('aws-access-denied');
      expect(err!.message).toContain(expected[k]);
      expect(err!.hint).toContain(expected[k]);
      const now = e.feature.response.get(planned.id);
      expect(now.state).toBe('failed');
      expect(now.steps[k]!.state, `step ${k} ${step.key}`).toBe('failed');
      expect(now.steps.slice(0, k).every((s) => s.state === 'succeeded')).toBe(true);
      // Only the failing step's call was made on this run: no earlier step was repeated.
      const mutating = e.mock.mutations().map((c) => c.op);
      const expectedOps = [k > 0 ? planned.steps[k - 1]!.operation : null, step.operation].filter(
        (o): o is string => !!o && !/^(Describe|Get|Head)/.test(o),
      );
      expect(mutating).toEqual(expectedOps);
    }
    e.mock.clearCalls();
    const done = await e.feature.response.run(planned.id, ID);
    expect(done.state).toBe('succeeded');
    // The final run only made the last step's call.
    expect(e.mock.mutations().map((c) => c.op)).toEqual(['CreateTags']);
    // Every step ran exactly once successfully: attempts = 1 failure + 1 success.
    expect(done.steps.every((s) => s.attempts === 2)).toBe(true);
  });

  it('resumes after a crash mid-step without repeating what succeeded, recovering a created group', async () => {
    stubInstance(e.mock);
    const planned = await plan();
    const createIdx = planned.steps.findIndex((s) => s.key === 'create-isolation-sg');
    // Run until the isolation group create, then simulate a crash: the step is left "running" and AWS did create the group.
    e.mock.failNext('ec2', 'CreateSecurityGroup', awsError('Throttling')); // absorbed by retry: proves retries do not double-create
    e.mock.on('ec2', 'CreateSecurityGroup', (input) => {
      if (String(input.GroupName).includes('isolation'))
        throw Object.assign(new Error('socket hang up'), { name: 'ECONNRESET', code: 'ECONNRESET' });
      return { GroupId: 'sg-newtransit' };
    });
    await expect(e.feature.response.run(planned.id, ID)).rejects.toThrow(/could not reach AWS/);
    e.s.core.db.prepare("UPDATE response_steps SET state = 'running' WHERE action_id = ? AND idx = ?").run(planned.id, createIdx);
    e.s.core.db.prepare("UPDATE response_actions SET state = 'running' WHERE id = ?").run(planned.id);
    // A fresh feature instance on the same database, as after a restart.
    const { createResponseFeature } = await import('../../../main/response');
    const restarted = createResponseFeature(e.s.core, e.s.custody, e.s.timeline, { sleep: async () => undefined, pollMs: 0 });
    expect(restarted.response.list(e.caseNumber)[0]!.interrupted).toBe(true);
    e.mock.on('ec2', 'CreateSecurityGroup', () => {
      throw awsError('InvalidGroup.Duplicate', "The security group 'lariat-isolation' already exists");
    });
    e.mock.clearCalls();
    const done = await restarted.response.run(planned.id, ID);
    expect(done.state).toBe('succeeded');
    expect(done.steps[createIdx]!.result).toMatchObject({ GroupId: 'sg-recovered', Recovered: true });
    const ops = e.mock.mutations().map((c) => c.op);
    expect(ops[0]).toBe('CreateSecurityGroup');
    expect(ops.filter((o) => o === 'ModifyInstanceAttribute')).toEqual([]);
    expect(e.mock.of('ec2', 'ModifyNetworkInterfaceAttribute')).toContainEqual({ NetworkInterfaceId: 'eni-1', Groups: ['sg-recovered'] });
  });

  it('refuses a reused isolation group that has rules', async () => {
    stubInstance(e.mock, { groupsExist: true });
    e.mock.on('ec2', 'DescribeSecurityGroups', {
      SecurityGroups: [
        {
          GroupId: 'sg-iso',
          IpPermissions: [{ IpProtocol: 'tcp' }],
          IpPermissionsEgress: [],
          Tags: [{ Key: 'lariat:role', Value: 'isolation' }],
        },
      ],
    });
    await expect(plan()).rejects.toMatchObject({ code: 'isolation-group-has-rules' });
  });
});
