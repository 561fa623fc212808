import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AwsClients } from '../../../main/aws/clients';
import type { AwsService } from '../../../main/aws/operations';
import type { EvidenceApi, EvidenceSummary } from '../../../main/custody/api';
import type { StepContext } from '../../../main/response/executors';
import type { StepSpec } from '../../../main/response/plans/types';

export const REGION = 'eu-west-1';

/** Evidence written by a step: name, bytes and metadata, held in memory (the vault's own tests cover the vault). */
export interface Saved {
  name: string;
  bytes: Buffer;
  meta: Record<string, unknown>;
}

/** An EvidenceApi that keeps what is saved, deduplicating by content as the vault does. */
export function memoryEvidence(saved: Saved[]): EvidenceApi {
  const summary = (i: number, duplicate: boolean): EvidenceSummary =>
    ({
      id: i + 1,
      caseNumber: 'IR-1',
      kind: 'file',
      description: '',
      size: saved[i]!.bytes.byteLength,
      hashes: { sha256: 'x' },
      vaultPath: null,
      duplicate,
    }) as EvidenceSummary;
  const add = (name: string, bytes: Buffer, meta: Record<string, unknown>) => {
    const at = saved.findIndex((s) => s.bytes.equals(bytes));
    if (at >= 0) return summary(at, true);
    saved.push({ name, bytes, meta });
    return summary(saved.length - 1, false);
  };
  return {
    importBytes: async (_c: string, name: string, bytes: Uint8Array, meta: Record<string, unknown>) => add(name, Buffer.from(bytes), meta),
    stageFile: async (
      _c: string,
      source: string,
      _job: unknown,
      copier: (
        s: string,
        d: string,
        o: object,
      ) => Promise<{ tempPath: string; size: number; hashes: { md5: string; sha1: string; sha256: string } }>,
    ) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lariat-stage-'));
      const got = await copier(source, dir, {});
      return { source, ...got };
    },
    commitStaged: (_c: string, staged: { tempPath: string }, meta: Record<string, unknown>) => {
      return add(String(meta.description), fs.readFileSync(staged.tempPath), meta);
    },
  } as unknown as EvidenceApi;
}

/** A StepContext for one step of a plan, with real AwsClients (the SDK clients are mocked or modelled by the test). */
export function stepContext(step: StepSpec, saved: Saved[] = [], signal = new AbortController().signal): StepContext {
  const clients = new AwsClients({
    credentials: async () => ({ accessKeyId: 'AKIATEST', secretAccessKey: 'x' }),
    sleep: async () => undefined,
    throttleRetries: 2,
    maxAttempts: 1,
  });
  return {
    clients,
    evidence: memoryEvidence(saved),
    records: { findEvidence: () => null, hasCustody: () => false },
    caseNumber: 'IR-1',
    actionId: 1,
    target: {
      type: step.service === 'lambda' ? 'lambda-function' : 's3-bucket',
      id: String(step.request.Bucket ?? step.request.FunctionName ?? ''),
      region: step.region,
    },
    instanceId: String(step.request.Bucket ?? step.request.FunctionName ?? ''),
    account: '111122223333',
    key: step.key,
    service: step.service as AwsService | 'lariat',
    region: step.region,
    operation: step.operation,
    request: step.request,
    options: {},
    recorded: {},
    results: new Map(),
    toolVersion: '0.1.0',
    signal,
    sleep: async () => undefined,
    pollMs: 0,
    now: () => new Date('2026-11-30T00:00:00Z'),
    progress: () => undefined,
    onRetry: () => undefined,
  };
}
