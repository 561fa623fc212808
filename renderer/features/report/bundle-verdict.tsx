import type { BundleVerification } from '../../../common/contract/reports';
import { CopyButton } from '../../components/copy-button';
import { Time } from '../../components/time';
import { SignerList } from '../custody/signer-list';

/** What was checked in a bundle, line by line, who signed it (name and fingerprint), and the verdict in plain words (never colour alone). */
export function BundleVerdict({ v }: { v: BundleVerification }) {
  const headline = v.ok
    ? '✔ Intact: every check passed, and its signers are trusted here'
    : v.intact
      ? '⚠ Intact, but not trusted yet: nothing changed since it was signed, by a key you have not confirmed'
      : `✖ Refused: ${v.reason ?? 'verification failed'}`;
  return (
    <div className={`card bundle-verdict ${v.ok ? 'intact' : 'refused'}`} role="status" aria-label="Bundle verification">
      <strong>{headline}</strong>
      {v.caseNumber && (
        <p className="small">
          Case <span className="mono">{v.caseNumber}</span> {v.caseTitle}
          {v.exportedAt && (
            <>
              , exported <Time iso={v.exportedAt} />
            </>
          )}
          {v.exporter && <> by {v.exporter.name}</>}
        </p>
      )}
      {v.exporter && (
        <p className="small">
          Signer key <span className="mono">{v.exporter.fingerprint}</span>{' '}
          <CopyButton value={v.exporter.fingerprint} label="Copy fingerprint" />
          <br />
          <span className="muted">Compare this fingerprint with the sender by phone or in person before relying on the bundle.</span>
        </p>
      )}
      {v.checkpoint && (
        <p className="small muted">
          Its ledger ends at entry {v.checkpoint.seq}, signed by {v.checkpoint.signer.name} at <Time iso={v.checkpoint.at} />.
        </p>
      )}
      <SignerList signers={v.signers} source="this data folder's trust list, plus the fingerprints you confirm" warnings={v.warnings} />
      <ul className="bundle-checks small" aria-label="Checks performed">
        {v.checks.map((c) => (
          <li key={c.name}>
            <span className={c.ok ? 'ok' : 'fail'}>{c.ok ? 'ok' : 'FAIL'}</span>
            <span>{c.name}</span>
            <span>{c.detail}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
