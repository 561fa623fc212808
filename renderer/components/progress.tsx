import { formatBytes, formatDuration } from './format';
import type { JobRecord } from '../../common/contract/jobs';

/** Progress bar with done/total, rate and time left, as text too. */
export function Progress({ job }: { job: Pick<JobRecord, 'done' | 'total' | 'unit' | 'rate' | 'etaSeconds' | 'state'> }) {
  const pct = job.total ? Math.min(100, (job.done / job.total) * 100) : null;
  const fmt = (n: number) => (job.unit === 'bytes' ? formatBytes(n) : n.toLocaleString('en-US'));
  return (
    <div className="progress-wrap">
      <progress max={100} value={pct ?? undefined} aria-label="progress" />
      <span className="num muted">
        {fmt(job.done)}
        {job.total != null ? ` / ${fmt(job.total)}` : ''}
        {job.state === 'running' && job.rate > 0 ? ` · ${fmt(job.rate)}/s` : ''}
        {job.state === 'running' && job.etaSeconds != null ? ` · ${formatDuration(job.etaSeconds)} left` : ''}
      </span>
    </div>
  );
}
