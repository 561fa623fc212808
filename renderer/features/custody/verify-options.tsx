import { useState } from 'react';
import { useCall } from '../../lib/api';

export interface VerifyExtras {
  trust?: string[];
  checkpoints?: string[];
}

const FINGERPRINT = /\b[0-9a-f]{64}\b/g;

/** Splits pasted text into checkpoints: each is a JSON line followed by its signature line. */
export function splitCheckpoints(text: string): string[] {
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith('{')) {
      out.push(`${lines[i]}\n${lines[i + 1] ?? ''}\n`);
      i++;
    }
  }
  return out;
}

/**
 * Verification against what was obtained outside this data folder, which
 * someone with write access to it cannot have changed: fingerprints
 * confirmed with their owners (replacing the trust list, like `--trust`) and
 * checkpoints kept earlier (like `--checkpoint`).
 */
export function VerifyOptions({ busy, onVerify }: { busy: boolean; onVerify(extras: VerifyExtras): void }) {
  const trusted = useCall('listTrustedKeys', {});
  const [fps, setFps] = useState('');
  const [cps, setCps] = useState('');
  const trust = [...new Set(fps.toLowerCase().match(FINGERPRINT) ?? [])];
  const checkpoints = splitCheckpoints(cps);
  return (
    <details className="card small verify-options">
      <summary>Verify against fingerprints or checkpoints from outside…</summary>
      <p className="muted">
        By default <em>Verify</em> trusts this data folder&apos;s trust list
        {trusted.data &&
          ` (${trusted.data.length} key${trusted.data.length === 1 ? '' : 's'}: ${trusted.data.map((k) => k.name).join(', ')})`}
        , which anyone who can write here could edit. Fingerprints given here replace it for this verification.
      </p>
      <form
        className="stack"
        aria-label="Verify with"
        onSubmit={(e) => {
          e.preventDefault();
          onVerify({ ...(trust.length ? { trust } : {}), ...(checkpoints.length ? { checkpoints } : {}) });
        }}
      >
        <label className="field">
          <span>Trusted fingerprints (confirmed by phone or in person), one per line</span>
          <textarea className="mono" rows={2} value={fps} onChange={(e) => setFps(e.target.value)} aria-label="Trusted fingerprints" />
        </label>
        <label className="field">
          <span>Earlier checkpoints (both lines each, as kept in a ticket, an email or a report)</span>
          <textarea className="mono" rows={3} value={cps} onChange={(e) => setCps(e.target.value)} aria-label="Earlier checkpoints" />
        </label>
        <div className="row">
          <span className="muted grow">
            {trust.length} fingerprint(s), {checkpoints.length} checkpoint(s)
          </span>
          <button type="submit" className="btn" disabled={busy || (trust.length === 0 && checkpoints.length === 0)}>
            Verify with these
          </button>
        </div>
      </form>
    </details>
  );
}
