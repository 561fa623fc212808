import { sdk } from './sdk';

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

/** The names of a module's exports that are classes (the SDK's `...Command` constructors). */
type CommandName<M> = { [K in keyof M]: M[K] extends new (input: never) => object ? K : never }[keyof M] & string;

/** A call by its SDK package and command class name: the package is loaded on the first call (see sdk.ts). */
function op<M>(mod: () => M, command: CommandName<M>, iamAction: string, sdkRetries = true): OperationDef {
  return {
    make: (params) => new (mod()[command] as unknown as new (input: object) => object)(params),
    iamAction,
    sdkRetries,
  };
}

/**
 * Every AWS call Lariat can make. Plans may only name operations listed here,
 * so this table is the single source for the IAM-action mapping and for the
 * test that the shipped least-privilege policy covers every call.
 */
export const OPERATIONS = {
  ec2: {
    DescribeInstances: op(sdk.ec2, 'DescribeInstancesCommand', 'ec2:DescribeInstances'),
    DescribeVolumes: op(sdk.ec2, 'DescribeVolumesCommand', 'ec2:DescribeVolumes'),
    DescribeAddresses: op(sdk.ec2, 'DescribeAddressesCommand', 'ec2:DescribeAddresses'),
    DescribeSecurityGroups: op(sdk.ec2, 'DescribeSecurityGroupsCommand', 'ec2:DescribeSecurityGroups'),
    DescribeIamInstanceProfileAssociations: op(
      sdk.ec2,
      'DescribeIamInstanceProfileAssociationsCommand',
      'ec2:DescribeIamInstanceProfileAssociations',
    ),
    DescribeSnapshots: op(sdk.ec2, 'DescribeSnapshotsCommand', 'ec2:DescribeSnapshots'),
    GetConsoleOutput: op(sdk.ec2, 'GetConsoleOutputCommand', 'ec2:GetConsoleOutput'),
    GetConsoleScreenshot: op(sdk.ec2, 'GetConsoleScreenshotCommand', 'ec2:GetConsoleScreenshot'),
    ModifyInstanceAttribute: op(sdk.ec2, 'ModifyInstanceAttributeCommand', 'ec2:ModifyInstanceAttribute'),
    CreateSecurityGroup: op(sdk.ec2, 'CreateSecurityGroupCommand', 'ec2:CreateSecurityGroup'),
    AuthorizeSecurityGroupIngress: op(sdk.ec2, 'AuthorizeSecurityGroupIngressCommand', 'ec2:AuthorizeSecurityGroupIngress'),
    AuthorizeSecurityGroupEgress: op(sdk.ec2, 'AuthorizeSecurityGroupEgressCommand', 'ec2:AuthorizeSecurityGroupEgress'),
    RevokeSecurityGroupEgress: op(sdk.ec2, 'RevokeSecurityGroupEgressCommand', 'ec2:RevokeSecurityGroupEgress'),
    ModifyNetworkInterfaceAttribute: op(sdk.ec2, 'ModifyNetworkInterfaceAttributeCommand', 'ec2:ModifyNetworkInterfaceAttribute'),
    DisassociateAddress: op(sdk.ec2, 'DisassociateAddressCommand', 'ec2:DisassociateAddress'),
    AssociateAddress: op(sdk.ec2, 'AssociateAddressCommand', 'ec2:AssociateAddress'),
    DisassociateIamInstanceProfile: op(sdk.ec2, 'DisassociateIamInstanceProfileCommand', 'ec2:DisassociateIamInstanceProfile'),
    AssociateIamInstanceProfile: op(sdk.ec2, 'AssociateIamInstanceProfileCommand', 'ec2:AssociateIamInstanceProfile'),
    ReplaceIamInstanceProfileAssociation: op(
      sdk.ec2,
      'ReplaceIamInstanceProfileAssociationCommand',
      'ec2:ReplaceIamInstanceProfileAssociation',
    ),
    CreateTags: op(sdk.ec2, 'CreateTagsCommand', 'ec2:CreateTags'),
    CreateSnapshots: op(sdk.ec2, 'CreateSnapshotsCommand', 'ec2:CreateSnapshots', false),
    ModifySnapshotAttribute: op(sdk.ec2, 'ModifySnapshotAttributeCommand', 'ec2:ModifySnapshotAttribute'),
    CopySnapshot: op(sdk.ec2, 'CopySnapshotCommand', 'ec2:CopySnapshot', false),
    // Checks that tell whether a change is already in place (before a call, and after an ambiguous failure).
    DescribeInstanceAttribute: op(sdk.ec2, 'DescribeInstanceAttributeCommand', 'ec2:DescribeInstanceAttribute'),
    DescribeNetworkInterfaces: op(sdk.ec2, 'DescribeNetworkInterfacesCommand', 'ec2:DescribeNetworkInterfaces'),
    DescribeTags: op(sdk.ec2, 'DescribeTagsCommand', 'ec2:DescribeTags'),
    DescribeSnapshotAttribute: op(sdk.ec2, 'DescribeSnapshotAttributeCommand', 'ec2:DescribeSnapshotAttribute'),
    // Repairing a reused isolation group that someone gave inbound rules.
    RevokeSecurityGroupIngress: op(sdk.ec2, 'RevokeSecurityGroupIngressCommand', 'ec2:RevokeSecurityGroupIngress'),
    // Optional network ACL containment and its release.
    DescribeNetworkAcls: op(sdk.ec2, 'DescribeNetworkAclsCommand', 'ec2:DescribeNetworkAcls'),
    CreateNetworkAclEntry: op(sdk.ec2, 'CreateNetworkAclEntryCommand', 'ec2:CreateNetworkAclEntry'),
    DeleteNetworkAclEntry: op(sdk.ec2, 'DeleteNetworkAclEntryCommand', 'ec2:DeleteNetworkAclEntry'),
    // Evidence acquisition (issue 18): which VPCs and interfaces have flow logs, for the coverage map.
    DescribeFlowLogs: op(sdk.ec2, 'DescribeFlowLogsCommand', 'ec2:DescribeFlowLogs'),
  },
  autoscaling: {
    DescribeAutoScalingInstances: op(sdk.asg, 'DescribeAutoScalingInstancesCommand', 'autoscaling:DescribeAutoScalingInstances'),
    DetachInstances: op(sdk.asg, 'DetachInstancesCommand', 'autoscaling:DetachInstances'),
    AttachInstances: op(sdk.asg, 'AttachInstancesCommand', 'autoscaling:AttachInstances'),
    EnterStandby: op(sdk.asg, 'EnterStandbyCommand', 'autoscaling:EnterStandby'),
    ExitStandby: op(sdk.asg, 'ExitStandbyCommand', 'autoscaling:ExitStandby'),
    DescribeAutoScalingGroups: op(sdk.asg, 'DescribeAutoScalingGroupsCommand', 'autoscaling:DescribeAutoScalingGroups'),
  },
  elbv2: {
    DescribeTargetGroups: op(sdk.elb, 'DescribeTargetGroupsCommand', 'elasticloadbalancing:DescribeTargetGroups'),
    DescribeTargetHealth: op(sdk.elb, 'DescribeTargetHealthCommand', 'elasticloadbalancing:DescribeTargetHealth'),
    DeregisterTargets: op(sdk.elb, 'DeregisterTargetsCommand', 'elasticloadbalancing:DeregisterTargets'),
    RegisterTargets: op(sdk.elb, 'RegisterTargetsCommand', 'elasticloadbalancing:RegisterTargets'),
  },
  iam: {
    GetInstanceProfile: op(sdk.iam, 'GetInstanceProfileCommand', 'iam:GetInstanceProfile'),
    PutRolePolicy: op(sdk.iam, 'PutRolePolicyCommand', 'iam:PutRolePolicy'),
    GetRolePolicy: op(sdk.iam, 'GetRolePolicyCommand', 'iam:GetRolePolicy'),
    // Credential containment (issue 15): discovery and evidence.
    GetAccessKeyLastUsed: op(sdk.iam, 'GetAccessKeyLastUsedCommand', 'iam:GetAccessKeyLastUsed'),
    ListAccessKeys: op(sdk.iam, 'ListAccessKeysCommand', 'iam:ListAccessKeys'),
    GetUser: op(sdk.iam, 'GetUserCommand', 'iam:GetUser'),
    ListAttachedUserPolicies: op(sdk.iam, 'ListAttachedUserPoliciesCommand', 'iam:ListAttachedUserPolicies'),
    ListUserPolicies: op(sdk.iam, 'ListUserPoliciesCommand', 'iam:ListUserPolicies'),
    GetUserPolicy: op(sdk.iam, 'GetUserPolicyCommand', 'iam:GetUserPolicy'),
    ListGroupsForUser: op(sdk.iam, 'ListGroupsForUserCommand', 'iam:ListGroupsForUser'),
    ListMFADevices: op(sdk.iam, 'ListMFADevicesCommand', 'iam:ListMFADevices'),
    GetLoginProfile: op(sdk.iam, 'GetLoginProfileCommand', 'iam:GetLoginProfile'),
    GetRole: op(sdk.iam, 'GetRoleCommand', 'iam:GetRole'),
    ListRolePolicies: op(sdk.iam, 'ListRolePoliciesCommand', 'iam:ListRolePolicies'),
    ListAttachedRolePolicies: op(sdk.iam, 'ListAttachedRolePoliciesCommand', 'iam:ListAttachedRolePolicies'),
    // Credential containment: changes, and their release.
    UpdateAccessKey: op(sdk.iam, 'UpdateAccessKeyCommand', 'iam:UpdateAccessKey'),
    PutUserPolicy: op(sdk.iam, 'PutUserPolicyCommand', 'iam:PutUserPolicy'),
    DeleteUserPolicy: op(sdk.iam, 'DeleteUserPolicyCommand', 'iam:DeleteUserPolicy'),
    DeleteLoginProfile: op(sdk.iam, 'DeleteLoginProfileCommand', 'iam:DeleteLoginProfile'),
    DeactivateMFADevice: op(sdk.iam, 'DeactivateMFADeviceCommand', 'iam:DeactivateMFADevice'),
    DeleteRolePolicy: op(sdk.iam, 'DeleteRolePolicyCommand', 'iam:DeleteRolePolicy'),
  },
  ssm: {
    DescribeInstanceInformation: op(sdk.ssm, 'DescribeInstanceInformationCommand', 'ssm:DescribeInstanceInformation'),
    SendCommand: op(sdk.ssm, 'SendCommandCommand', 'ssm:SendCommand', false),
    GetCommandInvocation: op(sdk.ssm, 'GetCommandInvocationCommand', 'ssm:GetCommandInvocation'),
    ListCommands: op(sdk.ssm, 'ListCommandsCommand', 'ssm:ListCommands'),
    // SSM Automation runbooks (issue 16).
    ListDocuments: op(sdk.ssm, 'ListDocumentsCommand', 'ssm:ListDocuments'),
    DescribeDocument: op(sdk.ssm, 'DescribeDocumentCommand', 'ssm:DescribeDocument'),
    StartAutomationExecution: op(sdk.ssm, 'StartAutomationExecutionCommand', 'ssm:StartAutomationExecution'),
    GetAutomationExecution: op(sdk.ssm, 'GetAutomationExecutionCommand', 'ssm:GetAutomationExecution'),
    DescribeAutomationExecutions: op(sdk.ssm, 'DescribeAutomationExecutionsCommand', 'ssm:DescribeAutomationExecutions'),
    DescribeAutomationStepExecutions: op(sdk.ssm, 'DescribeAutomationStepExecutionsCommand', 'ssm:DescribeAutomationStepExecutions'),
    StopAutomationExecution: op(sdk.ssm, 'StopAutomationExecutionCommand', 'ssm:StopAutomationExecution'),
  },
  s3: {
    // HeadBucket and HeadObject are authorised by s3:ListBucket and s3:GetObject.
    HeadBucket: op(sdk.s3, 'HeadBucketCommand', 's3:ListBucket'),
    HeadObject: op(sdk.s3, 'HeadObjectCommand', 's3:GetObject'),
    // Custody anchors: a checkpoint written under Object Lock (AWS also checks s3:PutObjectRetention for the lock
    // headers) and read back (the lock headers come only with s3:GetObjectRetention).
    PutObject: op(sdk.s3, 'PutObjectCommand', 's3:PutObject'),
    GetObject: op(sdk.s3, 'GetObjectCommand', 's3:GetObject'),
    // Log bucket and Athena result acquisition (issue 18).
    ListObjectsV2: op(sdk.s3, 'ListObjectsV2Command', 's3:ListBucket'),
    // S3 bucket containment (issue 15): its configuration as evidence, the public access block and bucket policy changed and restored.
    GetBucketPolicy: op(sdk.s3, 'GetBucketPolicyCommand', 's3:GetBucketPolicy'),
    GetBucketAcl: op(sdk.s3, 'GetBucketAclCommand', 's3:GetBucketAcl'),
    GetPublicAccessBlock: op(sdk.s3, 'GetPublicAccessBlockCommand', 's3:GetBucketPublicAccessBlock'),
    GetBucketOwnershipControls: op(sdk.s3, 'GetBucketOwnershipControlsCommand', 's3:GetBucketOwnershipControls'),
    GetBucketVersioning: op(sdk.s3, 'GetBucketVersioningCommand', 's3:GetBucketVersioning'),
    GetObjectLockConfiguration: op(sdk.s3, 'GetObjectLockConfigurationCommand', 's3:GetBucketObjectLockConfiguration'),
    GetBucketLogging: op(sdk.s3, 'GetBucketLoggingCommand', 's3:GetBucketLogging'),
    PutPublicAccessBlock: op(sdk.s3, 'PutPublicAccessBlockCommand', 's3:PutBucketPublicAccessBlock'),
    // AWS authorises deleting the block with the same action as putting it.
    DeletePublicAccessBlock: op(sdk.s3, 'DeletePublicAccessBlockCommand', 's3:PutBucketPublicAccessBlock'),
    PutBucketPolicy: op(sdk.s3, 'PutBucketPolicyCommand', 's3:PutBucketPolicy'),
    DeleteBucketPolicy: op(sdk.s3, 'DeleteBucketPolicyCommand', 's3:DeleteBucketPolicy'),
  },
  cloudtrail: {
    LookupEvents: op(sdk.cloudtrail, 'LookupEventsCommand', 'cloudtrail:LookupEvents'),
    DescribeTrails: op(sdk.cloudtrail, 'DescribeTrailsCommand', 'cloudtrail:DescribeTrails'),
    GetTrailStatus: op(sdk.cloudtrail, 'GetTrailStatusCommand', 'cloudtrail:GetTrailStatus'),
    GetEventSelectors: op(sdk.cloudtrail, 'GetEventSelectorsCommand', 'cloudtrail:GetEventSelectors'),
    ListPublicKeys: op(sdk.cloudtrail, 'ListPublicKeysCommand', 'cloudtrail:ListPublicKeys'),
  },
  guardduty: {
    ListDetectors: op(sdk.guardduty, 'ListDetectorsCommand', 'guardduty:ListDetectors'),
    GetDetector: op(sdk.guardduty, 'GetDetectorCommand', 'guardduty:GetDetector'),
    ListFindings: op(sdk.guardduty, 'ListFindingsCommand', 'guardduty:ListFindings'),
    GetFindings: op(sdk.guardduty, 'GetFindingsCommand', 'guardduty:GetFindings'),
  },
  securityhub: {
    GetFindings: op(sdk.securityhub, 'GetFindingsCommand', 'securityhub:GetFindings'),
    DescribeHub: op(sdk.securityhub, 'DescribeHubCommand', 'securityhub:DescribeHub'),
  },
  organizations: {
    ListAccounts: op(sdk.organizations, 'ListAccountsCommand', 'organizations:ListAccounts'),
  },
  athena: {
    StartQueryExecution: op(sdk.athena, 'StartQueryExecutionCommand', 'athena:StartQueryExecution'),
    GetQueryExecution: op(sdk.athena, 'GetQueryExecutionCommand', 'athena:GetQueryExecution'),
    StopQueryExecution: op(sdk.athena, 'StopQueryExecutionCommand', 'athena:StopQueryExecution'),
    GetWorkGroup: op(sdk.athena, 'GetWorkGroupCommand', 'athena:GetWorkGroup'),
    GetTableMetadata: op(sdk.athena, 'GetTableMetadataCommand', 'athena:GetTableMetadata'),
  },
  lambda: {
    // Lambda function containment (issue 15): evidence, reserved concurrency and event source mappings changed and restored.
    GetFunction: op(sdk.lambda, 'GetFunctionCommand', 'lambda:GetFunction'),
    GetLayerVersionByArn: op(sdk.lambda, 'GetLayerVersionByArnCommand', 'lambda:GetLayerVersion'),
    GetPolicy: op(sdk.lambda, 'GetPolicyCommand', 'lambda:GetPolicy'),
    ListEventSourceMappings: op(sdk.lambda, 'ListEventSourceMappingsCommand', 'lambda:ListEventSourceMappings'),
    GetEventSourceMapping: op(sdk.lambda, 'GetEventSourceMappingCommand', 'lambda:GetEventSourceMapping'),
    UpdateEventSourceMapping: op(sdk.lambda, 'UpdateEventSourceMappingCommand', 'lambda:UpdateEventSourceMapping'),
    GetFunctionConcurrency: op(sdk.lambda, 'GetFunctionConcurrencyCommand', 'lambda:GetFunctionConcurrency'),
    PutFunctionConcurrency: op(sdk.lambda, 'PutFunctionConcurrencyCommand', 'lambda:PutFunctionConcurrency'),
    DeleteFunctionConcurrency: op(sdk.lambda, 'DeleteFunctionConcurrencyCommand', 'lambda:DeleteFunctionConcurrency'),
  },
  sts: {
    GetCallerIdentity: op(sdk.sts, 'GetCallerIdentityCommand', 'sts:GetCallerIdentity'),
    AssumeRole: op(sdk.sts, 'AssumeRoleCommand', 'sts:AssumeRole'),
  },
  'ssm-incidents': {
    StartIncident: op(sdk.incidents, 'StartIncidentCommand', 'ssm-incidents:StartIncident'),
    GetIncidentRecord: op(sdk.incidents, 'GetIncidentRecordCommand', 'ssm-incidents:GetIncidentRecord'),
    CreateTimelineEvent: op(sdk.incidents, 'CreateTimelineEventCommand', 'ssm-incidents:CreateTimelineEvent'),
    // Two-way sync, open incidents and response plans (issue 16).
    ListIncidentRecords: op(sdk.incidents, 'ListIncidentRecordsCommand', 'ssm-incidents:ListIncidentRecords'),
    UpdateIncidentRecord: op(sdk.incidents, 'UpdateIncidentRecordCommand', 'ssm-incidents:UpdateIncidentRecord'),
    ListTimelineEvents: op(sdk.incidents, 'ListTimelineEventsCommand', 'ssm-incidents:ListTimelineEvents'),
    GetTimelineEvent: op(sdk.incidents, 'GetTimelineEventCommand', 'ssm-incidents:GetTimelineEvent'),
    ListRelatedItems: op(sdk.incidents, 'ListRelatedItemsCommand', 'ssm-incidents:ListRelatedItems'),
    UpdateRelatedItems: op(sdk.incidents, 'UpdateRelatedItemsCommand', 'ssm-incidents:UpdateRelatedItems'),
    GetResponsePlan: op(sdk.incidents, 'GetResponsePlanCommand', 'ssm-incidents:GetResponsePlan'),
    ListReplicationSets: op(sdk.incidents, 'ListReplicationSetsCommand', 'ssm-incidents:ListReplicationSets'),
  },
  'ssm-contacts': {
    ListContacts: op(sdk.contacts, 'ListContactsCommand', 'ssm-contacts:ListContacts'),
    GetContact: op(sdk.contacts, 'GetContactCommand', 'ssm-contacts:GetContact'),
    ListContactChannels: op(sdk.contacts, 'ListContactChannelsCommand', 'ssm-contacts:ListContactChannels'),
    ListEngagements: op(sdk.contacts, 'ListEngagementsCommand', 'ssm-contacts:ListEngagements'),
    ListPagesByEngagement: op(sdk.contacts, 'ListPagesByEngagementCommand', 'ssm-contacts:ListPagesByEngagement'),
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
