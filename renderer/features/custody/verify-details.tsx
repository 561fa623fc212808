import type { VerificationResult } from '../../../common/contract/custody';
import { Time } from '../../components/time';

/**
 * What a verification concluded about the signed head, each checkpoint it
 * was given and each external anchor: each named by entry, hash and the
 * signer's fingerprint (a name alone proves nothing).
 */
export function VerifyDetails({ result }: { result: VerificationResult }) {
  const { head, checkpoints, anchors } = result;
  if (!head && checkpoints.length === 0 && anchors.length === 0) return null;
  return (
    <div className="small verify-details">
      {head && (
        <p>
          Signed head: entry {head.seq}, hash <span className="mono signer-fp">{head.hash}</span>, signed by {head.signer.name} (key{' '}
          <span className="mono signer-fp">{head.signer.fingerprint}</span>) at <Time iso={head.at} />.
        </p>
      )}
      {checkpoints.length > 0 && (
        <ul aria-label="Checkpoints checked">
          {checkpoints.map((c, k) => (
            <li key={k} className={c.ok ? 'check-ok' : 'check-bad'}>
              {c.ok ? '✔' : '✖'} {c.message}
            </li>
          ))}
        </ul>
      )}
      {anchors.length > 0 && (
        <ul aria-label="Anchors checked">
          {anchors.map((a, k) => (
            <li key={k} className={a.ok ? 'check-ok' : 'check-bad'}>
              {a.ok ? '✔' : '✖'} {a.kind === 's3' ? 'S3 Object Lock' : 'RFC 3161 time-stamp'}: {a.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
