import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { CopyButton } from '../../components/copy-button';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import { AnchorList } from './anchor-list';
import { IntroduceKey } from './introduce-key';
import './custody.css';

/**
 * The ledger's signed head as a checkpoint, and the external anchors that
 * keep such checkpoints where whoever can write to this data folder cannot:
 * a ticket or an email (placed by hand, then recorded here, signed), an S3
 * Object Lock bucket or an RFC 3161 authority (published). Only an anchor
 * kept outside shows a ledger rolled back to an earlier signed point.
 */
export function CheckpointBox({
  caseNumber,
  writable,
  onVerify,
}: {
  caseNumber: string;
  writable: boolean;
  onVerify(checkpoint: string): void;
}) {
  const checkpoint = useAction('getCustodyCheckpoint');
  const record = useAction('recordAnchor');
  const publish = useAction('anchorCustody');
  const anchors = useCall('listAnchors', { caseNumber });
  const settings = useCall('getAnchorSettings', {});
  const [where, setWhere] = useState('');
  const cp = checkpoint.data;
  const targets = [settings.data?.s3 && 'S3 Object Lock', settings.data?.tsa && 'the time-stamp authority'].filter(Boolean).join(' and ');
  const shortForm = cp && `${cp.case} custody entry ${cp.seq} sha256:${cp.hash}`;
  return (
    <section className="card stack small checkpoint-box" aria-label="Checkpoint and anchors">
      <h3>Signed head and external anchors</h3>
      <p className="muted">
        Anyone who can write to this data folder could roll the ledger back to an earlier signed point. Sign the current head and keep it
        where they cannot write (paste it into a ticket, email it to counsel): verifying later with it proves no entry was removed or
        rewritten.
      </p>
      <ErrorBox error={checkpoint.error ?? record.error ?? publish.error ?? anchors.error} />
      <div className="row">
        <button type="button" className="btn btn-xs" onClick={() => checkpoint.mutate({ caseNumber })} disabled={checkpoint.isPending}>
          Sign the current head
        </button>
        {writable && targets && (
          <button type="button" className="btn btn-xs" onClick={() => publish.mutate({ caseNumber })} disabled={publish.isPending}>
            {publish.isPending ? 'Publishing…' : `Publish to ${targets}`}
          </button>
        )}
        {settings.data && !targets && (
          <span className="muted">No S3 Object Lock bucket or time-stamp authority is configured (Settings → External anchors).</span>
        )}
      </div>
      {cp && shortForm && (
        <div className="stack head-card" role="group" aria-label="Signed head">
          <p>
            Entry <strong>{cp.seq}</strong>, signed by {cp.signer.name} (key <span className="mono signer-fp">{cp.signer.fingerprint}</span>
            ) at <Time iso={cp.at} />.
          </p>
          <p>
            For a ticket subject or a phone call: <span className="mono signer-fp">{shortForm}</span>{' '}
            <CopyButton value={shortForm} label="Copy head digest" />
          </p>
          <pre className="mono checkpoint-text" aria-label="Signed checkpoint">
            {cp.text}
          </pre>
          <div className="row">
            <CopyButton value={cp.text} label="Copy checkpoint" />
            <span className="muted">paste both lines unchanged; a verifier is given them with --checkpoint</span>
          </div>
          {writable && (
            <form
              className="row"
              aria-label="Record an anchor"
              onSubmit={(e) => {
                e.preventDefault();
                record.mutate({ caseNumber, checkpoint: cp.text, where }, { onSuccess: () => setWhere('') });
              }}
            >
              <input
                className="grow"
                value={where}
                onChange={(e) => setWhere(e.target.value)}
                maxLength={500}
                placeholder="Where you placed it, e.g. ServiceNow INC0012345 or email to counsel"
                aria-label="Where the checkpoint was placed"
              />
              <button type="submit" className="btn btn-xs" disabled={!where.trim() || record.isPending}>
                Record anchor (signed)
              </button>
            </form>
          )}
        </div>
      )}
      {anchors.data && <AnchorList anchors={anchors.data} onVerify={onVerify} />}
      {writable && <IntroduceKey caseNumber={caseNumber} />}
    </section>
  );
}
