import type { AwsService } from '../../main/aws/operations';
import type { AwsModel } from './model';

/** A request as the SDK command received it (plain JSON after structuredClone). */
export type Input = Record<string, unknown>;

/** What a handler gets besides the request: its state slice, the region, and ways to answer as AWS does. */
export interface CallContext<S> {
  /** This module's state for the call's region (or the global slice for global services). Mutate it in place. */
  state: S;
  region: string;
  /** The account the call acts in (the model's own, or a member account reached through sts:AssumeRole). */
  account: string;
  service: AwsService;
  op: string;
  model: AwsModel;
  /** Throws the error AWS would return (code, message, HTTP status). */
  error(code: string, message: string, status?: number): never;
  /** A new id in AWS's shape for that prefix (`sg`, `snap`, `iip-assoc`...), deterministic per model. */
  id(prefix: string): string;
  /** The model's clock (fixed unless a test moves it), ISO-8601. */
  now(): string;
  /** Another module's state, for effects that cross services (an SSM command writing to S3, tags on a group). */
  slice<T>(module: string, region?: string): T;
}

export type Handler<S> = (input: Input, ctx: CallContext<S>) => unknown;

/** A client class of the AWS SDK v3 (EC2Client, IAMClient...), as aws-sdk-client-mock takes it. */
export type SdkClientClass = abstract new (config: never) => { send(...args: never[]): unknown };

/**
 * One service (or part of one) in the model. The core owns nothing
 * service-specific: it routes each SDK command to the module that declares a
 * handler for it, gives that handler its state slice, and applies faults.
 */
export interface ModelModule<S = unknown> {
  /** Unique name; also the key of its state slice. */
  name: string;
  service: AwsService;
  /** The SDK client class whose `send` is routed into the model. */
  client: SdkClientClass;
  /** `regional` state is kept per region (EC2, SSM...); `global` once (IAM, S3's bucket namespace, STS). */
  scope: 'regional' | 'global';
  initial(): S;
  /** Operation name (the command name without `Command`) → handler. */
  handlers: Record<string, Handler<S>>;
  /** Whether a resource id belongs to this module (so CreateTags can refuse unknown ids as AWS does). */
  owns?(state: S, resourceId: string): boolean;
  /** AWS's throttling code for this service (for the `throttle` fault); default `Throttling`. */
  throttlingCode?: string;
}

/** Reads a typed request: handlers cast the input to the SDK's own input type. */
export function h<I, S>(fn: (input: I, ctx: CallContext<S>) => unknown): Handler<S> {
  return (input, ctx) => fn(input as I, ctx);
}
