import type { PlaybookQuery } from '../../../common/contract/acquire';

/**
 * Columns every event query selects, named so the rows can be rebuilt into
 * CloudTrail records for the case timeline (see results.ts).
 */
const EVENT_COLUMNS = `eventtime, eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode, errormessage, eventid, eventtype,
  recipientaccountid, readonly, requestparameters, responseelements, additionaleventdata,
  useridentity.type AS useridentity_type, useridentity.arn AS useridentity_arn, useridentity.accountid AS useridentity_accountid,
  useridentity.accesskeyid AS useridentity_accesskeyid, useridentity.principalid AS useridentity_principalid,
  useridentity.username AS useridentity_username, useridentity.sessioncontext.sessionissuer.arn AS useridentity_sessionissuer_arn`;

const FLOW_COLUMNS = `version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end", action, log_status`;

const IRP = 'AWS incident response playbooks (github.com/aws-samples/aws-incident-response-playbooks)';
const DOCS = 'Amazon Athena documentation, "Example queries for CloudTrail logs"';
const FLOW_DOCS = 'Amazon Athena documentation, "Query Amazon VPC flow logs"';

/**
 * The queries an investigator reaches for first, from the AWS incident
 * response playbooks (compromised credentials, IAM persistence, logging
 * tampering) and Athena's CloudTrail and flow-log examples. `{{table}}` is
 * the case's table, `{{partitions}}` restricts accounts, regions and days to
 * the window (so only those S3 prefixes are read), `{{window}}` the exact
 * times, `{{param:x}}` a quoted parameter.
 */
export const PLAYBOOK: PlaybookQuery[] = [
  {
    id: 'activity-by-access-key',
    title: 'Everything done with one access key (compromised credentials)',
    logKind: 'cloudtrail',
    source: IRP,
    params: ['accessKeyId'],
    events: true,
    sql: `SELECT ${EVENT_COLUMNS}
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND useridentity.accesskeyid = {{param:accessKeyId}}
ORDER BY eventtime`,
  },
  {
    id: 'activity-by-principal',
    title: 'Everything a user or role did (ARN or session issuer ARN)',
    logKind: 'cloudtrail',
    source: IRP,
    params: ['principalArn'],
    events: true,
    sql: `SELECT ${EVENT_COLUMNS}
FROM {{table}}
WHERE {{partitions}} AND {{window}}
  AND (useridentity.arn = {{param:principalArn}} OR useridentity.sessioncontext.sessionissuer.arn = {{param:principalArn}})
ORDER BY eventtime`,
  },
  {
    id: 'activity-by-source-ip',
    title: 'Every call from one source IP address',
    logKind: 'cloudtrail',
    source: IRP,
    params: ['sourceIp'],
    events: true,
    sql: `SELECT ${EVENT_COLUMNS}
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND sourceipaddress = {{param:sourceIp}}
ORDER BY eventtime`,
  },
  {
    id: 'console-logins',
    title: 'Console sign-ins, with MFA use and outcome',
    logKind: 'cloudtrail',
    source: DOCS,
    params: [],
    events: true,
    sql: `SELECT ${EVENT_COLUMNS}
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND eventname = 'ConsoleLogin'
ORDER BY eventtime`,
  },
  {
    id: 'iam-persistence',
    title: 'New users, keys, passwords and policy changes (persistence, privilege escalation)',
    logKind: 'cloudtrail',
    source: IRP,
    params: [],
    events: true,
    sql: `SELECT ${EVENT_COLUMNS}
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND eventsource = 'iam.amazonaws.com'
  AND eventname IN ('CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'AttachUserPolicy', 'PutUserPolicy',
    'AttachRolePolicy', 'PutRolePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'UpdateAssumeRolePolicy', 'AddUserToGroup', 'CreateRole')
ORDER BY eventtime`,
  },
  {
    id: 'logging-tampering',
    title: 'Trails, detectors, flow logs and recorders stopped or deleted',
    logKind: 'cloudtrail',
    source: IRP,
    params: [],
    events: true,
    sql: `SELECT ${EVENT_COLUMNS}
FROM {{table}}
WHERE {{partitions}} AND {{window}}
  AND eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'DeleteFlowLogs', 'DeleteDetector', 'UpdateDetector',
    'DisableSecurityHub', 'DeleteConfigurationRecorder', 'StopConfigurationRecorder')
ORDER BY eventtime`,
  },
  {
    id: 'access-denied-by-principal',
    title: 'Who was refused what, most often (reconnaissance)',
    logKind: 'cloudtrail',
    source: DOCS,
    params: [],
    events: false,
    sql: `SELECT useridentity.arn AS principal, eventsource, eventname, errorcode, count(*) AS calls, min(eventtime) AS first, max(eventtime) AS last
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation')
GROUP BY 1, 2, 3, 4
ORDER BY calls DESC
LIMIT 1000`,
  },
  {
    id: 'source-ips-of-access-key',
    title: 'Source IPs and user agents seen for one access key',
    logKind: 'cloudtrail',
    source: IRP,
    params: ['accessKeyId'],
    events: false,
    sql: `SELECT sourceipaddress, useragent, count(*) AS calls, min(eventtime) AS first, max(eventtime) AS last
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND useridentity.accesskeyid = {{param:accessKeyId}}
GROUP BY 1, 2
ORDER BY calls DESC`,
  },
  {
    id: 's3-object-access',
    title: 'Data events on one S3 bucket (exfiltration)',
    logKind: 'cloudtrail',
    source: DOCS,
    params: ['bucketName'],
    events: true,
    sql: `SELECT ${EVENT_COLUMNS}
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND eventsource = 's3.amazonaws.com'
  AND json_extract_scalar(requestparameters, '$.bucketName') = {{param:bucketName}}
ORDER BY eventtime`,
  },
  {
    id: 'flow-traffic-of-ip',
    title: 'Every flow to or from one IP address',
    logKind: 'vpcflowlogs',
    source: FLOW_DOCS,
    params: ['ip'],
    events: true,
    sql: `SELECT ${FLOW_COLUMNS}
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND (srcaddr = {{param:ip}} OR dstaddr = {{param:ip}})
ORDER BY start`,
  },
  {
    id: 'flow-rejected-sources',
    title: 'Sources of rejected traffic, most frequent first (scanning)',
    logKind: 'vpcflowlogs',
    source: FLOW_DOCS,
    params: [],
    events: false,
    sql: `SELECT srcaddr, dstport, count(*) AS flows, sum(packets) AS packets
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND action = 'REJECT'
GROUP BY 1, 2
ORDER BY flows DESC
LIMIT 1000`,
  },
  {
    id: 'flow-top-egress',
    title: 'Largest outbound transfers by destination (exfiltration)',
    logKind: 'vpcflowlogs',
    source: FLOW_DOCS,
    params: [],
    events: false,
    sql: `SELECT srcaddr, dstaddr, dstport, sum(bytes) AS bytes, count(*) AS flows
FROM {{table}}
WHERE {{partitions}} AND {{window}} AND action = 'ACCEPT'
GROUP BY 1, 2, 3
ORDER BY bytes DESC
LIMIT 1000`,
  },
];
