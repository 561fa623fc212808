import { AppError } from '../core/errors';
import type { AwsService } from '../aws/operations';
import { type StepContext, causeCode, read } from './executors/context';

/** A read-only AWS call in one region (AwsClients.call bound to a region and signal), injected into the evidence collectors. */
export type Read = <T = Record<string, unknown>>(service: AwsService, operation: string, params: Record<string, unknown>) => Promise<T>;

/** The step's read-only calls as a `Read` (for the guards and evidence steps). */
export const readerOf =
  (ctx: StepContext): Read =>
  <T>(service: AwsService, operation: string, params: Record<string, unknown>) =>
    read<T>(ctx, service, operation, params);

/**
 * Reads a setting whose absence AWS reports as an error (NoSuchBucketPolicy,
 * ResourceNotFoundException...): that one code means "never configured" and
 * reads as null; any other failure (denied, throttled) is not an answer and
 * is thrown, so "no policy" is never recorded for "could not look".
 */
export async function orAbsent<T>(absentCodes: readonly string[], get: () => Promise<T>): Promise<T | null> {
  try {
    return await get();
  } catch (err) {
    if (absentCodes.includes(causeCode(err))) return null;
    throw err;
  }
}

/**
 * A part of the evidence that is worth having but not needed to restore the
 * resource: a failure is kept in `notCaptured` with its reason, and the
 * containment goes on.
 */
export async function bestEffort<T>(part: string, notCaptured: Record<string, string>, get: () => Promise<T>): Promise<T | null> {
  try {
    return await get();
  } catch (err) {
    if (err instanceof AppError && (err.code === 'cancelled' || err.code === 'lease-lost')) throw err;
    notCaptured[part] = err instanceof Error ? `${err.message} (${causeCode(err)})` : String(err);
    return null;
  }
}

/** Deep equality of two JSON policy documents given as strings (AWS may re-serialise what it stores). */
export function samePolicy(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return a == b;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return a === b;
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
