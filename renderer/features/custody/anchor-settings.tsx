import { useEffect, useState } from 'react';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import './custody.css';

/**
 * Settings panel: where checkpoints are published beyond anyone with access
 * to this data folder or the investigator's key. Both are off by default, and
 * then Lariat never goes online for custody; checkpoints can still be placed
 * by hand (a ticket, an email) from a case's Custody tab.
 */
export function AnchorSettingsPanel() {
  const current = useCall('getAnchorSettings', {});
  const save = useAction('setAnchorSettings');
  const [bucket, setBucket] = useState('');
  const [region, setRegion] = useState('');
  const [prefix, setPrefix] = useState('');
  const [days, setDays] = useState('3650');
  const [tsa, setTsa] = useState('');
  useEffect(() => {
    const s3 = current.data?.s3;
    if (s3) {
      setBucket(s3.bucket);
      setRegion(s3.region);
      setPrefix(s3.prefix);
      setDays(String(s3.retentionDays));
    }
    if (current.data?.tsa) setTsa(current.data.tsa.url);
  }, [current.data]);
  const s3 = current.data?.s3;
  return (
    <section className="card stack" aria-label="External anchors">
      <h2>External anchors</h2>
      <p className="small muted">
        Off by default: without them Lariat never goes online for custody. An S3 bucket with Object Lock in COMPLIANCE mode (ideally in a
        separate forensic account; each upload lands in its CloudTrail) and an RFC 3161 time-stamp authority keep signed checkpoints where
        no one here can rewrite them. Now: S3 {s3 ? `s3://${s3.bucket}/${s3.prefix} in ${s3.region}, ${s3.retentionDays} days` : 'off'};
        time-stamps {current.data?.tsa ? current.data.tsa.url : 'off'}.
      </p>
      <ErrorBox error={current.error ?? save.error} />
      <form
        className="stack"
        aria-label="S3 Object Lock anchor"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ s3: { bucket: bucket.trim(), region: region.trim(), prefix: prefix.trim(), retentionDays: Number(days) } });
        }}
      >
        <div className="grid-2">
          <label className="field">
            <span>S3 bucket (Object Lock enabled)</span>
            <input value={bucket} onChange={(e) => setBucket(e.target.value)} aria-label="Anchor bucket" />
          </label>
          <label className="field">
            <span>Region</span>
            <input value={region} onChange={(e) => setRegion(e.target.value)} placeholder="eu-west-1" aria-label="Anchor bucket region" />
          </label>
          <label className="field">
            <span>Key prefix</span>
            <input value={prefix} onChange={(e) => setPrefix(e.target.value)} aria-label="Anchor key prefix" />
          </label>
          <label className="field">
            <span>Retention (days, COMPLIANCE)</span>
            <input type="number" min={1} max={36500} value={days} onChange={(e) => setDays(e.target.value)} aria-label="Retention days" />
          </label>
        </div>
        <div className="row">
          <button type="submit" className="btn" disabled={!bucket.trim() || !region.trim() || save.isPending}>
            Save S3 anchor
          </button>
          {s3 && (
            <button type="button" className="btn btn-ghost" onClick={() => save.mutate({ s3: null })}>
              Turn off S3
            </button>
          )}
        </div>
      </form>
      <form
        className="row"
        aria-label="Time-stamp authority"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ tsa: { url: tsa.trim() } });
        }}
      >
        <input
          className="grow"
          value={tsa}
          onChange={(e) => setTsa(e.target.value)}
          placeholder="https://tsa.example/"
          aria-label="TSA URL"
        />
        <button type="submit" className="btn" disabled={!tsa.trim() || save.isPending}>
          Save time-stamp authority
        </button>
        {current.data?.tsa && (
          <button type="button" className="btn btn-ghost" onClick={() => save.mutate({ tsa: null })}>
            Turn off
          </button>
        )}
      </form>
    </section>
  );
}
