import { useState } from 'react';
import type { TabProps } from '../case/tab-types';
import { useAction, useCall } from '../../lib/api';
import { chooseSaveLocation } from '../../lib/files';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import { LedgerList } from './ledger-list';
import { TransferDialog } from './transfer-dialog';
import { SignerList } from './signer-list';
import { CheckpointBox } from './checkpoint-box';
import { VerifyOptions, type VerifyExtras } from './verify-options';
import { VerifyDetails } from './verify-details';
import './custody.css';

/** The case's custody ledger, per-item filter, transfer, note, verification in plain words, and export. */
export function CustodyTab({ caseRecord, query }: TabProps) {
  const n = caseRecord.number;
  const [item, setItem] = useState<number | null>(query.get('item') ? Number(query.get('item')) : null);
  const items = useCall('listEvidence', { caseNumber: n });
  const ledger = useCall('listCustody', item == null ? { caseNumber: n } : { caseNumber: n, evidenceId: item });
  const verify = useAction('verifyCustody');
  const exp = useAction('exportCustody');
  const note = useAction('addCustodyNote');
  const [noteText, setNoteText] = useState('');
  const [transferOpen, setTransferOpen] = useState(false);
  const [chooseError, setChooseError] = useState<Error | null>(null);
  const writable = !caseRecord.readOnly;
  const result = verify.data;
  const runVerify = (extras: VerifyExtras = {}) => verify.mutate({ caseNumber: n, ...extras });

  return (
    <div className="custody-tab">
      <div className="toolbar">
        <label className="row small">
          <span className="muted">Show</span>
          <select
            aria-label="Evidence item filter"
            value={item ?? ''}
            onChange={(e) => setItem(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">all entries</option>
            {items.data?.map((i) => (
              <option key={i.id} value={i.id}>
                #{i.id} {i.description}
              </option>
            ))}
          </select>
        </label>
        <span className="grow" />
        {writable && (
          <button type="button" className="btn" onClick={() => setTransferOpen(true)} disabled={!items.data?.length}>
            Transfer…
          </button>
        )}
        <button
          type="button"
          className="btn"
          onClick={() =>
            void chooseSaveLocation('custody-export', n).then((out) => out && exp.mutate({ caseNumber: n, out: out.token }), setChooseError)
          }
          disabled={exp.isPending}
        >
          Export for verification…
        </button>
        <button type="button" className="btn btn-primary" onClick={() => runVerify()} disabled={verify.isPending}>
          {verify.isPending ? 'Verifying…' : 'Verify'}
        </button>
      </div>
      <ErrorBox error={verify.error ?? exp.error ?? chooseError ?? ledger.error ?? note.error} />
      <VerifyOptions busy={verify.isPending} onVerify={runVerify} />
      {result && (
        <div className={`card verify-result ${result.intact ? 'intact' : 'broken'}`} role="status" aria-label="Verification result">
          <strong>{result.intact ? '✔ Intact' : '✖ Broken'}</strong>{' '}
          {result.intact
            ? `${result.entries} custody entries: every hash and signature checks out; ${result.files} vault file(s) match their recorded SHA-256.`
            : result.summary.replace(/^broken: /, '')}
          <span className="muted small">
            {' '}
            (checked <Time iso={result.verifiedAt} />)
          </span>
          {result.problems.length > 1 && (
            <ul className="small">
              {result.problems.slice(1, 20).map((p, k) => (
                <li key={k}>{p.message}</li>
              ))}
            </ul>
          )}
          <VerifyDetails result={result} />
          <SignerList signers={result.signers} source={result.trust.source} warnings={result.warnings} />
          {result.received && (
            <p className="small">
              The sender&apos;s record of case <span className="mono">{result.received.senderCaseNumber}</span> was re-verified from the
              bundle this case keeps: {result.received.entries} entries, {result.received.files} evidence file(s), exported by{' '}
              {result.received.exporter.name} (key <span className="mono">{result.received.exporter.fingerprint}</span>).
            </p>
          )}
          {result.strayFiles.length > 0 && (
            <p className="small muted">
              {result.strayFiles.length} file(s) in the vault folder are not evidence (left by an interrupted import):{' '}
              {result.strayFiles.join(', ')}
            </p>
          )}
        </div>
      )}
      {exp.data && (
        <div className="notice" role="status">
          Exported {exp.data.entries} entries (up to the signed checkpoint of entry {exp.data.checkpoint.seq}), {exp.data.keys} public
          key(s) and {exp.data.files} file hashes to <span className="mono">{exp.data.dir}</span>. Anyone can check it with{' '}
          <span className="mono">sh verify.sh {exp.data.signers.map((p) => `--trust ${p.fingerprint.slice(0, 12)}… `).join('')}VAULT</span>{' '}
          (see VERIFY.md there); give them each fingerprint by another channel.
        </div>
      )}
      <CheckpointBox caseNumber={n} writable={writable} onVerify={(checkpoint) => runVerify({ checkpoints: [checkpoint] })} />
      {writable && (
        <form
          className="row custody-note"
          aria-label="Add custody note"
          onSubmit={(e) => {
            e.preventDefault();
            note.mutate({ caseNumber: n, evidenceId: item, note: noteText }, { onSuccess: () => setNoteText('') });
          }}
        >
          <input
            className="grow"
            placeholder={item == null ? 'Signed note for the case ledger' : `Signed note about item #${item}`}
            value={noteText}
            onChange={(e) => setNoteText(e.target.value)}
            maxLength={5000}
            aria-label="Custody note"
          />
          <button type="submit" className="btn" disabled={!noteText.trim() || note.isPending}>
            Add note
          </button>
        </form>
      )}
      {ledger.data && <LedgerList entries={ledger.data} />}
      {transferOpen && items.data && (
        <TransferDialog caseNumber={n} items={items.data} initialItem={item} onClose={() => setTransferOpen(false)} />
      )}
    </div>
  );
}
