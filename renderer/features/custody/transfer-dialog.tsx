import { useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { ErrorBox } from '../../components/error-box';
import type { EvidenceItem, TransferDraft } from '../../../common/contract/custody';

/**
 * Transfer of custody: released by the current investigator, received by
 * another, both signing the same entry hash. A receiver whose key is on this
 * machine signs at once; one elsewhere signs a prepared entry with openssl
 * and their signature is pasted back.
 */
export function TransferDialog({
  caseNumber,
  items,
  initialItem,
  onClose,
}: {
  caseNumber: string;
  items: EvidenceItem[];
  initialItem: number | null;
  onClose(): void;
}) {
  const ids = useCall('listIdentities', {});
  const transfer = useAction('transferEvidence');
  const prepare = useAction('prepareTransfer');
  const [evidenceId, setEvidenceId] = useState<number>(initialItem ?? items[0]!.id);
  const [to, setTo] = useState('');
  const [purpose, setPurpose] = useState('');
  const [location, setLocation] = useState('');
  const [draft, setDraft] = useState<TransferDraft | null>(null);
  const [signature, setSignature] = useState('');
  const receivers = (ids.data ?? []).filter((i) => !i.current);
  const receiver = receivers.find((r) => r.fingerprint === to);
  const remote = receiver?.keyStorage === 'public-only';
  const base = { caseNumber, evidenceId, toFingerprint: to, purpose, location };
  const done = { onSuccess: onClose };

  return (
    <Dialog open title="Transfer custody" onClose={onClose} wide>
      <form
        className="stack"
        aria-label="Transfer custody"
        onSubmit={(e) => {
          e.preventDefault();
          if (!remote) transfer.mutate(base, done);
          else if (!draft) prepare.mutate(base, { onSuccess: (d) => setDraft(d) });
          else transfer.mutate({ ...base, draft: draft.body, counterSignature: signature.trim() }, done);
        }}
      >
        <label className="field">
          <span>Evidence item</span>
          <select value={evidenceId} onChange={(e) => (setEvidenceId(Number(e.target.value)), setDraft(null))} disabled={!!draft}>
            {items
              .filter((i) => i.status !== 'disposed')
              .map((i) => (
                <option key={i.id} value={i.id}>
                  #{i.id} {i.description}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>Received by</span>
          <select value={to} onChange={(e) => (setTo(e.target.value), setDraft(null))} required disabled={!!draft} aria-label="Received by">
            <option value="">choose the receiving investigator</option>
            {receivers.map((r) => (
              <option key={r.fingerprint} value={r.fingerprint}>
                {r.name} ({r.fingerprint.slice(0, 12)}…){' '}
                {r.keyStorage === 'public-only' ? '— signs on their machine' : '— key on this machine'}
              </option>
            ))}
          </select>
          {receivers.length === 0 && (
            <span className="muted">
              No other investigator is known. Add their public key in Settings, or create their identity on this machine.
            </span>
          )}
        </label>
        <div className="grid-2">
          <label className="field">
            <span>Purpose (required)</span>
            <input value={purpose} onChange={(e) => setPurpose(e.target.value)} required maxLength={500} disabled={!!draft} />
          </label>
          <label className="field">
            <span>Location</span>
            <input value={location} onChange={(e) => setLocation(e.target.value)} maxLength={200} disabled={!!draft} />
          </label>
        </div>
        {draft && (
          <div className="card stack">
            <p>
              Send this entry to {receiver?.name}. They save it byte for byte as <span className="mono">entry.json</span> and run:
            </p>
            <pre className="mono transfer-pre">{draft.signCommand}</pre>
            <div className="row">
              <span className="mono small grow">hash {draft.hash}</span>
              <CopyButton value={draft.body} label="Copy entry" />
              <CopyButton value={draft.signCommand} label="Copy command" />
            </div>
            <label className="field">
              <span>Their signature (base64)</span>
              <textarea className="mono" rows={2} value={signature} onChange={(e) => setSignature(e.target.value)} required />
            </label>
          </div>
        )}
        <ErrorBox error={ids.error ?? transfer.error ?? prepare.error} />
        <div className="row">
          <span className="grow" />
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!to || !purpose.trim() || transfer.isPending || prepare.isPending || (!!draft && !signature.trim())}
          >
            {!remote ? 'Sign and transfer' : draft ? 'Record transfer' : 'Prepare for their signature'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
