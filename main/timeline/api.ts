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
