import type { SignerReport } from '../../../common/contract/custody';
import { CopyButton } from '../../components/copy-button';
import './custody.css';

const status = (s: SignerReport) => (s.status === 'untrusted' ? 'NOT trusted' : s.status);

/**
 * Every key of a custody record by name AND fingerprint, whether it is trusted
 * and why (a name alone proves nothing: anyone can sign under any name), and
 * the warnings a reader must see (two keys under one name).
 */
export function SignerList({ signers, source, warnings }: { signers: SignerReport[]; source: string; warnings: string[] }) {
  if (signers.length === 0) return null;
  return (
    <div className="signers small">
      <p className="muted">Trust anchors: {source}</p>
      <table className="data-table" aria-label="Signers">
        <thead>
          <tr>
            <th>Signer</th>
            <th>Key fingerprint</th>
            <th>Trust</th>
            <th>Entries</th>
          </tr>
        </thead>
        <tbody>
          {signers.map((s) => (
            <tr key={s.fingerprint} className={`signer-${s.status}`}>
              <td>{s.name}</td>
              <td>
                <span className="mono signer-fp">{s.fingerprint}</span> <CopyButton value={s.fingerprint} label="Copy fingerprint" />
              </td>
              <td>
                <strong>{status(s)}</strong> <span className="muted">({s.via})</span>
              </td>
              <td>{s.entries}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {warnings.map((w) => (
        <p key={w} className="signer-warning" role="alert">
          ⚠ {w}
        </p>
      ))}
    </div>
  );
}
