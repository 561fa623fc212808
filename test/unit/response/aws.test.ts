import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../../main/aws/clients';
import { mapAwsError } from '../../../main/aws/errors';
import { redact } from '../../../main/aws/redact';
import { iamActionFor } from '../../../main/aws/operations';
import { AwsMock, awsError } from './aws-mock';
import { SECRETS } from './fixtures';

const creds = async () => ({ accessKeyId: SECRETS.baseKeyId, secretAccessKey: SECRETS.baseSecret });

describe('AWS error mapping', () => {
  it('names the exact IAM action of the refused call', () => {
    const e1 = mapAwsError(awsError('UnauthorizedOperation'), 'ec2', 'ModifyNetworkInterfaceAttribute');
    expect(e1.code).toBe('aws-access-denied');
    expect(e1.message).toContain('ec2:ModifyNetworkInterfaceAttribute');
    expect(e1.hint).toContain('ec2:ModifyNetworkInterfaceAttribute');
    expect(e1.hint).toContain('resources/iam/lariat-responder-policy.json');
    expect(mapAwsError(awsError('AccessDenied'), 'elbv2', 'DeregisterTargets').message).toContain('elasticloadbalancing:DeregisterTargets');
    // S3 answers HEAD requests with a bare 403.
    expect(mapAwsError(Object.assign(awsError('Forbidden'), { $metadata: { httpStatusCode: 403 } }), 's3', 'HeadBucket').message).toContain(
      's3:ListBucket',
    );
    expect(iamActionFor('s3', 'HeadObject')).toBe('s3:GetObject');
  });

  it('tells expired sessions, missing credentials, throttling and missing resources apart, each with a hint', () => {
    const cases: [Error, string, RegExp][] = [
      [awsError('ExpiredToken', 'The security token included in the request is expired'), 'aws-credentials-expired', /sso login|MFA/],
      [
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
        'aws-no-credentials',
        /profile/,
      ],
      [awsError('ThrottlingException', 'Rate exceeded'), 'aws-throttled', /resume/],
      [awsError('InvalidInstanceID.NotFound', "The instance ID 'i-0' does not exist"), 'aws-not-found', /region/],
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }), 'aws-unreachable', /LARIAT_AWS_ENDPOINT/],
    ];
    for (const [err, code, hint] of cases) {
      const mapped = mapAwsError(err, 'ec2', 'DescribeInstances');
      expect(mapped.code).toBe(code);
      expect(mapped.hint).toMatch(hint);
    }
  });
});

describe('redaction', () => {
  it('removes credentials and key ids from anything stored or shown', () => {
    const out = JSON.stringify(
      redact({
        Credentials: { AccessKeyId: SECRETS.assumedKeyId, SecretAccessKey: SECRETS.assumedSecret, SessionToken: SECRETS.sessionToken },
        Note: `key ${SECRETS.baseKeyId} used`,
        TokenCode: '123456',
        ExternalId: 'ext-secret',
        ImageData: 'x'.repeat(10_000),
        Keep: 'i-0abc',
      }),
    );
    for (const secret of [SECRETS.assumedKeyId, SECRETS.assumedSecret, SECRETS.sessionToken, SECRETS.baseKeyId, '123456', 'ext-secret'])
      expect(out).not.toContain(secret);
    expect(out).toContain('i-0abc');
    expect(out).toContain('[10000 characters, not stored here]');
  });
});

describe('client factory', () => {
  let mock: AwsMock | undefined;
  afterEach(() => mock?.restore());

  it('builds per-region clients with adaptive retries, maxAttempts and the endpoint override', async () => {
    const clients = new AwsClients({ credentials: creds, endpoint: 'http://127.0.0.1:4566', maxAttempts: 7 });
    const ec2 = clients.client('ec2', 'eu-west-1') as unknown as {
      config: {
        region: () => Promise<string>;
        maxAttempts: () => Promise<number>;
        retryMode?: unknown;
        endpoint?: () => Promise<{ hostname: string; port?: number; protocol: string }>;
      };
    };
    expect(clients.client('ec2', 'eu-west-1')).toBe(ec2);
    expect(clients.client('ec2', 'us-east-1')).not.toBe(ec2);
    expect(await ec2.config.region()).toBe('eu-west-1');
    expect(await ec2.config.maxAttempts()).toBe(7);
    const retryMode = ec2.config.retryMode;
    expect(typeof retryMode === 'function' ? await (retryMode as () => Promise<string>)() : retryMode).toBe('adaptive');
    const ep = await ec2.config.endpoint!();
    expect([ep.protocol, ep.hostname, ep.port]).toEqual(['http:', '127.0.0.1', 4566]);
    clients.destroy();
  });

  it('retries throttling on top of the SDK and then gives up with a clear error', async () => {
    mock = new AwsMock();
    mock.on('ec2', 'DescribeInstances', { Reservations: [] });
    const slept: number[] = [];
    const clients = new AwsClients({ credentials: creds, sleep: async (ms) => void slept.push(ms), throttleRetries: 3 });
    mock
      .failNext('ec2', 'DescribeInstances', awsError('RequestLimitExceeded'))
      .failNext('ec2', 'DescribeInstances', awsError('RequestLimitExceeded'));
    const retries: number[] = [];
    await expect(clients.call('ec2', 'eu-west-1', 'DescribeInstances', {}, { onRetry: (n) => retries.push(n) })).resolves.toEqual({
      Reservations: [],
    });
    expect(retries).toEqual([1, 2]);
    expect(slept).toEqual([500, 1000]);
    for (let i = 0; i < 4; i++) mock.failNext('ec2', 'DescribeInstances', awsError('RequestLimitExceeded'));
    await expect(clients.call('ec2', 'eu-west-1', 'DescribeInstances', {})).rejects.toMatchObject({ code: 'aws-throttled' });
    await expect(clients.call('ec2', 'eu-west-1', 'TerminateInstances', {})).rejects.toThrow(/Unknown AWS operation/);
  });
});
