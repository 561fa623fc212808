import type { BundleVerification } from '../../../common/contract/reports';
import { CopyButton } from '../../components/copy-button';
import { Time } from '../../components/time';

/** What was checked in a bundle, line by line, and the verdict in plain words (never colour alone). */
export function BundleVerdict({ v }: { v: BundleVerification }) {
  return (
    <div className={`card bundle-verdict ${v.ok ? 'intact' : 'refused'}`} role="status" aria-label="Bundle verification">
      <strong>{v.ok ? '✔ Intact: every check passed' : `✖ Refused: ${v.reason ?? 'verification failed'}`}</strong>
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
