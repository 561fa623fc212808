import { useQueryClient } from '@tanstack/react-query';
import type { TabProps } from '../case/tab-types';
import { useCall } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { LookupEventsForm } from './lookup-events-form';
import { BucketForm } from './bucket-form';
import { ValidationPanel } from './validation-panel';
import { CoverageGrid } from './coverage-grid';
import { AthenaSetup } from './athena-setup';
import { AthenaQuery } from './athena-query';
import { AcquisitionsList } from './acquisitions-list';
import './acquire.css';

const VIEWS = [
  { id: 'history', label: 'Event history' },
  { id: 'bucket', label: 'Log bucket' },
  { id: 'validation', label: 'Validation' },
  { id: 'coverage', label: 'Coverage' },
  { id: 'athena', label: 'Athena' },
] as const;
type View = (typeof VIEWS)[number]['id'];

/**
 * Acquire evidence from AWS into this case: CloudTrail event history, a trail's or bucket's logs (listed
 * first, then downloaded), their offline validation, the logging coverage, and Athena for what does not
 * fit on the laptop. Everything acquired is listed below with its state; custody names each source.
 */
export function AcquireTab({ caseRecord, query }: TabProps) {
  const caseNumber = caseRecord.number;
  const client = useQueryClient();
  const list = useCall('listAcquisitions', { caseNumber });
  const view: View = VIEWS.find((v) => v.id === query.get('view'))?.id ?? 'history';
  const refresh = () => void client.invalidateQueries({ queryKey: ['listAcquisitions'] });
  const setups = (list.data ?? []).filter((a) => a.kind === 'athena-setup' && a.state === 'done');
  if (caseRecord.readOnly)
    return (
      <p className="muted">This case is read-only: nothing can be acquired into it. Its acquisitions are listed in Evidence and Custody.</p>
    );
  return (
    <div className="acquire stack">
      <nav className="acquire-views" aria-label="Acquire from AWS">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className={`btn btn-xs${v.id === view ? ' btn-primary' : ' btn-ghost'}`}
            aria-pressed={v.id === view}
            onClick={() => navigate(caseTabPath(caseNumber, 'acquire'), { view: v.id })}
          >
            {v.label}
          </button>
        ))}
      </nav>
      {view === 'history' && <LookupEventsForm caseNumber={caseNumber} regions={caseRecord.regions} onEnd={refresh} />}
      {view === 'bucket' && <BucketForm caseNumber={caseNumber} regions={caseRecord.regions} onEnd={refresh} />}
      {view === 'validation' && <ValidationPanel caseNumber={caseNumber} />}
      {view === 'coverage' && <CoverageGrid caseNumber={caseNumber} regions={caseRecord.regions} />}
      {view === 'athena' && (
        <>
          <AthenaSetup caseNumber={caseNumber} onEnd={refresh} />
          <AthenaQuery caseNumber={caseNumber} setups={setups} onEnd={refresh} />
        </>
      )}
      <section className="stack" aria-label="Acquisitions from AWS">
        <h2>Acquired from AWS</h2>
        <ErrorBox error={list.error} />
        {list.data && <AcquisitionsList list={list.data} onEnd={refresh} />}
      </section>
    </div>
  );
}
