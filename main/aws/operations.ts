import * as ec2 from '@aws-sdk/client-ec2';
import * as ssm from '@aws-sdk/client-ssm';
import * as incidents from '@aws-sdk/client-ssm-incidents';
import * as contacts from '@aws-sdk/client-ssm-contacts';
import * as sts from '@aws-sdk/client-sts';
import * as asg from '@aws-sdk/client-auto-scaling';
import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';
import * as iam from '@aws-sdk/client-iam';
import * as s3 from '@aws-sdk/client-s3';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as guardduty from '@aws-sdk/client-guardduty';
import * as securityhub from '@aws-sdk/client-securityhub';
import * as organizations from '@aws-sdk/client-organizations';
import * as athena from '@aws-sdk/client-athena';
import * as lambda from '@aws-sdk/client-lambda';

/** The AWS services Lariat talks to; one SDK client per service and region. */
export type AwsService =
  | 'ec2'
  | 'ssm'
  | 'ssm-incidents'
  | 'ssm-contacts'
  | 'sts'
  | 'autoscaling'
  | 'elbv2'
  | 'iam'
  | 's3'
  | 'cloudtrail'
  | 'guardduty'
  | 'securityhub'
  | 'organizations'
  | 'athena'
  | 'lambda';

export interface OperationDef {
  /** Builds the SDK command from plain JSON parameters (what the plan shows is exactly what is sent). */
  make(params: Record<string, unknown>): object;
  /** The IAM action the call needs: named in AccessDenied errors and checked against resources/iam. */
  iamAction: string;
  /**
   * False for creates without an idempotency token (CreateSnapshots,
   * CopySnapshot, SendCommand): the SDK must not resend them by itself after
   * a dropped connection, or AWS would create a second one. Lariat checks
   * for the first one instead (see main/response/executors/guard.ts).
   */
  sdkRetries: boolean;
}

function op<I extends object>(Ctor: new (input: I) => object, iamAction: string, sdkRetries = true): OperationDef {
  return { make: (params) => new Ctor(params as I), iamAction, sdkRetries };
}

/**
 * Every AWS call Lariat can make. Plans may only name operations listed here,
 * so this table is the single source for the IAM-action mapping and for the
 * test that the shipped least-privilege policy covers every call.
 */
export const OPERATIONS = {
  ec2: {
    DescribeInstances: op(ec2.DescribeInstancesCommand, 'ec2:DescribeInstances'),
    DescribeVolumes: op(ec2.DescribeVolumesCommand, 'ec2:DescribeVolumes'),
    DescribeAddresses: op(ec2.DescribeAddressesCommand, 'ec2:DescribeAddresses'),
    DescribeSecurityGroups: op(ec2.DescribeSecurityGroupsCommand, 'ec2:DescribeSecurityGroups'),
    DescribeIamInstanceProfileAssociations: op(
      ec2.DescribeIamInstanceProfileAssociationsCommand,
      'ec2:DescribeIamInstanceProfileAssociations',
    ),
    DescribeSnapshots: op(ec2.DescribeSnapshotsCommand, 'ec2:DescribeSnapshots'),
    GetConsoleOutput: op(ec2.GetConsoleOutputCommand, 'ec2:GetConsoleOutput'),
    GetConsoleScreenshot: op(ec2.GetConsoleScreenshotCommand, 'ec2:GetConsoleScreenshot'),
    ModifyInstanceAttribute: op(ec2.ModifyInstanceAttributeCommand, 'ec2:ModifyInstanceAttribute'),
    CreateSecurityGroup: op(ec2.CreateSecurityGroupCommand, 'ec2:CreateSecurityGroup'),
    AuthorizeSecurityGroupIngress: op(ec2.AuthorizeSecurityGroupIngressCommand, 'ec2:AuthorizeSecurityGroupIngress'),
    AuthorizeSecurityGroupEgress: op(ec2.AuthorizeSecurityGroupEgressCommand, 'ec2:AuthorizeSecurityGroupEgress'),
    RevokeSecurityGroupEgress: op(ec2.RevokeSecurityGroupEgressCommand, 'ec2:RevokeSecurityGroupEgress'),
    ModifyNetworkInterfaceAttribute: op(ec2.ModifyNetworkInterfaceAttributeCommand, 'ec2:ModifyNetworkInterfaceAttribute'),
    DisassociateAddress: op(ec2.DisassociateAddressCommand, 'ec2:DisassociateAddress'),
    AssociateAddress: op(ec2.AssociateAddressCommand, 'ec2:AssociateAddress'),
    DisassociateIamInstanceProfile: op(ec2.DisassociateIamInstanceProfileCommand, 'ec2:DisassociateIamInstanceProfile'),
    AssociateIamInstanceProfile: op(ec2.AssociateIamInstanceProfileCommand, 'ec2:AssociateIamInstanceProfile'),
    ReplaceIamInstanceProfileAssociation: op(ec2.ReplaceIamInstanceProfileAssociationCommand, 'ec2:ReplaceIamInstanceProfileAssociation'),
    CreateTags: op(ec2.CreateTagsCommand, 'ec2:CreateTags'),
    CreateSnapshots: op(ec2.CreateSnapshotsCommand, 'ec2:CreateSnapshots', false),
    ModifySnapshotAttribute: op(ec2.ModifySnapshotAttributeCommand, 'ec2:ModifySnapshotAttribute'),
    CopySnapshot: op(ec2.CopySnapshotCommand, 'ec2:CopySnapshot', false),
    // Checks that tell whether a change is already in place (before a call, and after an ambiguous failure).
    DescribeInstanceAttribute: op(ec2.DescribeInstanceAttributeCommand, 'ec2:DescribeInstanceAttribute'),
    DescribeNetworkInterfaces: op(ec2.DescribeNetworkInterfacesCommand, 'ec2:DescribeNetworkInterfaces'),
    DescribeTags: op(ec2.DescribeTagsCommand, 'ec2:DescribeTags'),
    DescribeSnapshotAttribute: op(ec2.DescribeSnapshotAttributeCommand, 'ec2:DescribeSnapshotAttribute'),
    // Repairing a reused isolation group that someone gave inbound rules.
    RevokeSecurityGroupIngress: op(ec2.RevokeSecurityGroupIngressCommand, 'ec2:RevokeSecurityGroupIngress'),
    // Optional network ACL containment and its release.
    DescribeNetworkAcls: op(ec2.DescribeNetworkAclsCommand, 'ec2:DescribeNetworkAcls'),
    CreateNetworkAclEntry: op(ec2.CreateNetworkAclEntryCommand, 'ec2:CreateNetworkAclEntry'),
    DeleteNetworkAclEntry: op(ec2.DeleteNetworkAclEntryCommand, 'ec2:DeleteNetworkAclEntry'),
    // Evidence acquisition (issue 18): which VPCs and interfaces have flow logs, for the coverage map.
    DescribeFlowLogs: op(ec2.DescribeFlowLogsCommand, 'ec2:DescribeFlowLogs'),
  },
  autoscaling: {
    DescribeAutoScalingInstances: op(asg.DescribeAutoScalingInstancesCommand, 'autoscaling:DescribeAutoScalingInstances'),
    DetachInstances: op(asg.DetachInstancesCommand, 'autoscaling:DetachInstances'),
    AttachInstances: op(asg.AttachInstancesCommand, 'autoscaling:AttachInstances'),
    EnterStandby: op(asg.EnterStandbyCommand, 'autoscaling:EnterStandby'),
    ExitStandby: op(asg.ExitStandbyCommand, 'autoscaling:ExitStandby'),
    DescribeAutoScalingGroups: op(asg.DescribeAutoScalingGroupsCommand, 'autoscaling:DescribeAutoScalingGroups'),
  },
  elbv2: {
    DescribeTargetGroups: op(elb.DescribeTargetGroupsCommand, 'elasticloadbalancing:DescribeTargetGroups'),
    DescribeTargetHealth: op(elb.DescribeTargetHealthCommand, 'elasticloadbalancing:DescribeTargetHealth'),
    DeregisterTargets: op(elb.DeregisterTargetsCommand, 'elasticloadbalancing:DeregisterTargets'),
    RegisterTargets: op(elb.RegisterTargetsCommand, 'elasticloadbalancing:RegisterTargets'),
  },
  iam: {
    GetInstanceProfile: op(iam.GetInstanceProfileCommand, 'iam:GetInstanceProfile'),
    PutRolePolicy: op(iam.PutRolePolicyCommand, 'iam:PutRolePolicy'),
    GetRolePolicy: op(iam.GetRolePolicyCommand, 'iam:GetRolePolicy'),
    // Credential containment (issue 15): discovery and evidence.
    GetAccessKeyLastUsed: op(iam.GetAccessKeyLastUsedCommand, 'iam:GetAccessKeyLastUsed'),
    ListAccessKeys: op(iam.ListAccessKeysCommand, 'iam:ListAccessKeys'),
    GetUser: op(iam.GetUserCommand, 'iam:GetUser'),
    ListAttachedUserPolicies: op(iam.ListAttachedUserPoliciesCommand, 'iam:ListAttachedUserPolicies'),
    ListUserPolicies: op(iam.ListUserPoliciesCommand, 'iam:ListUserPolicies'),
    GetUserPolicy: op(iam.GetUserPolicyCommand, 'iam:GetUserPolicy'),
    ListGroupsForUser: op(iam.ListGroupsForUserCommand, 'iam:ListGroupsForUser'),
    ListMFADevices: op(iam.ListMFADevicesCommand, 'iam:ListMFADevices'),
    GetLoginProfile: op(iam.GetLoginProfileCommand, 'iam:GetLoginProfile'),
    GetRole: op(iam.GetRoleCommand, 'iam:GetRole'),
    ListRolePolicies: op(iam.ListRolePoliciesCommand, 'iam:ListRolePolicies'),
    ListAttachedRolePolicies: op(iam.ListAttachedRolePoliciesCommand, 'iam:ListAttachedRolePolicies'),
    // Credential containment: changes, and their release.
    UpdateAccessKey: op(iam.UpdateAccessKeyCommand, 'iam:UpdateAccessKey'),
    PutUserPolicy: op(iam.PutUserPolicyCommand, 'iam:PutUserPolicy'),
    DeleteUserPolicy: op(iam.DeleteUserPolicyCommand, 'iam:DeleteUserPolicy'),
    DeleteLoginProfile: op(iam.DeleteLoginProfileCommand, 'iam:DeleteLoginProfile'),
    DeactivateMFADevice: op(iam.DeactivateMFADeviceCommand, 'iam:DeactivateMFADevice'),
    DeleteRolePolicy: op(iam.DeleteRolePolicyCommand, 'iam:DeleteRolePolicy'),
  },
  ssm: {
    DescribeInstanceInformation: op(ssm.DescribeInstanceInformationCommand, 'ssm:DescribeInstanceInformation'),
    SendCommand: op(ssm.SendCommandCommand, 'ssm:SendCommand', false),
    GetCommandInvocation: op(ssm.GetCommandInvocationCommand, 'ssm:GetCommandInvocation'),
    ListCommands: op(ssm.ListCommandsCommand, 'ssm:ListCommands'),
    // SSM Automation runbooks (issue 16).
    ListDocuments: op(ssm.ListDocumentsCommand, 'ssm:ListDocuments'),
    DescribeDocument: op(ssm.DescribeDocumentCommand, 'ssm:DescribeDocument'),
    StartAutomationExecution: op(ssm.StartAutomationExecutionCommand, 'ssm:StartAutomationExecution'),
    GetAutomationExecution: op(ssm.GetAutomationExecutionCommand, 'ssm:GetAutomationExecution'),
    DescribeAutomationExecutions: op(ssm.DescribeAutomationExecutionsCommand, 'ssm:DescribeAutomationExecutions'),
    DescribeAutomationStepExecutions: op(ssm.DescribeAutomationStepExecutionsCommand, 'ssm:DescribeAutomationStepExecutions'),
    StopAutomationExecution: op(ssm.StopAutomationExecutionCommand, 'ssm:StopAutomationExecution'),
  },
  s3: {
    // HeadBucket and HeadObject are authorised by s3:ListBucket and s3:GetObject.
    HeadBucket: op(s3.HeadBucketCommand, 's3:ListBucket'),
    HeadObject: op(s3.HeadObjectCommand, 's3:GetObject'),
    // Custody anchors: a checkpoint written under Object Lock (AWS also checks s3:PutObjectRetention for the lock
    // headers) and read back (the lock headers come only with s3:GetObjectRetention).
    PutObject: op(s3.PutObjectCommand, 's3:PutObject'),
    GetObject: op(s3.GetObjectCommand, 's3:GetObject'),
    // Log bucket and Athena result acquisition (issue 18).
    ListObjectsV2: op(s3.ListObjectsV2Command, 's3:ListBucket'),
    // S3 bucket containment (issue 15): its configuration as evidence, the public access block and bucket policy changed and restored.
    GetBucketPolicy: op(s3.GetBucketPolicyCommand, 's3:GetBucketPolicy'),
    GetBucketAcl: op(s3.GetBucketAclCommand, 's3:GetBucketAcl'),
    GetPublicAccessBlock: op(s3.GetPublicAccessBlockCommand, 's3:GetBucketPublicAccessBlock'),
    GetBucketOwnershipControls: op(s3.GetBucketOwnershipControlsCommand, 's3:GetBucketOwnershipControls'),
    GetBucketVersioning: op(s3.GetBucketVersioningCommand, 's3:GetBucketVersioning'),
    GetObjectLockConfiguration: op(s3.GetObjectLockConfigurationCommand, 's3:GetBucketObjectLockConfiguration'),
    GetBucketLogging: op(s3.GetBucketLoggingCommand, 's3:GetBucketLogging'),
    PutPublicAccessBlock: op(s3.PutPublicAccessBlockCommand, 's3:PutBucketPublicAccessBlock'),
    // AWS authorises deleting the block with the same action as putting it.
    DeletePublicAccessBlock: op(s3.DeletePublicAccessBlockCommand, 's3:PutBucketPublicAccessBlock'),
    PutBucketPolicy: op(s3.PutBucketPolicyCommand, 's3:PutBucketPolicy'),
    DeleteBucketPolicy: op(s3.DeleteBucketPolicyCommand, 's3:DeleteBucketPolicy'),
  },
  cloudtrail: {
    LookupEvents: op(cloudtrail.LookupEventsCommand, 'cloudtrail:LookupEvents'),
    DescribeTrails: op(cloudtrail.DescribeTrailsCommand, 'cloudtrail:DescribeTrails'),
    GetTrailStatus: op(cloudtrail.GetTrailStatusCommand, 'cloudtrail:GetTrailStatus'),
    GetEventSelectors: op(cloudtrail.GetEventSelectorsCommand, 'cloudtrail:GetEventSelectors'),
    ListPublicKeys: op(cloudtrail.ListPublicKeysCommand, 'cloudtrail:ListPublicKeys'),
  },
  guardduty: {
    ListDetectors: op(guardduty.ListDetectorsCommand, 'guardduty:ListDetectors'),
    GetDetector: op(guardduty.GetDetectorCommand, 'guardduty:GetDetector'),
    ListFindings: op(guardduty.ListFindingsCommand, 'guardduty:ListFindings'),
    GetFindings: op(guardduty.GetFindingsCommand, 'guardduty:GetFindings'),
  },
  securityhub: {
    GetFindings: op(securityhub.GetFindingsCommand, 'securityhub:GetFindings'),
    DescribeHub: op(securityhub.DescribeHubCommand, 'securityhub:DescribeHub'),
  },
  organizations: {
    ListAccounts: op(organizations.ListAccountsCommand, 'organizations:ListAccounts'),
  },
  athena: {
    StartQueryExecution: op(athena.StartQueryExecutionCommand, 'athena:StartQueryExecution'),
    GetQueryExecution: op(athena.GetQueryExecutionCommand, 'athena:GetQueryExecution'),
    StopQueryExecution: op(athena.StopQueryExecutionCommand, 'athena:StopQueryExecution'),
    GetWorkGroup: op(athena.GetWorkGroupCommand, 'athena:GetWorkGroup'),
    GetTableMetadata: op(athena.GetTableMetadataCommand, 'athena:GetTableMetadata'),
  },
  lambda: {
    // Lambda function containment (issue 15): evidence, reserved concurrency and event source mappings changed and restored.
    GetFunction: op(lambda.GetFunctionCommand, 'lambda:GetFunction'),
    GetLayerVersionByArn: op(lambda.GetLayerVersionByArnCommand, 'lambda:GetLayerVersion'),
    GetPolicy: op(lambda.GetPolicyCommand, 'lambda:GetPolicy'),
    ListEventSourceMappings: op(lambda.ListEventSourceMappingsCommand, 'lambda:ListEventSourceMappings'),
    GetEventSourceMapping: op(lambda.GetEventSourceMappingCommand, 'lambda:GetEventSourceMapping'),
    UpdateEventSourceMapping: op(lambda.UpdateEventSourceMappingCommand, 'lambda:UpdateEventSourceMapping'),
    GetFunctionConcurrency: op(lambda.GetFunctionConcurrencyCommand, 'lambda:GetFunctionConcurrency'),
    PutFunctionConcurrency: op(lambda.PutFunctionConcurrencyCommand, 'lambda:PutFunctionConcurrency'),
    DeleteFunctionConcurrency: op(lambda.DeleteFunctionConcurrencyCommand, 'lambda:DeleteFunctionConcurrency'),
  },
  sts: {
    GetCallerIdentity: op(sts.GetCallerIdentityCommand, 'sts:GetCallerIdentity'),
    AssumeRole: op(sts.AssumeRoleCommand, 'sts:AssumeRole'),
  },
  'ssm-incidents': {
    StartIncident: op(incidents.StartIncidentCommand, 'ssm-incidents:StartIncident'),
    GetIncidentRecord: op(incidents.GetIncidentRecordCommand, 'ssm-incidents:GetIncidentRecord'),
    CreateTimelineEvent: op(incidents.CreateTimelineEventCommand, 'ssm-incidents:CreateTimelineEvent'),
    // Two-way sync, open incidents and response plans (issue 16).
    ListIncidentRecords: op(incidents.ListIncidentRecordsCommand, 'ssm-incidents:ListIncidentRecords'),
    UpdateIncidentRecord: op(incidents.UpdateIncidentRecordCommand, 'ssm-incidents:UpdateIncidentRecord'),
    ListTimelineEvents: op(incidents.ListTimelineEventsCommand, 'ssm-incidents:ListTimelineEvents'),
    GetTimelineEvent: op(incidents.GetTimelineEventCommand, 'ssm-incidents:GetTimelineEvent'),
    ListRelatedItems: op(incidents.ListRelatedItemsCommand, 'ssm-incidents:ListRelatedItems'),
    UpdateRelatedItems: op(incidents.UpdateRelatedItemsCommand, 'ssm-incidents:UpdateRelatedItems'),
    GetResponsePlan: op(incidents.GetResponsePlanCommand, 'ssm-incidents:GetResponsePlan'),
    ListReplicationSets: op(incidents.ListReplicationSetsCommand, 'ssm-incidents:ListReplicationSets'),
  },
  'ssm-contacts': {
    ListContacts: op(contacts.ListContactsCommand, 'ssm-contacts:ListContacts'),
    GetContact: op(contacts.GetContactCommand, 'ssm-contacts:GetContact'),
    ListContactChannels: op(contacts.ListContactChannelsCommand, 'ssm-contacts:ListContactChannels'),
    ListEngagements: op(contacts.ListEngagementsCommand, 'ssm-contacts:ListEngagements'),
    ListPagesByEngagement: op(contacts.ListPagesByEngagementCommand, 'ssm-contacts:ListPagesByEngagement'),
  },
} satisfies Record<AwsService, Record<string, OperationDef>>;

export type OperationName<S extends AwsService> = keyof (typeof OPERATIONS)[S] & string;

/** Looks an operation up, refusing names that are not in the table (a plan from a newer version, a typo). */
export function operation(service: AwsService, name: string): OperationDef {
  const table = OPERATIONS[service] as Record<string, OperationDef>;
  const def = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!def) throw new Error(`Unknown AWS operation ${service}:${name}`);
  return def;
}

/** The IAM action for one call, e.g. `ec2:ModifyInstanceAttribute`. */
export function iamActionFor(service: AwsService, name: string): string {
  return operation(service, name).iamAction;
}
