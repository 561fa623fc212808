import type { LogKind } from '../../../common/contract/acquire';

/**
 * The Athena tables Lariat creates, after AWS's documented DDL ("Create the
 * table for CloudTrail logs in Athena using partition projection", "Query
 * Amazon VPC flow logs" with partition projection), extended to several
 * accounts and regions: partitions `accid` (enum of the accounts), `region`
 * (enum) and `day` (date, yyyy/MM/dd), projected, so a query that restricts
 * them reads only those S3 prefixes and no partition is ever added by hand.
 */
export interface TableSpec {
  logKind: LogKind;
  database: string;
  table: string;
  bucket: string;
  prefix: string;
  /** `o-xxxxxxxxxx` for an organization trail (AWSLogs/<o-id>/<account>/...). */
  organizationId: string | null;
  accounts: string[];
  regions: string[];
  /** First day of the projected range, yyyy/MM/dd. */
  since: string;
}

const CLOUDTRAIL_COLUMNS = `
  eventversion STRING,
  useridentity STRUCT<
    type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  vpcendpointaccountid STRING,
  eventcategory STRING,
  addendum STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>,
  sessioncredentialfromconsole STRING,
  edgedevicedetails STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>`;

const FLOW_COLUMNS = `
  version INT,
  account_id STRING,
  interface_id STRING,
  srcaddr STRING,
  dstaddr STRING,
  srcport INT,
  dstport INT,
  protocol BIGINT,
  packets BIGINT,
  bytes BIGINT,
  start BIGINT,
  \`end\` BIGINT,
  action STRING,
  log_status STRING`;

/** s3:// folder that holds every account's logs (the table's LOCATION). */
export function tableLocation(s: TableSpec): string {
  const root = s.prefix ? `${s.prefix}/AWSLogs/` : 'AWSLogs/';
  return `s3://${s.bucket}/${root}${s.organizationId ? `${s.organizationId}/` : ''}`;
}

/** The storage.location.template: where one account, region and day of logs lives. */
export function locationTemplate(s: TableSpec): string {
  return `${tableLocation(s)}\${accid}/${s.logKind === 'cloudtrail' ? 'CloudTrail' : 'vpcflowlogs'}/\${region}/\${day}`;
}

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

export function createDatabase(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS \`${database}\``;
}

export function createTable(s: TableSpec): string {
  const props: [string, string][] = [
    ...(s.logKind === 'vpcflowlogs' ? ([['skip.header.line.count', '1']] as [string, string][]) : []),
    ['projection.enabled', 'true'],
    ['projection.accid.type', 'enum'],
    ['projection.accid.values', s.accounts.join(',')],
    ['projection.region.type', 'enum'],
    ['projection.region.values', s.regions.join(',')],
    ['projection.day.type', 'date'],
    ['projection.day.range', `${s.since},NOW`],
    ['projection.day.format', 'yyyy/MM/dd'],
    ['projection.day.interval', '1'],
    ['projection.day.interval.unit', 'DAYS'],
    ['storage.location.template', locationTemplate(s)],
  ];
  const format =
    s.logKind === 'cloudtrail'
      ? `ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'`
      : `ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '`;
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`${s.database}\`.\`${s.table}\` (${s.logKind === 'cloudtrail' ? CLOUDTRAIL_COLUMNS : FLOW_COLUMNS}
)
PARTITIONED BY (accid STRING, region STRING, day STRING)
${format}
LOCATION ${quote(tableLocation(s))}
TBLPROPERTIES (
${props.map(([k, v]) => `  ${quote(k)} = ${quote(v)}`).join(',\n')}
)`;
}
