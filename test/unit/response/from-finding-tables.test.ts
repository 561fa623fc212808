import { describe, expect, it } from 'vitest';
import { suggestContainment, type FindingFacts } from '../../../main/response/from-finding';

const gd = (Resource: unknown): FindingFacts => ({ source: 'guardduty', region: 'eu-west-1', raw: { Resource } });
const sh = (Resources: unknown): FindingFacts => ({ source: 'securityhub', region: 'eu-west-1', raw: { Resources } });
const suggest = (f: FindingFacts) => suggestContainment(f, 'IR-2026-0001', () => true);

/** The resource-type tables of from-finding.ts: the branches the containment tests do not reach, and hostile type names. */
describe('finding → containment tables', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'a resource type named %s (an Object prototype key) fits nothing instead of calling a prototype function',
    (type) => {
      for (const f of [gd({ ResourceType: type }), sh([{ Type: type, Id: 'x' }])])
        expect(suggest(f)).toMatchObject({ kind: null, input: null, available: false });
    },
  );

  it.each([
    // GuardDuty: an IAM user's temporary (ASIA) key is not deactivated by id; the user is contained.
    [
      gd({ ResourceType: 'AccessKey', AccessKeyDetails: { AccessKeyId: 'ASIAIOSFODNN7EXAMPLE', UserName: 'ci', UserType: 'IAMUser' } }),
      { kind: 'credentials', resource: 'ci', resourceType: 'iam-user', reason: 'GuardDuty names IAM user ci.', field: { userName: 'ci' } },
    ],
    [
      gd({ ResourceType: 'AccessKey', AccessKeyDetails: { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', UserType: 'IAMUser' } }),
      {
        kind: 'credentials',
        resource: 'AKIAIOSFODNN7EXAMPLE',
        resourceType: 'access-key',
        reason: 'GuardDuty names access key AKIAIOSFODNN7EXAMPLE of user ?.',
        field: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
      },
    ],
    [
      gd({ ResourceType: 'S3Bucket', S3BucketDetails: { Name: 'single-object' } }),
      {
        kind: 's3-contain',
        resource: 'single-object',
        resourceType: 's3-bucket',
        reason: 'GuardDuty names bucket single-object.',
        field: { bucket: 'single-object' },
      },
    ],
    // Security Hub: an access key resource without a key id in its Id falls back to its principal.
    [
      sh([{ Type: 'AwsIamAccessKey', Id: 'AWS::IAM::AccessKey:redacted', Details: { AwsIamAccessKey: { PrincipalName: 'ci' } } }]),
      {
        kind: 'credentials',
        resource: 'ci',
        resourceType: 'iam-user',
        reason: 'Security Hub names the key of user ci.',
        field: { userName: 'ci' },
      },
    ],
    [
      sh([{ Type: 'AwsIamAccessKey', Id: 'AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE', Region: 'us-east-1' }]),
      {
        kind: 'credentials',
        resource: 'AKIAIOSFODNN7EXAMPLE',
        resourceType: 'access-key',
        reason: 'Security Hub names access key AKIAIOSFODNN7EXAMPLE.',
        field: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', region: 'us-east-1' },
      },
    ],
    // The first resource that fits wins; one of an unknown type or without an id is passed over.
    [
      sh([
        { Type: 'AwsIamRole', Id: 'web-role' },
        { Type: 'AwsEc2Instance', Id: 'no-instance-here' },
        { Type: 'AwsLambdaFunction', Id: 'fn' },
      ]),
      {
        kind: 'lambda-contain',
        resource: 'fn',
        resourceType: 'lambda-function',
        reason: 'Security Hub names Lambda function fn.',
        field: { functionName: 'fn', region: 'eu-west-1' },
      },
    ],
  ])('%#', (finding, want) => {
    const s = suggest(finding);
    expect({ kind: s.kind, resource: s.resource, resourceType: s.resourceType, reason: s.reason }).toEqual({
      kind: want.kind,
      resource: want.resource,
      resourceType: want.resourceType,
      reason: want.reason,
    });
    expect(s.input).toMatchObject({ kind: want.kind, caseNumber: 'IR-2026-0001', ...want.field });
  });

  it('a finding whose resources are not a list, or not objects, fits nothing', () => {
    for (const f of [sh('AwsS3Bucket'), sh([null, 7, 'x']), gd(null), gd([]), gd({ ResourceType: 'S3Bucket', S3BucketDetails: [null, 3] })])
      expect(suggest(f).kind).toBeNull();
  });
});
