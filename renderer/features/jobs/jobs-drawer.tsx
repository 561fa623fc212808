import { useEffect, useRef, useState } from 'react';
import { call, onEvent } from '../../lib/api';
import type { JobRecord } from '../../../common/contract/jobs';
import { Progress } from '../../components/progress';
import { Time } from '../../components/time';
import { useEscapeToClose } from '../../lib/escape';

/** Live list of jobs, kept up to date from `jobProgress` events. */
export function useJobs(): JobRecord[] {
  const [jobs, setJobs] = useState<JobRecord[]>([]);
  useEffect(() => {
    let live = true;
    call('listJobs', {})
      .then((list) => live && setJobs(list))
      .catch(() => undefined);
    const off = onEvent('jobProgress', (job) => setJobs((prev) => [job, ...prev.filter((j) => j.id !== job.id)]));
    return () => {
      live = false;
      off();
    };
  }, []);
  return jobs;
}

/**
 * Whether the drawer is open: only when the investigator asks, or when a job fails (so an error is never
 * missed). A job that starts or succeeds does not open it: the view that started it shows its progress,
 * and the title bar counts what runs. Jobs that had failed before this window opened do not open it.
 */
export function useJobsDrawer(jobs: JobRecord[]): [boolean, (open: boolean | ((o: boolean) => boolean)) => void] {
  const [open, setOpen] = useState(false);
  const since = useRef(Date.now());
  const shown = useRef(new Set<string>());
  useEffect(() => {
    const fresh = jobs.filter(
      (j) => j.state === 'failed' && !shown.current.has(j.id) && Date.parse(j.finishedAt ?? j.startedAt) >= since.current - 1000,
    );
    for (const j of fresh) shown.current.add(j.id);
    if (fresh.length) setOpen(true);
  }, [jobs]);
  return [open, setOpen];
}

/** The activity drawer: what runs, progress, rate, time left, cancel, and how each job ended. */
export function JobsDrawer({ jobs, onClose }: { jobs: JobRecord[]; onClose(): void }) {
  // Esc closes the drawer and returns to the title bar's Jobs button that opens it.
  useEscapeToClose(onClose, () => document.querySelector<HTMLElement>('button[aria-controls="jobs-drawer"]'));
  return (
    <aside id="jobs-drawer" className="jobs-drawer" aria-label="Jobs">
      <div className="row">
        <h2 className="grow">Jobs</h2>
        <button type="button" className="btn btn-ghost btn-xs" onClick={onClose}>
          Close
        </button>
      </div>
      {jobs.length === 0 && <p className="muted">No jobs yet. Imports, hashing, snapshots and memory dumps show their progress here.</p>}
      <ul>
        {jobs.map((j) => (
          <li key={j.id} data-job-state={j.state}>
            <div className="row">
              <strong className="grow">{j.label}</strong>
              <span className={j.state === 'failed' ? 'danger' : j.state === 'done' ? 'ok' : 'muted'}>{j.state}</span>
            </div>
            <div className="small muted">
              {j.caseNumber ?? ''} · started <Time iso={j.startedAt} />
            </div>
            <Progress job={j} />
            {j.message && <div className="small">{j.message}</div>}
            {j.error && (
              <div className="small danger">
                {j.error.message} <span className="muted">{j.error.hint}</span>
              </div>
            )}
            {j.state === 'running' && (
              <button type="button" className="btn btn-xs" onClick={() => void call('cancelJob', { jobId: j.id })}>
                Cancel
              </button>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
