import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsCli } from '../../helpers/cli-setup';
import { ID, REGION, SECRETS, setup, stubInstance, type Env } from './fixtures';
import { awsError } from './aws-mock';

let e: Env;
beforeEach(() => {
  e = setup();
  stubInstance(e.mock);
});
afterEach(() => e.cleanup());

/** Runs the CLI in-process on the test's data folder, with instant waits. */
const cli = awsCli(() => e.s.dataDir, { id: SECRETS.baseKeyId, secret: SECRETS.baseSecret, region: REGION });

/** `respond isolate --plan` on the stubbed instance: the plan tests differ only in their options. */
const isolatePlan = (...options: string[]) =>
  cli('respond', 'isolate', '--case', e.caseNumber, '--instance', ID, '--region', REGION, '--plan', ...options);

describe('lariat respond / lariat aws', () => {
  it('isolate --plan prints every AWS call with its parameters and changes nothing', async () => {
    const r = await isolatePlan('--revoke-sessions', '--disassociate-eips');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const call of [
      'ec2:DescribeInstances',
      'ec2:GetConsoleOutput',
      'ec2:GetConsoleScreenshot',
      'ec2:ModifyInstanceAttribute',
      'autoscaling:DetachInstances',
      'elbv2:DeregisterTargets',
      'ec2:CreateSecurityGroup',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:DisassociateAddress',
      'ec2:DisassociateIamInstanceProfile',
      'iam:PutRolePolicy',
      'ec2:CreateTags',
    ]) {
      expect(r.out).toContain(call);
    }
    expect(r.out).toContain('{"NetworkInterfaceId":"eni-1","Groups":[{"$ref":"transit-sg.GroupId"}]}');
    expect(r.out).toContain('"DisableApiTermination":{"Value":true}');
    expect(r.out).toMatch(/Nothing was changed\. Run it with: lariat respond resume \d+/);
    expect(e.mock.mutations()).toEqual([]);
  });

  it('refuses to run without --yes when standard input is not a terminal, then runs with --yes', async () => {
    const r = await cli('respond', 'snapshot', '--case', e.caseNumber, '--instance', ID, '--region', REGION);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs a typed confirmation, but standard input is not a terminal/);
    expect(e.mock.mutations()).toEqual([]);
    e.mock
      .on('ec2', 'CreateSnapshots', {
        Snapshots: [
          { SnapshotId: 'snap-1', VolumeId: 'vol-1' },
          { SnapshotId: 'snap-2', VolumeId: 'vol-2' },
        ],
      })
      .on('ec2', 'DescribeSnapshots', (input) =>
        input.Filters
          ? { Snapshots: [] }
          : {
              Snapshots: [
                { SnapshotId: 'snap-1', VolumeId: 'vol-1', State: 'completed', VolumeSize: 8 },
                { SnapshotId: 'snap-2', VolumeId: 'vol-2', State: 'completed', VolumeSize: 100 },
              ],
            },
      );
    const list = await cli('respond', 'list', '--case', e.caseNumber, '--json');
    const planned = (JSON.parse(list.out) as { id: number; state: string }[])[0]!;
    expect(planned.state).toBe('planned');
    const ran = await cli('respond', 'resume', String(planned.id), '--yes');
    expect(ran.err).toBe('');
    expect(ran.out).toMatch(/ok +1\/\d+ Snapshot all 2 attached volume/);
    expect(ran.out).toMatch(/Action #\d+ succeeded: \d+\/\d+ steps\./);
    const again = await cli('respond', 'resume', String(planned.id), '--yes');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already succeeded/);
    expect(e.mock.of('ec2', 'CreateSnapshots')).toHaveLength(1);
  });

  it('aws whoami and aws find', async () => {
    const who = await cli('aws', 'whoami');
    expect(who.out).toContain('account  111122223333');
    expect(who.out).not.toContain(SECRETS.baseKeyId);
    const found = await cli('aws', 'find', '--case', e.caseNumber, 'web', '--add');
    expect(found.out).toMatch(new RegExp(`${ID}\\s+${REGION}\\s+running\\s+web-1\\s+10.0.1.15`));
    expect(e.s.core.assets.find(e.caseNumber, 'ec2-instance', ID)?.label).toBe('web-1');
  });

  it('reports a failed step with its hint and how to resume', async () => {
    e.mock.on('ssm', 'DescribeInstanceInformation', { InstanceInformationList: [] });
    const r = await cli(
      'respond',
      'memory',
      '--case',
      e.caseNumber,
      '--instance',
      ID,
      '--region',
      REGION,
      '--bucket',
      'ir-evidence',
      '--yes',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: Instance i-0abc1234def567890 is not managed by AWS Systems Manager/);
    expect(r.err).toMatch(/hint: .*snapshot its volumes/);
  });

  it('isolate --plan --nacl --skip-evidence shows the ACL entries, the checks each step makes, and the warnings', async () => {
    e.mock.on('ec2', 'DescribeNetworkAcls', {
      NetworkAcls: [
        {
          NetworkAclId: 'acl-1',
          Associations: [{ SubnetId: 'subnet-1' }],
          Entries: [
            { RuleNumber: 100, Egress: false, RuleAction: 'allow' },
            { RuleNumber: 100, Egress: true, RuleAction: 'allow' },
          ],
        },
      ],
    });
    const r = await isolatePlan('--nacl', '--skip-evidence');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '{"NetworkAclId":"acl-1","RuleNumber":1,"Protocol":"-1","RuleAction":"deny","Egress":false,"CidrBlock":"10.0.1.15/32"}',
    );
    expect(r.out).toMatch(
      /ec2:ModifyInstanceAttribute {2}region eu-west-1 {2}\(IAM: ec2:ModifyInstanceAttribute; checks: ec2:DescribeInstanceAttribute\)/,
    );
    expect(r.out).toContain('WARNING: Console output and screenshot will not be captured (chosen when planning).');
    expect(r.out).not.toContain('ec2:GetConsoleOutput');
    expect(e.mock.mutations()).toEqual([]);
  });

  it('aws find --add and plans go on when SSM answers HTTP 500, with the failure as a warning', async () => {
    for (let i = 0; i < 3; i++)
      e.mock.failNext(
        'ssm',
        'DescribeInstanceInformation',
        awsError('InternalServerError', 'We encountered an internal error', { $fault: 'server', $metadata: { httpStatusCode: 500 } }),
      );
    const found = await cli('aws', 'find', '--case', e.caseNumber, ID, '--add');
    expect(found.code).toBe(0);
    const asset = e.s.core.assets.find(e.caseNumber, 'ec2-instance', ID)!;
    expect(asset.details.warnings).toEqual([
      expect.stringMatching(/^SSM: AWS failed ssm:DescribeInstanceInformation on its side \(InternalServerError, HTTP 500\)/),
    ]);
    const planned = await cli('respond', 'snapshot', '--case', e.caseNumber, '--instance', ID, '--region', REGION, '--plan');
    expect(planned.code).toBe(0);
    const isolate = await isolatePlan();
    expect(isolate.code).toBe(0);
    expect(isolate.err).toBe('');
  });
});
