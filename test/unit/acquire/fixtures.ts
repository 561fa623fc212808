import fs from 'node:fs';
import path from 'node:path';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { createResponseFeature } from '../../../main/response';
import { createAcquireFeature, type AcquireFeature } from '../../../main/acquire';
import { AwsMock, awsError } from '../response/aws-mock';
import { OPERATIONS, type AwsService } from '../../../main/aws/operations';

export { awsError };
export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';

export interface Env {
  s: TestServices;
  d: AcquireFeature;
  mock: AwsMock;
  caseNumber: string;
  cleanup(): void;
}

/**
 * Real services on a temp database with a current investigator and a case in
 * eu-west-1, the acquisition feature with instant waits, and every AWS client
 * mocked (calls logged with their exact input; unhandled calls fail loudly).
 */
export function setup(options: { regions?: string[]; accounts?: string[] } = {}): Env {
  const mock = new AwsMock();
  const s = makeServices({
    env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', AWS_REGION: REGION },
  });
  ensureTestIdentity(s);
  const sleep = async () => undefined;
  const response = createResponseFeature(s.core, s.custody, s.timeline, { sleep, pollMs: 0 });
  const d = createAcquireFeature(s.core, s.custody, s.timeline, response, { sleep, pollMs: 0 });
  const c = s.core.cases.create({
    title: 'Acquisition',
    severity: 'high',
    regions: options.regions ?? [REGION],
    accounts: options.accounts ?? [],
  });
  mock.on('sts', 'GetCallerIdentity', { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ada`, UserId: 'AIDAEXAMPLE' });
  return {
    s,
    d,
    mock,
    caseNumber: c.number,
    cleanup() {
      mock.restore();
      response.aws.disconnect();
      s.cleanup();
    },
  };
}

/** A CloudTrail event as LookupEvents returns it in CloudTrailEvent (a JSON string). */
export function ctEvent(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXAMPLEKEY000001',
      userName: 'mallory',
    },
    eventTime: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString().replace('.000', ''),
    eventSource: 'iam.amazonaws.com',
    eventName: i % 2 ? 'CreateAccessKey' : 'ListUsers',
    awsRegion: REGION,
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2',
    eventID: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    ...extra,
  });
}

/** Every (service, operation) the mock saw, with the IAM action the policy must allow. */
export function iamActionsCalled(mock: AwsMock): string[] {
  return [
    ...new Set(
      mock.calls.map(
        (c) => (OPERATIONS[c.service as AwsService] as Record<string, { iamAction: string }>)[c.op]?.iamAction ?? `?${c.service}:${c.op}`,
      ),
    ),
  ];
}

/** The actions the shipped policy allows. */
export function policyActions(): Set<string> {
  const policy = JSON.parse(fs.readFileSync(path.resolve('resources/iam/lariat-responder-policy.json'), 'utf8')) as {
    Statement: { Effect: string; Action: string[] }[];
  };
  return new Set(policy.Statement.filter((st) => st.Effect === 'Allow').flatMap((st) => st.Action));
}

/** The custody entry bodies of a case (details as signed). */
export function custodyBodies(
  s: TestServices,
  caseNumber: string,
): { action: string; evidence: { id: number } | null; details: Record<string, unknown>; purpose: string }[] {
  const id = s.core.cases.require(caseNumber).id;
  return s.core.db
    .prepare<[number], { body: string }>('SELECT body FROM custody_entries WHERE case_id = ? ORDER BY seq')
    .all(id)
    .map(
      (r) => JSON.parse(r.body) as { action: string; evidence: { id: number } | null; details: Record<string, unknown>; purpose: string },
    );
}
