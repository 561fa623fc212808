import * as z from 'zod';
import { channel, event } from './define';
import { NoInput, text } from './common';

/** A long piece of work (hashing, import, snapshot, memory dump) as the activity drawer shows it. */
export interface JobRecord {
  id: string;
  kind: string;
  label: string;
  caseNumber: string | null;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Units of work done and expected (bytes for I/O jobs); total is null when unknown. */
  done: number;
  total: number | null;
  unit: 'bytes' | 'records' | 'steps' | 'percent';
  /** Units per second over the recent window. */
  rate: number;
  etaSeconds: number | null;
  startedAt: string;
  finishedAt: string | null;
  message: string | null;
  error: { code: string; message: string; hint: string } | null;
}

export const jobsContract = {
  listJobs: channel<JobRecord[]>()(NoInput, 'Jobs of this session, newest first.'),
  cancelJob: channel<JobRecord>()(z.object({ jobId: text().uuid() }).strict(), 'Ask a running job to stop; it removes anything half-done.'),
};

/**
 * What changed in a case, named so a view can tell whether it shows it: the renderer refreshes only the
 * queries that read that part of that case (renderer/lib/changes.ts maps channels to these). A feature
 * that records something new adds its area here and says which channels show it there.
 */
export const CHANGE_AREAS = [
  'case',
  'tasks',
  'notes',
  'assets',
  'evidence',
  'custody',
  'timeline',
  'findings',
  'iocs',
  'actions',
  'incident',
  'reports',
  'analysis',
] as const;
export type ChangeArea = (typeof CHANGE_AREAS)[number];

/** `caseChanged`: which case (null for changes outside any case) and what part of it. */
export interface CaseChange {
  caseNumber: string | null;
  what: ChangeArea;
}

export const jobsEvents = {
  jobProgress: event<JobRecord>('A job started, progressed, or ended.'),
  caseChanged: event<CaseChange>('Something in a case changed (which case, what part of it); views showing that part refresh.'),
};
