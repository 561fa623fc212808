import { describe, expect, it } from 'vitest';
import { suggestContainment, type FindingFacts } from '../../../main/response/from-finding';
import { PlanActionInput } from '../../../common/contract/response';

const gd = (Resource: Record<string, unknown>): FindingFacts => ({ source: 'guardduty', region: 'eu-west-1', raw: { Resource } });
const sh = (Resources: Record<string, unknown>[]): FindingFacts => ({ source: 'securityhub', region: 'eu-west-1', raw: { Resources } });
const all = () => true;

describe('from a finding to the containment that fits', () => {
  it.each([
    [
      gd({ ResourceType: 'Instance', InstanceDetails: { InstanceId: 'i-0abc1234def567890' } }),
      'isolate',
      { instanceId: 'i-0abc1234def567890' },
    ],
    [
      gd({ ResourceType: 'AccessKey', AccessKeyDetails: { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', UserName: 'ci', UserType: 'IAMUser' } }),
      'credentials',
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
    ],
    // InstanceCredentialExfiltration: the instance role's session, whose key is an ASIA... key: contain the role's sessions.
    [
      gd({
        ResourceType: 'AccessKey',
        AccessKeyDetails: { AccessKeyId: 'ASIAIOSFODNN7EXAMPLE', UserName: 'web-role', UserType: 'AssumedRole' },
      }),
      'role-sessions',
      { role: 'web-role' },
    ],
    [
      gd({ ResourceType: 'S3Bucket', S3BucketDetails: [{ Name: 'exposed-data', Arn: 'arn:aws:s3:::exposed-data' }] }),
      's3-contain',
      { bucket: 'exposed-data' },
    ],
    [
      gd({ ResourceType: 'Lambda', LambdaDetails: { FunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:thumbnailer' } }),
      'lambda-contain',
      { functionName: 'thumbnailer' },
    ],
    [
      sh([{ Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc1234def567890', Region: 'eu-west-1' }]),
      'isolate',
      { instanceId: 'i-0abc1234def567890' },
    ],
    [
      sh([{ Type: 'AwsIamRole', Id: 'arn:aws:iam::111122223333:role/web-role' }]),
      'role-sessions',
      { role: 'arn:aws:iam::111122223333:role/web-role' },
    ],
    [
      sh([{ Type: 'AwsIamUser', Id: 'arn:aws:iam::111122223333:user/ci' }]),
      'credentials',
      { userArn: 'arn:aws:iam::111122223333:user/ci' },
    ],
    [
      sh([
        { Type: 'AwsAccount', Id: 'AWS::::Account:1' },
        { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::exposed-data', Region: 'us-east-1' },
      ]),
      's3-contain',
      { bucket: 'exposed-data', region: 'us-east-1' },
    ],
    [
      sh([{ Type: 'AwsLambdaFunction', Id: 'arn:aws:lambda:eu-west-1:111122223333:function:thumbnailer:3', Region: 'eu-west-1' }]),
      'lambda-contain',
      { functionName: 'thumbnailer' },
    ],
  ])('%#: %s → %s', (finding, kind, fields) => {
    const s = suggestContainment(finding, 'IR-2026-0001', all);
    expect(s.kind).toBe(kind);
    expect(s.input).toMatchObject({ kind, caseNumber: 'IR-2026-0001', ...fields });
  });

  it('the pre-filled input of an S3, Lambda or EC2 suggestion is a valid plan input as it stands', () => {
    for (const f of [
      gd({ ResourceType: 'S3Bucket', S3BucketDetails: [{ Name: 'exposed-data' }] }),
      gd({ ResourceType: 'Lambda', LambdaDetails: { FunctionName: 'thumbnailer' } }),
      gd({ ResourceType: 'Instance', InstanceDetails: { InstanceId: 'i-0abc1234def567890' } }),
    ])
      expect(PlanActionInput.safeParse(suggestContainment(f, 'IR-2026-0001', all).input).success).toBe(true);
  });

  it('says so when nothing fits, and when the kind is not in this build', () => {
    expect(suggestContainment(gd({ ResourceType: 'EKSCluster' }), 'IR-2026-0001', all)).toMatchObject({
      kind: null,
      input: null,
      available: false,
    });
    expect(suggestContainment(sh([]), 'IR-2026-0001', all).kind).toBeNull();
    const s = suggestContainment(
      gd({ ResourceType: 'Instance', InstanceDetails: { InstanceId: 'i-0abc1234def567890' } }),
      'IR-2026-0001',
      (k) => k !== 'isolate',
    );
    expect(s).toMatchObject({ kind: 'isolate', available: false });
  });
});
