import * as z from 'zod';
import { channel, event } from './define';
import { AwsRegion, CaseNumber, Id, NoInput, text, wellFormedText } from './common';
import type { AssetRecord } from './assets';
import type { ErrorInfo } from './errors';
import { EC2_ACTION_KINDS, EC2_PLAN_INPUTS } from './response-ec2';
import { CREDENTIAL_ACTION_KINDS, CREDENTIAL_PLAN_INPUTS, type UseCheck } from './response-credentials';
import { S3_LAMBDA_ACTION_KINDS, S3_LAMBDA_PLAN_INPUTS } from './response-s3-lambda';
import { InstanceId, type ActionTarget } from './response-target';

export { InstanceId, TargetType, type ActionTarget } from './response-target';
export type { IsolateOptions, SnapshotOptions, MemoryOptions } from './response-ec2';
export { AccessKeyId, CredentialsOptions, type UseCheck } from './response-credentials';

/** Who Lariat acts as in AWS: the only identity facts that ever leave the main process. */
export interface AwsIdentity {
  connected: boolean;
  account: string | null;
  arn: string | null;
  profile: string | null;
  region: string;
  source: 'default' | 'profile' | 'assume-role' | null;
  endpoint: string | null;
  /** When an assumed-role session ends (ISO-8601 UTC). */
  expiresAt: string | null;
}

export interface AwsConfigView {
  endpoint: string | null;
  endpointFromEnv: boolean;
  maxAttempts: number;
  /** TCP connect timeout per attempt, ms (LARIAT_AWS_CONNECT_TIMEOUT_MS wins over the setting). */
  connectTimeoutMs: number;
  /** How long one AWS call may take before it fails with aws-timeout, ms (LARIAT_AWS_REQUEST_TIMEOUT_MS wins). */
  requestTimeoutMs: number;
  defaultRegion: string;
  profile: string | null;
}

const ProfileName = text()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[\w+=,.@/-]+$/, 'profile names are letters, digits and +=,.@-_/');
const RoleArn = text().regex(
  /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
  'a role ARN looks like arn:aws:iam::123456789012:role/Responder',
);

export const AwsConnectInput = z
  .object({
    source: z.enum(['default', 'profile', 'assume-role']),
    profile: ProfileName.optional(),
    region: AwsRegion.optional(),
    roleArn: RoleArn.optional(),
    externalId: text().min(2).max(1224).optional(),
    mfaSerial: text()
      .regex(
        /^(arn:aws[\w-]*:iam::\d{12}:mfa\/[\w+=,.@/-]+|GAHT[0-9A-Z]+)$/,
        'an MFA device ARN looks like arn:aws:iam::123456789012:mfa/alice',
      )
      .optional(),
    /** Used once for AssumeRole, never stored. */
    mfaCode: text()
      .regex(/^\d{6}$/, 'an MFA code is 6 digits')
      .optional(),
    sessionName: text()
      .regex(/^[\w+=,.@-]{2,64}$/)
      .optional(),
  })
  .strict();
export type AwsConnectInput = z.infer<typeof AwsConnectInput>;

export interface InstanceSummary {
  instanceId: string;
  region: string;
  account: string | null;
  name: string | null;
  state: string;
  instanceType: string | null;
  privateIp: string | null;
  publicIp: string | null;
  vpcId: string | null;
  platform: string;
  launchTime: string | null;
}

export interface InstanceDetails extends InstanceSummary {
  subnetId: string | null;
  availabilityZone: string | null;
  securityGroups: { id: string; name: string }[];
  networkInterfaces: { id: string; privateIp: string | null; publicIp: string | null; groups: string[]; attachmentIndex: number }[];
  instanceProfileArn: string | null;
  instanceProfileRole: string | null;
  autoScalingGroup: string | null;
  autoScalingState: string | null;
  targetGroups: { arn: string; name: string; port: number | null; health: string | null }[];
  volumes: { id: string; device: string; sizeGiB: number | null; encrypted: boolean | null; deleteOnTermination: boolean | null }[];
  elasticIps: {
    publicIp: string;
    allocationId: string | null;
    associationId: string | null;
    networkInterfaceId: string | null;
    privateIp: string | null;
  }[];
  ssm: { managed: boolean; pingStatus: string | null; agentVersion: string | null; platformName: string | null };
  tags: Record<string, string>;
  isolation: string | null;
}

/**
 * Every kind of action, one spread per kind family (each family's schemas live
 * in its own response-<family>.ts). To add a family: write its file with its
 * `XXX_ACTION_KINDS` and `XXX_PLAN_INPUTS`, and spread them here.
 */
export const ActionKind = z.enum([...EC2_ACTION_KINDS, ...CREDENTIAL_ACTION_KINDS, ...S3_LAMBDA_ACTION_KINDS]);
export type ActionKind = z.infer<typeof ActionKind>;

/** What planning an action takes, by kind (nothing changes in AWS when planning). */
export const PlanActionInput = z.discriminatedUnion('kind', [...EC2_PLAN_INPUTS, ...CREDENTIAL_PLAN_INPUTS, ...S3_LAMBDA_PLAN_INPUTS]);
export type PlanActionInput = z.output<typeof PlanActionInput>;

export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
export type ActionState = 'planned' | 'running' | 'succeeded' | 'failed' | 'discarded';

/** One AWS call of a plan, with the exact parameters it sends (`{"$ref": "step.Path"}` marks a value taken from an earlier step). */
export interface StepRecord {
  index: number;
  key: string;
  title: string;
  kind: string;
  service: string;
  region: string;
  operation: string;
  iamAction: string;
  /** IAM actions of the read-only checks the step makes (is its change already in place?) and of repairs it may make. */
  checks: string[];
  request: unknown;
  state: StepState;
  attempts: number;
  result: unknown;
  error: ErrorInfo | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ActionSummary {
  id: number;
  caseNumber: string;
  kind: ActionKind;
  /** What the action acts on: an EC2 instance, an IAM user or role, a bucket, a function. */
  target: ActionTarget;
  /** The target's identifier (`target.id`; the name is historic: EC2 instances came first). */
  instanceId: string;
  /** The action this one releases (undoes), if it is a release. */
  releaseOf: number | null;
  /** The latest "still in use?" check of a credential containment, if any. */
  useCheck?: UseCheck | null;
  region: string;
  account: string | null;
  state: ActionState;
  /** True when the action is marked running but nothing runs it any more (crash, quit, lease expired): resume it. */
  interrupted: boolean;
  /** Set while another Lariat (process or window) runs the action: it cannot be resumed here until its lease expires. */
  runningElsewhere: { pid: number; host: string; since: string; heartbeatAt: string; expiresAt: string } | null;
  actor: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: ErrorInfo | null;
  stepsDone: number;
  stepsTotal: number;
}

export interface ActionRecord extends ActionSummary {
  /** What planning could not cover or will repair (a failed lookup, a reused group to fix, an Auto Scaling group at its maximum). */
  warnings: string[];
  options: Record<string, unknown>;
  recorded: Record<string, unknown>;
  steps: StepRecord[];
}

/** The Incident Manager incident a case is linked to, as the Overview tab shows it. */
export interface IncidentStatus {
  linked: boolean;
  incidentArn: string | null;
  region: string | null;
  title: string | null;
  status: string | null;
  impact: number | null;
  createdAt: string | null;
  resolvedAt: string | null;
  linkedAt: string | null;
  /** Why the live status could not be read (permissions, network), when linked. */
  unavailable: string | null;
}

const IncidentArn = text().regex(
  /^arn:aws[\w-]*:ssm-incidents::\d{12}:incident-record\/[\w.-]+\/[\w-]+$/,
  'an incident ARN looks like arn:aws:ssm-incidents::123456789012:incident-record/plan/abc',
);
const ResponsePlanArn = text().regex(
  /^arn:aws[\w-]*:ssm-incidents::\d{12}:response-plan\/[\w.-]+$/,
  'a response plan ARN looks like arn:aws:ssm-incidents::123456789012:response-plan/name',
);

export const LinkIncidentInput = z
  .object({
    caseNumber: CaseNumber,
    /** Region of the Incident Manager replication set. */
    region: AwsRegion,
    responsePlanArn: ResponsePlanArn.optional(),
    incidentArn: IncidentArn.optional(),
    impact: z.number().int().min(1).max(5).optional(),
  })
  .strict()
  .refine(
    (v) => Boolean(v.responsePlanArn) !== Boolean(v.incidentArn),
    'give either a response plan ARN (start an incident) or an incident ARN (link it)',
  );

const ActionRef = z.object({ actionId: Id }).strict();

export const responseContract = {
  awsWhoAmI: channel<AwsIdentity>()(NoInput, 'Who Lariat acts as in AWS (account, ARN, profile, region), or not connected.'),
  awsConnect: channel<AwsIdentity>()(
    AwsConnectInput,
    'Connect to AWS with the default chain, a profile or an assumed role; verified with sts:GetCallerIdentity.',
  ),
  awsDisconnect: channel<AwsIdentity>()(NoInput, 'Forget the AWS session held in memory.'),
  awsListProfiles: channel<string[]>()(NoInput, 'Profile names from ~/.aws/config and ~/.aws/credentials.'),
  awsGetConfig: channel<AwsConfigView>()(NoInput, 'Endpoint override, retries and default region.'),
  awsUpdateConfig: channel<AwsConfigView>()(
    z
      .object({
        endpoint: z.union([z.url({ protocol: /^https?$/ }).check(wellFormedText), z.literal(''), z.null()]).optional(),
        maxAttempts: z.number().int().min(1).max(20).optional(),
        defaultRegion: AwsRegion.optional(),
        connectTimeoutMs: z.number().int().min(500).max(120_000).optional(),
        requestTimeoutMs: z.number().int().min(1_000).max(600_000).optional(),
      })
      .strict(),
    'Change the endpoint override (emulators), retries, timeouts or default region.',
  ),
  findInstances: channel<InstanceSummary[]>()(
    z.object({ caseNumber: CaseNumber, query: text().trim().min(1).max(256), regions: z.array(AwsRegion).max(40).optional() }).strict(),
    "Search EC2 instances in the case's regions by id, Name tag, private/public IP or tag key=value.",
  ),
  describeInstance: channel<InstanceDetails>()(
    z.object({ caseNumber: CaseNumber, region: AwsRegion, instanceId: InstanceId }).strict(),
    'Full detail of an instance: network, profile, Auto Scaling, target groups, volumes, SSM.',
  ),
  addInstanceToCase: channel<AssetRecord>()(
    z.object({ caseNumber: CaseNumber, region: AwsRegion, instanceId: InstanceId }).strict(),
    'Describe an instance and add it to the case as an ec2-instance asset.',
  ),
  planAction: channel<ActionRecord>()(
    PlanActionInput,
    'Build (read-only) and store the ordered plan of an action; nothing changes in AWS.',
  ),
  runAction: channel<{ jobId: string; actionId: number }>()(
    z
      .object({ actionId: Id, confirm: text().max(2048).optional(), confirmInstanceId: text().max(32).optional() })
      .strict()
      .refine(
        (v) => v.confirm !== undefined || v.confirmInstanceId !== undefined,
        'type the target (instance id, user, role...) to confirm',
      ),
    "Run or resume a planned action once the investigator typed its target's identifier (`confirm`; `confirmInstanceId` for instances); succeeded steps are never repeated.",
  ),
  planRelease: channel<ActionRecord>()(
    ActionRef,
    'Plan (read-only) the release of an action of any kind: what it changed is restored exactly; nothing changes in AWS yet.',
  ),
  checkCredentialUse: channel<{ jobId: string; actionId: number }>()(
    ActionRef,
    'After a credential containment: look up CloudTrail (LookupEvents) for calls by its keys or principal since it ran; calls found become evidence and timeline events.',
  ),
  listActions: channel<ActionSummary[]>()(z.object({ caseNumber: CaseNumber }).strict(), 'Response actions of a case, newest first.'),
  getAction: channel<ActionRecord>()(ActionRef, 'One action with every step, its request, result and error.'),
  discardAction: channel<ActionRecord>()(ActionRef, 'Discard a planned action that has not run.'),
  linkIncident: channel<IncidentStatus>()(
    LinkIncidentInput,
    'Start an Incident Manager incident from a response plan, or link an existing one, to the case.',
  ),
  getIncidentStatus: channel<IncidentStatus>()(
    z.object({ caseNumber: CaseNumber }).strict(),
    "The linked incident's live status (for the Overview tab).",
  ),
};

/** Events of the response feature. */
export const responseEvents = {
  actionChanged: event<{ caseNumber: string; actionId: number; state: ActionState; stepIndex: number | null; stepState: StepState | null }>(
    'A response action or one of its steps changed state.',
  ),
};
