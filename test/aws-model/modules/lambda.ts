import { createHash } from 'node:crypto';
import {
  LambdaClient,
  type GetFunctionCommandInput,
  type ListEventSourceMappingsCommandInput,
  type PutFunctionConcurrencyCommandInput,
  type UpdateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { h, type CallContext, type ModelModule } from '../types';

export interface LambdaFunction {
  arn: string;
  runtime: string;
  role: string;
  handler: string;
  /** The deployment package, base64 (what the presigned Code.Location serves). */
  zip: string;
  layers: string[];
  /** Absent: no reserved concurrency (the function shares the account's unreserved pool). */
  reserved?: number;
  /** Resource-based policy document as GetPolicy returns it; absent: none. */
  policy?: string;
}

export type MappingState = 'Enabled' | 'Enabling' | 'Disabled' | 'Disabling' | 'Updating';

export interface EventSourceMapping {
  UUID: string;
  FunctionArn: string;
  EventSourceArn: string;
  BatchSize: number;
  State: MappingState;
}

export interface LambdaState {
  functions: Record<string, LambdaFunction>;
  mappings: Record<string, EventSourceMapping>;
  /** Layer version ARN → its package, base64. */
  layers: Record<string, string>;
}

export const codeSha256 = (zipBase64: string): string => createHash('sha256').update(Buffer.from(zipBase64, 'base64')).digest('base64');
/** A presigned-looking URL that carries the package itself (X-Model-Body), so any process can serve it without the model. */
export const codeLocation = (region: string, name: string, zip: string): string =>
  `https://awslambda-${region}-tasks.s3.${region}.amazonaws.com/snapshots/model/${name}?X-Amz-Signature=model&X-Model-Body=${encodeURIComponent(zip)}`;

const nameOf = (fn: string | undefined): string => (fn ?? '').replace(/^arn:aws:lambda:[^:]+:\d+:function:/, '').split(':')[0]!;

function fn(name: string | undefined, ctx: CallContext<LambdaState>): LambdaFunction {
  const f = ctx.state.functions[nameOf(name)];
  if (!f) return ctx.error('ResourceNotFoundException', `Function not found: ${name ?? ''}`, 404);
  return f;
}

/** A transition (Disabling, Enabling) has finished by the next read: the model has no real time. */
function settle(m: EventSourceMapping): EventSourceMapping {
  if (m.State === 'Disabling') m.State = 'Disabled';
  if (m.State === 'Enabling' || m.State === 'Updating') m.State = 'Enabled';
  return { ...m };
}

const configuration = (name: string, f: LambdaFunction, region: string) => ({
  FunctionName: name,
  FunctionArn: f.arn,
  Runtime: f.runtime,
  Role: f.role,
  Handler: f.handler,
  CodeSize: Buffer.from(f.zip, 'base64').byteLength,
  CodeSha256: codeSha256(f.zip),
  Version: '$LATEST',
  Layers: f.layers.map((Arn) => ({ Arn, CodeSize: 1 })),
  State: 'Active',
  RevisionId: `rev-${region}`,
});

/**
 * Lambda (regional): functions with their package, reserved concurrency and
 * resource policy, event source mappings and layer versions. GetFunction's
 * Code.Location is served by `lambdaCodeFetch`, standing in for the
 * presigned S3 URL.
 */
export const lambda: ModelModule<LambdaState> = {
  name: 'lambda',
  service: 'lambda',
  client: LambdaClient,
  scope: 'regional',
  throttlingCode: 'TooManyRequestsException',
  initial: () => ({ functions: {}, mappings: {}, layers: {} }),
  owns: (s, id) => nameOf(id) in s.functions,
  handlers: {
    GetFunction: h<GetFunctionCommandInput, LambdaState>((i, ctx) => {
      const name = nameOf(i.FunctionName);
      const f = fn(i.FunctionName, ctx);
      return {
        Configuration: configuration(name, f, ctx.region),
        Code: { RepositoryType: 'S3', Location: codeLocation(ctx.region, name, f.zip) },
        ...(f.reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: f.reserved } } : {}),
      };
    }),
    GetFunctionConcurrency: h<{ FunctionName?: string }, LambdaState>((i, ctx) => {
      const f = fn(i.FunctionName, ctx);
      return f.reserved !== undefined ? { ReservedConcurrentExecutions: f.reserved } : {};
    }),
    PutFunctionConcurrency: h<PutFunctionConcurrencyCommandInput, LambdaState>((i, ctx) => {
      const f = fn(i.FunctionName, ctx);
      const n = i.ReservedConcurrentExecutions;
      if (typeof n !== 'number' || n < 0 || !Number.isInteger(n))
        return ctx.error('InvalidParameterValueException', 'ReservedConcurrentExecutions must be a non-negative integer', 400);
      f.reserved = n;
      return { ReservedConcurrentExecutions: n };
    }),
    DeleteFunctionConcurrency: h<{ FunctionName?: string }, LambdaState>((i, ctx) => {
      delete fn(i.FunctionName, ctx).reserved;
      return {};
    }),
    GetPolicy: h<{ FunctionName?: string }, LambdaState>((i, ctx) => {
      const f = fn(i.FunctionName, ctx);
      if (f.policy === undefined) return ctx.error('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
      return { Policy: f.policy, RevisionId: `rev-${ctx.region}` };
    }),
    GetLayerVersionByArn: h<{ Arn?: string }, LambdaState>((i, ctx) => {
      const zip = i.Arn ? ctx.state.layers[i.Arn] : undefined;
      if (zip === undefined) return ctx.error('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
      return {
        LayerVersionArn: i.Arn,
        Content: { Location: codeLocation(ctx.region, 'layer', zip), CodeSha256: codeSha256(zip) },
      };
    }),
    ListEventSourceMappings: h<ListEventSourceMappingsCommandInput, LambdaState>((i, ctx) => {
      const f = i.FunctionName ? fn(i.FunctionName, ctx) : null;
      const all = Object.values(ctx.state.mappings).filter((m) => !f || m.FunctionArn === f.arn);
      return { EventSourceMappings: all.map(settle) };
    }),
    GetEventSourceMapping: h<{ UUID?: string }, LambdaState>((i, ctx) => {
      const m = i.UUID ? ctx.state.mappings[i.UUID] : undefined;
      if (!m) return ctx.error('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
      return settle(m);
    }),
    UpdateEventSourceMapping: h<UpdateEventSourceMappingCommandInput, LambdaState>((i, ctx) => {
      const m = i.UUID ? ctx.state.mappings[i.UUID] : undefined;
      if (!m) return ctx.error('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
      if (m.State === 'Disabling' || m.State === 'Enabling' || m.State === 'Updating')
        return ctx.error('ResourceInUseException', `Cannot update the event source mapping because it is in use (state ${m.State}).`, 400);
      // The reply shows the transition; the model (no real time) holds the state it settles in.
      if (i.Enabled === true && m.State === 'Disabled') {
        m.State = 'Enabled';
        return { ...m, State: 'Enabling' };
      }
      if (i.Enabled === false && m.State === 'Enabled') {
        m.State = 'Disabled';
        return { ...m, State: 'Disabling' };
      }
      return { ...m };
    }),
  },
};

/**
 * What `fetch` of a Code.Location (or a layer's Content.Location) returns:
 * the package the model put in the URL, so the evidence download is tested
 * end to end (any other URL: 404, as an expired link would answer 403).
 */
export function lambdaCodeFetch(): (url: string) => Promise<Response> {
  return (url) => {
    const zip = new URL(url).searchParams.get('X-Model-Body');
    return Promise.resolve(
      zip === null ? new Response('NoSuchKey', { status: 404 }) : new Response(new Uint8Array(Buffer.from(zip, 'base64'))),
    );
  };
}
