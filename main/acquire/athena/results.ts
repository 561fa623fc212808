import fs from 'node:fs';

/**
 * Athena's result CSV (RFC 4180: every field quoted, "" for a quote, line
 * breaks allowed inside quotes), read as a stream of rows of strings.
 */
export async function* readCsv(file: string): AsyncGenerator<string[]> {
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let afterQuote = false;
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = chunk as string;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"') {
          quoted = false;
          afterQuote = true;
        } else field += ch;
        continue;
      }
      if (ch === '"') {
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
      } else if (ch === ',') {
        row.push(field);
        field = '';
        afterQuote = false;
      } else if (ch === '\n') {
        row.push(field);
        yield row;
        row = [];
        field = '';
        afterQuote = false;
      } else if (ch !== '\r') {
        field += ch;
        afterQuote = false;
      }
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    yield row;
  }
}

/** What kind of rows a result holds: CloudTrail events, flow records, or something else (aggregates). */
export function rowKind(header: string[]): 'cloudtrail' | 'vpcflowlogs' | null {
  const h = new Set(header.map((c) => c.toLowerCase()));
  if (h.has('eventtime') && h.has('eventname') && h.has('eventsource')) return 'cloudtrail';
  if (h.has('srcaddr') && h.has('dstaddr') && h.has('start') && h.has('action')) return 'vpcflowlogs';
  return null;
}

const json = (v: string | undefined): unknown => {
  if (!v) return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/**
 * One result row as a CloudTrail record, from the columns the playbook
 * selects (`useridentity_*` for the identity). Empty cells are Athena's NULL
 * and are left out; the JSON-valued columns are parsed back into objects.
 */
export function toCloudTrailRecord(header: string[], row: string[]): Record<string, unknown> {
  const v = (name: string): string | undefined => {
    const i = header.indexOf(name);
    const s = i >= 0 ? row[i] : undefined;
    return s === '' ? undefined : s;
  };
  const identity: Record<string, unknown> = {
    type: v('useridentity_type'),
    principalId: v('useridentity_principalid'),
    arn: v('useridentity_arn'),
    accountId: v('useridentity_accountid'),
    accessKeyId: v('useridentity_accesskeyid'),
    userName: v('useridentity_username'),
  };
  const issuer = v('useridentity_sessionissuer_arn');
  if (issuer) identity.sessionContext = { sessionIssuer: { arn: issuer } };
  const ro = v('readonly');
  const record: Record<string, unknown> = {
    eventTime: v('eventtime'),
    eventSource: v('eventsource'),
    eventName: v('eventname'),
    awsRegion: v('awsregion'),
    sourceIPAddress: v('sourceipaddress'),
    userAgent: v('useragent'),
    errorCode: v('errorcode'),
    errorMessage: v('errormessage'),
    eventID: v('eventid'),
    eventType: v('eventtype'),
    recipientAccountId: v('recipientaccountid'),
    readOnly: ro === 'true' ? true : ro === 'false' ? false : ro,
    requestParameters: json(v('requestparameters')),
    responseElements: json(v('responseelements')),
    additionalEventData: json(v('additionaleventdata')),
    userIdentity: Object.fromEntries(Object.entries(identity).filter(([, x]) => x !== undefined)),
  };
  return Object.fromEntries(Object.entries(record).filter(([, x]) => x !== undefined));
}

export const FLOW_HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const FLOW_COLUMNS = FLOW_HEADER.split(' ').map((c) => c.replace(/-/g, '_'));

/** One result row as a flow-log line in the default (v2) format; a missing value is `-`, as AWS writes it. */
export function toFlowLine(header: string[], row: string[]): string {
  return FLOW_COLUMNS.map((c) => {
    const i = header.indexOf(c);
    const s = i >= 0 ? row[i] : undefined;
    return s ? s.replace(/\s+/g, '_') : '-';
  }).join(' ');
}
