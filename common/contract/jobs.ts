import { z } from 'zod';
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

export const jobsEvents = {
  jobProgress: event<JobRecord>('A job started, progressed, or ended.'),
  caseChanged: event<{ caseNumber: string | null; what: string }>('Something in a case changed; views of it should refresh.'),
};
