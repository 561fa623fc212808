import { useEffect, useRef, useState } from 'react';
import { call, onEvent } from '../../lib/api';
import type { JobRecord } from '../../../common/contract/jobs';
import { Progress } from '../../components/progress';

/**
 * Follows one job started by this view (through `jobProgress`, the same events the jobs drawer shows) and
 * calls `onEnd` once when it stops, so the view can reload what the job recorded. The job list is asked
 * once too: a job that ended before the subscription would otherwise never be seen ending.
 */
export function useJob(jobId: string | null, onEnd?: (job: JobRecord) => void): JobRecord | null {
  const [job, setJob] = useState<JobRecord | null>(null);
  const ended = useRef<string | null>(null);
  const endRef = useRef(onEnd);
  endRef.current = onEnd;
  useEffect(() => {
    setJob(null);
    if (!jobId) return;
    let live = true;
    const seen = (j: JobRecord) => {
      if (!live || j.id !== jobId) return;
      setJob(j);
      if (j.state !== 'running' && ended.current !== j.id) {
        ended.current = j.id;
        endRef.current?.(j);
      }
    };
    const off = onEvent('jobProgress', seen);
    call('listJobs', {})
      .then((list) => list.filter((j) => j.id === jobId).forEach(seen))
      .catch(() => undefined);
    return () => {
      live = false;
      off();
    };
  }, [jobId]);
  return job;
}

/** A job's progress in place, with Cancel while it runs and what went wrong when it failed. */
export function JobLine({ job }: { job: JobRecord | null }) {
  if (!job) return null;
  return (
    <div className="acquire-job" role="status" aria-label={`Job ${job.label}`} data-job-state={job.state}>
      <div className="row">
        <strong className="grow">{job.label}</strong>
        <span className={job.state === 'failed' ? 'danger' : job.state === 'done' ? 'ok' : 'muted'}>{job.state}</span>
        {job.state === 'running' && (
          <button type="button" className="btn btn-xs" onClick={() => void call('cancelJob', { jobId: job.id })}>
            Cancel
          </button>
        )}
      </div>
      <Progress job={job} />
      {job.message && <div className="small">{job.message}</div>}
      {job.error && (
        <div className="small danger" role="alert">
          {job.error.message} <span className="muted">{job.error.hint}</span>
        </div>
      )}
    </div>
  );
}
