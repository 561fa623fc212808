import type { CustodyEntry } from '../../../common/contract/custody';
import { CopyButton } from '../../components/copy-button';
import { Time } from '../../components/time';
import './custody.css';

const verb: Record<CustodyEntry['action'], string> = {
  acquired: 'acquired',
  imported: 'imported',
  'hash-verified': 'verified hashes',
  transferred: 'transferred',
  accessed: 'accessed',
  exported: 'exported',
  released: 'released',
  disposed: 'disposed of',
  note: 'noted',
  received: 'received',
  introduced: 'introduced a key:',
  resealed: 'resealed the ledger',
  anchored: 'anchored a checkpoint',
};

/** The ledger as readable sentences, each expandable to every signed field. */
export function LedgerList({ entries }: { entries: CustodyEntry[] }) {
  if (entries.length === 0) return <p className="muted">No custody entries yet.</p>;
  return (
    <ol className="ledger" aria-label="Custody ledger">
      {entries.map((e) => (
        <li key={e.seq} className={`ledger-entry action-${e.action}`}>
          <div className="row ledger-line">
            <span className="mono muted ledger-seq">{e.seq}</span>
            <Time iso={e.at} />
            <span className="grow">
              <strong>{e.actor.name}</strong> {verb[e.action]}
              {e.counterparty && (
                <>
                  {' '}
                  {e.counterparty.role === 'received-by' ? 'to' : e.counterparty.role === 'sent-by' ? 'from' : ''}{' '}
                  <strong>{e.counterparty.name}</strong>
                </>
              )}{' '}
              {e.evidence ? (
                <span>
                  #{e.evidence.id} {e.evidence.description}
                </span>
              ) : (
                <span className="muted">(case)</span>
              )}
              {e.purpose && <span className="muted"> — {e.purpose}</span>}
              {e.location && <span className="muted"> @ {e.location}</span>}
            </span>
            <span className="mono small" title={e.hash}>
              {e.hash.slice(0, 12)}…
            </span>
          </div>
          <details>
            <summary className="small muted">Signed details</summary>
            <dl className="facts small">
              <dt>Actor key</dt>
              <dd className="mono">{e.actor.fingerprint}</dd>
              {e.counterparty && (
                <>
                  <dt>
                    {e.counterparty.role === 'received-by'
                      ? 'Received by key'
                      : e.counterparty.role === 'sent-by'
                        ? 'Sender key'
                        : 'Introduced key'}
                  </dt>
                  <dd className="mono">{e.counterparty.fingerprint}</dd>
                </>
              )}
              <dt>Tool</dt>
              <dd>{e.tool}</dd>
              {e.hashes && (
                <>
                  <dt>Hashes observed</dt>
                  <dd className="mono">
                    {Object.entries(e.hashes)
                      .map(([k, v]) => `${k} ${v}`)
                      .join('  ')}
                  </dd>
                </>
              )}
              <dt>Entry hash</dt>
              <dd>
                <span className="mono">{e.hash}</span> <CopyButton value={e.hash} />
              </dd>
              <dt>Previous</dt>
              <dd className="mono">{e.prev}</dd>
              <dt>Signature</dt>
              <dd className="mono">{e.signature}</dd>
              {e.counterSignature && (
                <>
                  <dt>Receiver signature</dt>
                  <dd className="mono">{e.counterSignature}</dd>
                </>
              )}
            </dl>
          </details>
        </li>
      ))}
    </ol>
  );
}
