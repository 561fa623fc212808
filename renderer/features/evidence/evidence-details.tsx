import { useEffect, useRef, useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import { formatBytes } from '../../components/format';
import { LedgerList } from '../custody/ledger-list';

function Hash({ label, value }: { label: string; value: string | null }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {value ? (
          <>
            <span className="mono">{value}</span> <CopyButton value={value} />
          </>
        ) : (
          <span className="muted">not recorded</span>
        )}
      </dd>
    </>
  );
}

/** Everything recorded about one item, its custody entries, and release/dispose. */
export function EvidenceDetails({
  caseNumber,
  evidenceId,
  writable,
  onClose,
}: {
  caseNumber: string;
  evidenceId: number;
  writable: boolean;
  onClose(): void;
}) {
  const q = useCall('getEvidence', { caseNumber, evidenceId });
  const status = useAction('setEvidenceStatus');
  const [asking, setAsking] = useState<'released' | 'disposed' | null>(null);
  const [purpose, setPurpose] = useState('');
  const i = q.data?.item;
  const ref = useRef<HTMLElement>(null);
  // Opened from a row near the bottom of the window: bring the details into view, as little as needed.
  useEffect(() => {
    if (i) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [evidenceId, !!i]);
  return (
    <section ref={ref} className="card evidence-details" aria-label={`Evidence item ${evidenceId}`}>
      <ErrorBox error={q.error} />
      {i && (
        <>
          <header className="row">
            <h2 className="grow">
              #{i.id} {i.description}
            </h2>
            {writable && i.status !== 'disposed' && (
              <>
                <button type="button" className="btn btn-xs" onClick={() => setAsking('released')}>
                  Release…
                </button>
                <button type="button" className="btn btn-xs" onClick={() => setAsking('disposed')}>
                  Dispose…
                </button>
              </>
            )}
            <button type="button" className="btn btn-ghost btn-xs" onClick={onClose}>
              Close
            </button>
          </header>
          <dl className="facts">
            <dt>Kind</dt>
            <dd>{i.kind}</dd>
            <dt>Status</dt>
            <dd>
              {i.status}, custodian {i.custodian}
              {i.custodianFingerprint && <span className="mono muted"> ({i.custodianFingerprint.slice(0, 12)}…)</span>}
            </dd>
            <dt>Size</dt>
            <dd className="num">{i.size == null ? '—' : `${formatBytes(i.size)} (${i.size.toLocaleString('en-US')} bytes)`}</dd>
            <Hash label="SHA-256" value={i.sha256} />
            <Hash label="SHA-1" value={i.sha1} />
            <Hash label="MD5" value={i.md5} />
            <dt>Source</dt>
            <dd>
              {[i.source.path, i.source.account && `account ${i.source.account}`, i.source.region, i.source.resource]
                .filter(Boolean)
                .join(' · ') || '—'}
            </dd>
            <dt>Acquired</dt>
            <dd>
              <Time iso={i.acquisition.at} /> by {i.acquisition.by} with {i.acquisition.tool}
              {i.acquisition.host && ` on ${i.acquisition.host}`}
            </dd>
            <dt>Method</dt>
            <dd>{i.acquisition.method || '—'}</dd>
            <dt>Stored</dt>
            <dd className="mono">{i.vaultPath ?? 'held by reference (not in the vault)'}</dd>
          </dl>
          <h3>Custody of this item</h3>
          <LedgerList entries={q.data?.entries ?? []} />
        </>
      )}
      <Dialog
        open={asking !== null}
        title={asking === 'released' ? 'Release evidence' : 'Dispose of evidence'}
        onClose={() => setAsking(null)}
      >
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (asking)
              status.mutate({ caseNumber, evidenceId, status: asking, purpose }, { onSuccess: () => (setAsking(null), setPurpose('')) });
          }}
        >
          <p className="muted">This is signed into the custody ledger with your key and cannot be undone.</p>
          <label className="field">
            <span>Reason (required)</span>
            <input value={purpose} onChange={(e) => setPurpose(e.target.value)} required maxLength={500} autoFocus />
          </label>
          <ErrorBox error={status.error} />
          <div className="row">
            <span className="grow" />
            <button
              type="submit"
              className={asking === 'disposed' ? 'btn btn-danger' : 'btn btn-primary'}
              disabled={status.isPending || !purpose.trim()}
            >
              {asking === 'released' ? 'Record release' : 'Record disposal'}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
