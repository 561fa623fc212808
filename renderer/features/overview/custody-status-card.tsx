import { useAction, useCall } from '../../lib/api';
import { caseTabPath } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';

/** Evidence count and the custody chain's state, verified on demand (it re-hashes every vault file). */
export function CustodyStatusCard({ caseNumber }: { caseNumber: string }) {
  const evidence = useCall('listEvidence', { caseNumber });
  const verify = useAction('verifyCustody');
  const result = verify.data;
  return (
    <div className="card" aria-label="Evidence and custody">
      <h2>Evidence and custody</h2>
      <p className="small">
        <a href={`#${caseTabPath(caseNumber, 'evidence')}`}>
          {evidence.data ? `${evidence.data.length} evidence item${evidence.data.length === 1 ? '' : 's'}` : '…'}
        </a>
        {evidence.data && evidence.data.length > 0 && ` · ${evidence.data.filter((e) => e.status === 'held').length} held`}
      </p>
      {result ? (
        <p className={`small ${result.intact ? 'ok' : 'danger'}`} role="status">
          {result.intact ? 'Intact' : 'BROKEN'}: {result.summary}{' '}
          <span className="muted">
            (verified <Time iso={result.verifiedAt} />)
          </span>
        </p>
      ) : (
        <p className="small muted">Chain of custody not verified in this session.</p>
      )}
      <button type="button" className="btn btn-xs" onClick={() => verify.mutate({ caseNumber })} disabled={verify.isPending}>
        {verify.isPending ? 'Verifying…' : 'Verify now'}
      </button>
      <ErrorBox error={verify.error ?? evidence.error} />
    </div>
  );
}
