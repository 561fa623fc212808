import { type Read, bestEffort, orAbsent } from '../read-config';

export interface MappingRecord {
  UUID: string;
  State: string;
  EventSourceArn: string | null;
}

/**
 * A function before containment. `ReservedConcurrency` (null: none
 * reserved) and `EventSourceMappings` are what a release restores, so a
 * failed look-up fails the collection; layers and the resource policy are
 * evidence only (`NotCaptured` names what could not be read, and why).
 */
export interface FunctionRecord {
  FunctionName: string;
  FunctionArn: string;
  Region: string;
  /** GetFunction's Configuration as AWS returned it. */
  Configuration: Record<string, unknown>;
  /** Base64 SHA-256 of the deployment package, as Lambda reports it (checked against the downloaded package). */
  CodeSha256: string | null;
  /** Where the package was (the presigned URL without its signature). */
  CodeLocation: string | null;
  /** The full presigned URL, never stored: only the evidence step uses it, at once. */
  codeUrl?: string;
  ReservedConcurrency: number | null;
  EventSourceMappings: MappingRecord[];
  Layers: unknown[];
  Policy: string | null;
  NotCaptured: Record<string, string>;
}

interface GetFunctionOut {
  Configuration?: Record<string, unknown> & {
    FunctionArn?: string;
    FunctionName?: string;
    CodeSha256?: string;
    Layers?: { Arn?: string }[];
  };
  Code?: { Location?: string; RepositoryType?: string; ImageUri?: string };
}

const unsigned = (url: string | undefined): string | null => (url ? url.split('?')[0]! : null);

/** Reads the reserved concurrency as Lambda holds it now (null: none reserved). */
export async function readReserved(read: Read, FunctionName: string): Promise<number | null> {
  const out = await read<{ ReservedConcurrentExecutions?: number }>('lambda', 'GetFunctionConcurrency', { FunctionName });
  return typeof out.ReservedConcurrentExecutions === 'number' ? out.ReservedConcurrentExecutions : null;
}

export async function readMappings(read: Read, FunctionName: string): Promise<MappingRecord[]> {
  const out = await read<{ EventSourceMappings?: { UUID?: string; State?: string; EventSourceArn?: string }[] }>(
    'lambda',
    'ListEventSourceMappings',
    {
      FunctionName,
    },
  );
  return (out.EventSourceMappings ?? []).map((m) => ({
    UUID: m.UUID ?? '',
    State: m.State ?? 'Unknown',
    EventSourceArn: m.EventSourceArn ?? null,
  }));
}

/** Collects `name` (a function name or ARN) in `region`. */
export async function collectFunction(read: Read, name: string, region: string): Promise<FunctionRecord> {
  const NotCaptured: Record<string, string> = {};
  const fn = await read<GetFunctionOut>('lambda', 'GetFunction', { FunctionName: name });
  const c = fn.Configuration ?? {};
  const arn = String(c.FunctionArn ?? name);
  const Layers: unknown[] = [];
  for (const l of c.Layers ?? []) {
    const got = await bestEffort(`Layer ${l.Arn}`, NotCaptured, () =>
      read<{ LayerVersionArn?: string; Content?: { CodeSha256?: string; CodeSize?: number; Location?: string } }>(
        'lambda',
        'GetLayerVersionByArn',
        {
          Arn: l.Arn,
        },
      ),
    );
    Layers.push(
      got
        ? {
            Arn: l.Arn,
            CodeSha256: got.Content?.CodeSha256 ?? null,
            CodeSize: got.Content?.CodeSize ?? null,
            Location: unsigned(got.Content?.Location),
          }
        : { Arn: l.Arn },
    );
  }
  const Policy = await bestEffort('Policy', NotCaptured, () =>
    orAbsent(
      ['ResourceNotFoundException'],
      async () => (await read<{ Policy?: string }>('lambda', 'GetPolicy', { FunctionName: arn })).Policy ?? null,
    ),
  );
  if (fn.Code?.ImageUri) NotCaptured.Code = `a container image (${fn.Code.ImageUri}): acquire it from ECR`;
  return {
    FunctionName: String(c.FunctionName ?? name),
    FunctionArn: arn,
    Region: region,
    Configuration: c,
    CodeSha256: c.CodeSha256 ?? null,
    CodeLocation: unsigned(fn.Code?.Location),
    codeUrl: fn.Code?.ImageUri ? undefined : fn.Code?.Location,
    ReservedConcurrency: await readReserved(read, arn),
    EventSourceMappings: await readMappings(read, arn),
    Layers,
    Policy,
    NotCaptured,
  };
}
