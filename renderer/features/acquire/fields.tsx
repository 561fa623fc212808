import type { LogKind } from '../../../common/contract/acquire';

/**
 * The small fields the acquisition forms (event history, log bucket, Athena
 * setup and query) share, so a label, its input and its constraints read
 * the same everywhere.
 */

export function TextField(p: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; required?: boolean }) {
  return (
    <label className="field">
      <span>{p.label}</span>
      <input value={p.value} onChange={(e) => p.onChange(e.target.value)} placeholder={p.placeholder} required={p.required} />
    </label>
  );
}

/** From and To of a UTC window (datetime-local inputs, both required). */
export function WindowFields(p: { from: string; to: string; setFrom: (v: string) => void; setTo: (v: string) => void }) {
  return (
    <>
      <label className="field">
        <span>From (UTC)</span>
        <input type="datetime-local" value={p.from} onChange={(e) => p.setFrom(e.target.value)} required />
      </label>
      <label className="field">
        <span>To (UTC)</span>
        <input type="datetime-local" value={p.to} onChange={(e) => p.setTo(e.target.value)} required />
      </label>
    </>
  );
}

/** A bucket's key prefix and which logs it holds (shown when the source is a bucket, not a trail). */
export function BucketLogFields(p: { prefix: string; setPrefix: (v: string) => void; logKind: LogKind; setLogKind: (v: LogKind) => void }) {
  return (
    <>
      <TextField label="Prefix" value={p.prefix} onChange={p.setPrefix} placeholder="(none)" />
      <label className="field">
        <span>Logs</span>
        <select value={p.logKind} onChange={(e) => p.setLogKind(e.target.value as LogKind)}>
          <option value="cloudtrail">CloudTrail</option>
          <option value="vpcflowlogs">VPC flow logs</option>
        </select>
      </label>
    </>
  );
}
