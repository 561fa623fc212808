import type { RuleSource } from '../detection/engine/types';
/**
 * What other features may write into a case timeline. Response actions record
 * each AWS call they make (request and result, secrets redacted) as events of
 * source `lariat`, so the investigator's own actions sit beside the attacker's.
 */
export interface TimelineEventInput {
  /** ISO-8601 UTC. */
  time: string;
  source: 'lariat' | 'cloudtrail' | 'guardduty' | 'securityhub' | 'vpcflow';
  action: string;
  actor?: string;
  resource?: string;
  region?: string;
  account?: string;
  errorCode?: string;
  severity?: string;
  raw: Record<string, unknown>;
}

export interface TimelineApi {
  appendEvents(caseNumber: string, events: TimelineEventInput[]): void;
}

/**
 * What the import hands to a per-batch hook once a batch of events is
 * committed (the Sigma detection engine's entry point). Called on the main
 * thread, synchronously, once per committed batch, in order; a hook that
 * throws does not undo the import (its error is reported on the job). The
 * texts are each record's canonical JSON (or flow log line), in the order of
 * `eventIds`; heavy matching belongs on a thread of its own, fed from here.
 */
export interface ImportedBatch {
  caseNumber: string;
  /** Events written by this batch, in record order (duplicates skipped are not in it). */
  eventIds: number[];
  /** Their sources (`cloudtrail`, `guardduty`...), same order. */
  sources: string[];
  /** Their records' text, same order; valid during the call only. */
  texts(): string[];
}

export type ImportBatchHook = (batch: ImportedBatch) => void;

/** What the parse thread needs to build the same rule set as the main thread (structured-cloneable). */
export interface ThreadRules {
  sources: RuleSource[];
  disabled: string[];
}

/** A detection hit: the stored event's id and the rule's index in the import's rule set. */
export interface ImportHit {
  eventId: number;
  rule: number;
  /** The values the correlation rules read from the record (see PackedFile.hitValues), when the parse thread took them. */
  values?: (string | null)[] | null;
  /** With `values`: the event's time as stored (`ts`), so the correlations need not read the event row back. */
  ts?: number;
}

/**
 * Import-time detection for one import into one case (the detection
 * feature's ImportDetection). Records are matched where they are parsed (the
 * parse thread builds the same rule set from `sources` and `disabled`, or
 * `matchRecord` on the main thread); hits are written with `record` inside
 * the transaction that writes their events, so a killed import leaves
 * neither events without their hits nor hits without their events.
 */
export interface ImportMatcher extends ThreadRules {
  matchRecord(record: unknown): number[];
  /** Stores hits; called inside the events' transaction. */
  record(hits: readonly ImportHit[]): void;
  /** The import is done: the scan covers its events, correlation rules run. */
  finish(): void;
  /** The import failed or was cancelled (what it committed keeps its hits). */
  abort(): void;
}

/** Starts import-time detection for a case (null: no rules run). */
export type ImportMatcherFactory = (caseNumber: string) => ImportMatcher | null;
