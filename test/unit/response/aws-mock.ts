import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { SSMContactsClient } from '@aws-sdk/client-ssm-contacts';
import { STSClient } from '@aws-sdk/client-sts';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AthenaClient } from '@aws-sdk/client-athena';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OPERATIONS, type AwsService } from '../../../main/aws/operations';

export interface RecordedCall {
  service: AwsService;
  op: string;
  input: Record<string, unknown>;
}

type Handler = (input: Record<string, unknown>) => unknown;

const CLIENTS = {
  ec2: EC2Client,
  ssm: SSMClient,
  'ssm-incidents': SSMIncidentsClient,
  'ssm-contacts': SSMContactsClient,
  sts: STSClient,
  autoscaling: AutoScalingClient,
  elbv2: ElasticLoadBalancingV2Client,
  iam: IAMClient,
  s3: S3Client,
  cloudtrail: CloudTrailClient,
  guardduty: GuardDutyClient,
  securityhub: SecurityHubClient,
  organizations: OrganizationsClient,
  athena: AthenaClient,
  lambda: LambdaClient,
} as const;

/** An AWS service error as the SDK raises it. */
export function awsError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    name,
    Code: name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    ...extra,
  });
}

/**
 * aws-sdk-client-mock on every client Lariat uses, with one ordered log of
 * the calls made (service, operation, exact input), per-operation handlers
 * and a queue of faults to inject ("fail the next DeregisterTargets with
 * AccessDenied"). Unhandled operations fail loudly so no call goes unseen.
 */
export class AwsMock {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly faults = new Map<string, (Error | null)[]>();
  private readonly stubs: AwsStub<object, { $metadata: object }, unknown>[] = [];

  constructor() {
    for (const [service, table] of Object.entries(OPERATIONS) as [
      AwsService,
      Record<string, { make(p: Record<string, unknown>): object }>,
    ][]) {
      const stub = mockClient(CLIENTS[service] as never) as unknown as AwsStub<object, { $metadata: object }, unknown>;
      this.stubs.push(stub);
      for (const [op, def] of Object.entries(table)) {
        const Ctor = def.make({}).constructor as never;
        stub.on(Ctor).callsFake(async (input: Record<string, unknown>) => this.handle(service, op, input));
      }
    }
  }

  on(service: AwsService, op: string, handler: Handler | Record<string, unknown>): this {
    this.handlers.set(`${service}:${op}`, typeof handler === 'function' ? handler : () => handler);
    return this;
  }

  /** The next call of `op` (after `after` calls that pass) fails with `err`; queue several for several calls. */
  failNext(service: AwsService, op: string, err: Error, after = 0): this {
    const key = `${service}:${op}`;
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...Array<null>(after).fill(null), err]);
    return this;
  }

  /** Calls of one operation, in order. */
  of(service: AwsService, op: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.service === service && c.op === op).map((c) => c.input);
  }

  /** Calls that change something (anything but Describe/Get/Head/List). */
  mutations(): RecordedCall[] {
    return this.calls.filter((c) => !/^(Describe|Get|Head|List)/.test(c.op));
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  restore(): void {
    for (const s of this.stubs) s.restore();
  }

  private async handle(service: AwsService, op: string, input: Record<string, unknown>): Promise<unknown> {
    const key = `${service}:${op}`;
    this.calls.push({ service, op, input: structuredClone(input) });
    const fault = this.faults.get(key)?.shift();
    if (fault) throw fault;
    const h = this.handlers.get(key);
    if (!h) throw new Error(`AwsMock: no handler for ${key}`);
    return h(input);
  }
}
