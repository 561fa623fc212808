import { sdk } from './sdk';
import { type AwsService, operation } from './operations';
import { isThrottling, isTimeout, mapAwsError, timeoutError } from './errors';

/** AWS credentials as the SDK takes them; only ever held in the main process. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialsProvider = () => Promise<AwsCredentials>;

export interface ClientOptions {
  credentials: CredentialsProvider;
  /** Emulator or VPC endpoint (LARIAT_AWS_ENDPOINT or the aws.endpoint setting). */
  endpoint?: string | null;
  maxAttempts?: number;
  /** TCP connection timeout per attempt (default 5 s). */
  connectTimeoutMs?: number;
  /** How long one call may take, SDK retries included, before it fails with `aws-timeout` (default 30 s). */
  requestTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Resolves once `ms` have passed, unless `signal` aborts first (then it never
 * resolves). Injected so the fault-injection tests can expire a call's
 * deadline at the moment a stalled reply is simulated, without waiting.
 */
export type Deadline = (ms: number, signal: AbortSignal) => Promise<void>;

export const realDeadline: Deadline = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return;
    const t = setTimeout(resolve, ms);
    t.unref?.();
    signal.addEventListener('abort', () => clearTimeout(t), { once: true });
  });

interface Sender {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

type ClientCtor = new (config: Record<string, unknown>) => Sender;

/** Each service's client class, from its package loaded on first use (see sdk.ts). */
const CTORS: Record<AwsService, () => ClientCtor> = {
  ec2: () => sdk.ec2().EC2Client as unknown as ClientCtor,
  ssm: () => sdk.ssm().SSMClient as unknown as ClientCtor,
  'ssm-incidents': () => sdk.incidents().SSMIncidentsClient as unknown as ClientCtor,
  'ssm-contacts': () => sdk.contacts().SSMContactsClient as unknown as ClientCtor,
  sts: () => sdk.sts().STSClient as unknown as ClientCtor,
  autoscaling: () => sdk.asg().AutoScalingClient as unknown as ClientCtor,
  elbv2: () => sdk.elb().ElasticLoadBalancingV2Client as unknown as ClientCtor,
  iam: () => sdk.iam().IAMClient as unknown as ClientCtor,
  s3: () => sdk.s3().S3Client as unknown as ClientCtor,
  cloudtrail: () => sdk.cloudtrail().CloudTrailClient as unknown as ClientCtor,
  guardduty: () => sdk.guardduty().GuardDutyClient as unknown as ClientCtor,
  securityhub: () => sdk.securityhub().SecurityHubClient as unknown as ClientCtor,
  organizations: () => sdk.organizations().OrganizationsClient as unknown as ClientCtor,
  athena: () => sdk.athena().AthenaClient as unknown as ClientCtor,
  lambda: () => sdk.lambda().LambdaClient as unknown as ClientCtor,
};

export interface CallOptions {
  signal?: AbortSignal;
  /** Told about each throttled attempt, so the step list can show retries. */
  onRetry?: (attempt: number, code: string) => void;
  /** Extra words for error messages (which instance, which volume). */
  context?: string;
}

/** Thrown when a call's own deadline passed before AWS answered. */
class CallTimeout extends Error {
  constructor() {
    super('request timeout');
    this.name = 'TimeoutError';
  }
}

/** Pause used between throttled retries; injected so tests do not wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

/**
 * One SDK client per service and region, built from a credentials provider
 * that lives only in the main process. Every client uses adaptive retries and
 * honours the endpoint override. `call` is the only way services talk to
 * AWS: it sends a command named in OPERATIONS with plain JSON parameters,
 * retries throttling a few more times on top of the SDK (counting attempts
 * for the UI), and maps failures to AppErrors naming the IAM action.
 */
export class AwsClients {
  private readonly cache = new Map<string, Sender>();
  readonly throttleRetries: number;

  constructor(private readonly options: ClientOptions & { sleep?: Sleep; throttleRetries?: number; deadline?: Deadline }) {
    this.throttleRetries = options.throttleRetries ?? 4;
  }

  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  get endpoint(): string | null {
    return this.options.endpoint ?? null;
  }

  /** The client of a service and region; `once` gives the one whose SDK never resends a request (non-idempotent creates). */
  client(service: AwsService, region: string, once = false): Sender {
    const key = `${service}:${region}${once ? ':once' : ''}`;
    let c = this.cache.get(key);
    if (!c) {
      const config: Record<string, unknown> = {
        region,
        credentials: this.options.credentials,
        retryMode: 'adaptive',
        maxAttempts: once ? 1 : (this.options.maxAttempts ?? 5),
        // A hung endpoint must become an error within seconds, not hang a step for minutes. Lariat's own
        // deadline (sendWithin) ends the call; the SDK's socket timeout, a second later, is only a backstop.
        requestHandler: {
          connectionTimeout: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          requestTimeout: this.requestTimeoutMs + 1_000,
        },
      };
      // The evidence bucket may live in another region than the instance.
      if (service === 's3') config.followRegionRedirects = true;
      if (this.options.endpoint) {
        config.endpoint = this.options.endpoint;
        if (service === 's3') config.forcePathStyle = true;
      }
      c = new (CTORS[service]())(config);
      this.cache.set(key, c);
    }
    return c;
  }

  async call<T = Record<string, unknown>>(
    service: AwsService,
    region: string,
    name: string,
    params: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<T> {
    const def = operation(service, name);
    const sleep = this.options.sleep ?? realSleep;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.sendWithin(this.client(service, region, !def.sdkRetries), def.make(structuredClone(params)), options.signal);
        return (out ?? {}) as T;
      } catch (err) {
        if (isThrottling(err) && attempt <= this.throttleRetries && !options.signal?.aborted) {
          options.onRetry?.(attempt, (err as { name?: string }).name ?? 'Throttling');
          await sleep(Math.min(20_000, 500 * 2 ** (attempt - 1)), options.signal);
          continue;
        }
        if (err instanceof CallTimeout || (isTimeout(err) && !options.signal?.aborted))
          throw timeoutError(service, name, this, options.context, err);
        throw mapAwsError(err, service, name, options.context);
      }
    }
  }

  /**
   * One send (the SDK's own retries included) that gives up when the request timeout passes, whatever the
   * SDK does. The request is aborted only when the caller cancels or the deadline passes: once AWS has
   * answered, a streamed body (GetObject) stays readable after this returns, so only the timer is stopped.
   */
  private async sendWithin(client: Sender, command: object, signal?: AbortSignal): Promise<unknown> {
    const request = new AbortController();
    const timer = new AbortController();
    const forward = () => {
      timer.abort();
      request.abort(signal?.reason);
    };
    if (signal?.aborted) forward();
    else signal?.addEventListener('abort', forward, { once: true });
    const expired = (this.options.deadline ?? realDeadline)(this.requestTimeoutMs, timer.signal).then(() => {
      request.abort(new CallTimeout());
      throw new CallTimeout();
    });
    expired.catch(() => undefined);
    try {
      return await Promise.race([client.send(command, { abortSignal: request.signal }), expired]);
    } finally {
      timer.abort();
      signal?.removeEventListener('abort', forward);
    }
  }

  destroy(): void {
    for (const c of this.cache.values()) c.destroy();
    this.cache.clear();
  }
}
