import type { AwsModel } from './model';
import type { IamState } from './modules/iam';
import type { IamUsersState } from './modules/iam-users';
import type { CloudTrailState } from './modules/cloudtrail';
import { ACCOUNT, REGION } from './scenario';

export const USER = 'deploy-bot';
export const KEY = 'AKIAIOSFODNN7LEAKED1';
export const OTHER_KEY = 'AKIAIOSFODNN7SECOND2';
export const OLD_MFA = `arn:aws:iam::${ACCOUNT}:mfa/deploy-bot-old`;
export const NEW_MFA = `arn:aws:iam::${ACCOUNT}:mfa/deploy-bot-attacker`;
export const INCIDENT_START = '2026-11-26T00:00:00.000Z';
export const SLR = 'AWSServiceRoleForAutoScaling';

/**
 * A leaked key: user deploy-bot with two active keys (the leaked one used
 * yesterday), an inline and an attached policy, a group, a console password,
 * an old MFA device and one the attacker added during the incident; the
 * web-role of the EC2 scenario and a service-linked role.
 */
export function seedCredentials(model: AwsModel): void {
  const users = model.slice<IamUsersState>('iam-users');
  users.users[USER] = {
    UserName: USER,
    UserId: 'AIDAEXAMPLEDEPLOYBOT1',
    Arn: `arn:aws:iam::${ACCOUNT}:user/ci/${USER}`,
    Path: '/ci/',
    CreateDate: '2025-01-01T00:00:00.000Z',
    keys: [
      {
        AccessKeyId: KEY,
        Status: 'Active',
        CreateDate: '2025-01-01T00:00:00.000Z',
        lastUsed: { LastUsedDate: '2026-11-26T22:00:00.000Z', ServiceName: 's3', Region: REGION },
      },
      { AccessKeyId: OTHER_KEY, Status: 'Active', CreateDate: '2026-11-26T21:00:00.000Z' },
    ],
    inline: {
      'ci-deploy': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] }),
    },
    attached: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    groups: ['deployers'],
    mfa: [
      { SerialNumber: OLD_MFA, EnableDate: '2025-02-01T00:00:00.000Z' },
      { SerialNumber: NEW_MFA, EnableDate: '2026-11-26T21:30:00.000Z' },
    ],
    loginProfile: { CreateDate: '2025-01-02T00:00:00.000Z', PasswordResetRequired: false },
  };
  const iam = model.slice<IamState>('iam');
  iam.roles['web-role'] ??= { RoleName: 'web-role', Arn: `arn:aws:iam::${ACCOUNT}:role/web-role`, inline: {} };
  iam.roles[SLR] = {
    RoleName: SLR,
    Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/${SLR}`,
    Path: '/aws-service-role/autoscaling.amazonaws.com/',
    inline: {},
  };
}

/** Calls by the leaked key after (and before) a time, some denied, as CloudTrail event history keeps them. */
export function seedTrail(model: AwsModel, after: string, count: number, region = REGION): void {
  const trail = model.slice<CloudTrailState>('cloudtrail', region);
  const base = Date.parse(after);
  trail.events.push({
    EventId: 'before-containment',
    EventName: 'ListBuckets',
    EventSource: 's3.amazonaws.com',
    EventTime: new Date(base - 3600_000).toISOString(),
    Username: USER,
    AccessKeyId: KEY,
  });
  for (let i = 0; i < count; i++)
    trail.events.push({
      EventId: `after-${region}-${i}`,
      EventName: i % 2 ? 'GetObject' : 'CreateUser',
      EventSource: i % 2 ? 's3.amazonaws.com' : 'iam.amazonaws.com',
      EventTime: new Date(base + (i + 1) * 60_000).toISOString(),
      Username: USER,
      AccessKeyId: KEY,
      ...(i % 2 ? {} : { ErrorCode: 'AccessDenied' }),
    });
}
