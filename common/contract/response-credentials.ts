import * as z from 'zod';
import { AwsRegion, CaseNumber, text, wellFormedText } from './common';

/** IAM credential containments: a user and its access keys, a role's sessions; and their releases. */
export const CREDENTIAL_ACTION_KINDS = ['credentials', 'credentials-release', 'role-sessions', 'role-sessions-release'] as const;

export const AccessKeyId = text().regex(/^(AKIA|ASIA)[A-Z0-9]{12,124}$/, 'an access key id looks like AKIAIOSFODNN7EXAMPLE');
const IamName = text().regex(/^[\w+=,.@-]{1,128}$/, 'IAM names are 1-128 letters, digits and +=,.@-_');
const UserArn = text().regex(
  /^arn:aws[\w-]*:iam::\d{12}:user\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/,
  'a user ARN looks like arn:aws:iam::123456789012:user/alice',
);
const RoleArn = text().regex(
  /^arn:aws[\w-]*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/,
  'a role ARN looks like arn:aws:iam::123456789012:role/web',
);

export const CredentialsOptions = z
  .object({
    /** Keys to deactivate (UpdateAccessKey Inactive; never deleted). Default: the key given, or every active key of the user. */
    accessKeyIds: z.array(AccessKeyId).max(10).optional(),
    /** Put the LariatDenyAll inline policy on the user (deny every action). */
    denyAll: z.boolean().default(true),
    /** Delete the console password (DeleteLoginProfile): recorded, but release cannot give it back. */
    deleteLoginProfile: z.boolean().default(false),
    /** Deactivate MFA devices enabled at or after this time (the incident window's start), ISO-8601. */
    mfaEnabledSince: z.iso.datetime({ offset: true }).check(wellFormedText).optional(),
  })
  .strict();
export type CredentialsOptions = z.output<typeof CredentialsOptions>;

export const CREDENTIAL_PLAN_INPUTS = [
  z
    .object({
      kind: z.literal('credentials'),
      caseNumber: CaseNumber,
      /** Region for the calls (IAM is global; CloudTrail checks look here). Default: the session's. */
      region: AwsRegion.optional(),
      /** One of: an access key id (resolved to its user), a user name, a user ARN. */
      accessKeyId: AccessKeyId.optional(),
      userName: IamName.optional(),
      userArn: UserArn.optional(),
      options: CredentialsOptions.default(CredentialsOptions.parse({})),
    })
    .strict(),
  z
    .object({
      kind: z.literal('role-sessions'),
      caseNumber: CaseNumber,
      region: AwsRegion.optional(),
      /** The role name, or its ARN. */
      role: z.union([IamName, RoleArn]),
      options: z.object({}).strict().default({}),
    })
    .strict(),
] as const;

/** One "still in use?" check of a credential containment (CloudTrail LookupEvents since the containment). */
export interface UseCheck {
  id: number;
  actionId: number;
  checkedAt: string;
  since: string;
  until: string;
  /** Calls CloudTrail returned in the window, denied ones included. */
  calls: number;
  denied: number;
  /** The evidence item holding the events (null when there were none). */
  evidenceId: number | null;
  /** What was looked up: `AccessKeyId=AKIA...`, `Username=alice`, per region. */
  lookups: string[];
  actor: string;
}
