import type { Plan, StepSpec } from '../plans/types';
import type { FunctionRecord, MappingRecord } from './evidence';

/** What the containment recorded: the settings before (what release restores). */
export interface LambdaRecorded {
  functionName: string;
  functionArn: string;
  region: string;
  original: { ReservedConcurrency: number | null; EventSourceMappings: MappingRecord[] };
  /** Mappings this containment disables (enabled or turning on before it): the only ones release enables. */
  disabled: string[];
}

const ON = new Set(['Enabled', 'Enabling', 'Updating', 'Creating']);

const call = (key: string, title: string, region: string, operation: string, request: Record<string, unknown>): StepSpec => ({
  key,
  title,
  kind: 'call',
  service: 'lambda',
  region,
  operation,
  request,
});

/**
 * Containment of an abused function: its configuration, code package
 * (downloaded into the vault and checked against CodeSha256), layers, event
 * source mappings and resource policy as evidence; reserved concurrency 0
 * (every invocation throttled, the code kept); each active event source
 * mapping disabled.
 */
export function planLambdaContain(f: FunctionRecord): Plan {
  const region = f.Region;
  const disabled = f.EventSourceMappings.filter((m) => ON.has(m.State)).map((m) => m.UUID);
  const steps: StepSpec[] = [
    {
      key: 'evidence',
      title: `Save ${f.FunctionName}'s configuration, layers, event source mappings and resource policy, and download its code package (checked against CodeSha256)`,
      kind: 'lambda-evidence',
      service: 'lariat',
      region,
      operation: 'RecordFunction',
      request: {
        FunctionName: f.FunctionArn,
        Expect: { ReservedConcurrency: f.ReservedConcurrency, EventSourceMappings: f.EventSourceMappings },
        CodeSha256: f.CodeSha256,
      },
    },
    call(
      'throttle',
      `Set ${f.FunctionName}'s reserved concurrency to 0 (every invocation is throttled)`,
      region,
      'PutFunctionConcurrency',
      {
        FunctionName: f.FunctionArn,
        ReservedConcurrentExecutions: 0,
      },
    ),
    ...disabled.map((UUID) => {
      const m = f.EventSourceMappings.find((x) => x.UUID === UUID)!;
      return call(
        `disable-mapping-${UUID}`,
        `Disable the event source mapping ${UUID} (${m.EventSourceArn ?? 'source'})`,
        region,
        'UpdateEventSourceMapping',
        {
          UUID,
          Enabled: false,
        },
      );
    }),
  ];
  const warnings = Object.entries(f.NotCaptured).map(([part, why]) => `${part} could not be captured (${why}); the evidence says so.`);
  if (f.ReservedConcurrency === 0) warnings.push(`${f.FunctionName} already has reserved concurrency 0.`);
  const recorded: LambdaRecorded = {
    functionName: f.FunctionName,
    functionArn: f.FunctionArn,
    region,
    original: { ReservedConcurrency: f.ReservedConcurrency, EventSourceMappings: f.EventSourceMappings },
    disabled,
  };
  return { steps, recorded: { ...recorded }, warnings };
}

/**
 * Release restores exactly what was recorded: the reserved concurrency
 * (none reserved → DeleteFunctionConcurrency), then the mappings this
 * containment disabled are enabled again; mappings that were already off
 * stay off.
 */
export function planLambdaRelease(i: { recorded: LambdaRecorded; current: { ReservedConcurrency: number | null } }): Plan {
  const { functionArn: FunctionName, functionName, region, original, disabled } = i.recorded;
  const steps: StepSpec[] = [
    original.ReservedConcurrency === null
      ? call('restore-concurrency', `Remove ${functionName}'s reserved concurrency (it had none)`, region, 'DeleteFunctionConcurrency', {
          FunctionName,
        })
      : call(
          'restore-concurrency',
          `Put back ${functionName}'s reserved concurrency of ${original.ReservedConcurrency}`,
          region,
          'PutFunctionConcurrency',
          {
            FunctionName,
            ReservedConcurrentExecutions: original.ReservedConcurrency,
          },
        ),
    ...disabled.map((UUID) =>
      call(`enable-mapping-${UUID}`, `Enable the event source mapping ${UUID} again`, region, 'UpdateEventSourceMapping', {
        UUID,
        Enabled: true,
      }),
    ),
  ];
  const warnings =
    i.current.ReservedConcurrency !== 0 && i.current.ReservedConcurrency !== original.ReservedConcurrency
      ? [
          `${functionName}'s reserved concurrency was changed since the containment (now ${i.current.ReservedConcurrency ?? 'none'}); the release puts back the recorded value.`,
        ]
      : [];
  return { steps, recorded: { containment: i.recorded }, warnings };
}
