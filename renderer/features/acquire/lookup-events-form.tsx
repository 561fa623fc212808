import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { lastDays, listOf, lookupFilter, utcInstant, type LookupFilter } from './form-input';
import { JobLine, useJob } from './use-job';
import { TextField, WindowFields } from './fields';

const FILTERS: { id: LookupFilter; label: string; placeholder: string }[] = [
  { id: 'none', label: 'Every management event', placeholder: '' },
  { id: 'principal', label: 'Principal (user name)', placeholder: 'mallory' },
  { id: 'accessKeyId', label: 'Access key id', placeholder: 'AKIA…' },
  { id: 'eventName', label: 'Event name', placeholder: 'StopLogging' },
  { id: 'resourceName', label: 'Resource name', placeholder: 'i-0123456789abcdef0' },
  { id: 'eventSource', label: 'Event source', placeholder: 'iam.amazonaws.com' },
];

/**
 * CloudTrail event history (LookupEvents: the last 90 days of management events, no trail needed) for a
 * window across the case's regions: one evidence item per acquisition, its events in the timeline.
 */
export function LookupEventsForm({ caseNumber, regions, onEnd }: { caseNumber: string; regions: string[]; onEnd(): void }) {
  const initial = lastDays(1);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [regionText, setRegionText] = useState(regions.join(', '));
  const [filter, setFilter] = useState<LookupFilter>('none');
  const [value, setValue] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useAction('acquireLookupEvents', (r) => setJobId(r.jobId));
  const job = useJob(jobId, onEnd);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({
      caseNumber,
      window: { from: utcInstant(from), to: utcInstant(to) },
      regions: listOf(regionText),
      ...lookupFilter(filter, value),
    });
  };
  const shown = FILTERS.find((f) => f.id === filter)!;
  return (
    <form className="card stack" aria-label="CloudTrail event history" onSubmit={submit}>
      <h2>CloudTrail event history (LookupEvents)</h2>
      <p className="small muted">The last 90 days of management events in each region, without a trail. Needs cloudtrail:LookupEvents.</p>
      <div className="acquire-fields">
        <WindowFields from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <TextField label="Regions" value={regionText} onChange={setRegionText} placeholder="eu-west-1, us-east-1" />
        <label className="field">
          <span>Filter</span>
          <select value={filter} onChange={(e) => setFilter(e.target.value as LookupFilter)}>
            {FILTERS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {filter !== 'none' && (
          <label className="field">
            <span>{shown.label}</span>
            <input value={value} onChange={(e) => setValue(e.target.value)} placeholder={shown.placeholder} required />
          </label>
        )}
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={start.isPending || job?.state === 'running'}>
          Acquire event history
        </button>
      </div>
      <ErrorBox error={start.error} onDismiss={start.reset} />
      <JobLine job={job} />
    </form>
  );
}
