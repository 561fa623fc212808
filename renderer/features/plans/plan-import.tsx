import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';

/** Import a plan from its JSON (pasted or from a file), or from an Incident Manager response plan. */
export function PlanImport({ onImported }: { onImported(name: string): void }) {
  const importPlan = useAction('importPlan');
  const importIm = useAction('importResponsePlan');
  const [json, setJson] = useState('');
  const [replace, setReplace] = useState(false);
  const [arn, setArn] = useState('');
  const [region, setRegion] = useState('');
  const submitJson = (e: FormEvent) => {
    e.preventDefault();
    importPlan.mutate({ json, replace }, { onSuccess: (p) => onImported(p.name) });
  };
  const submitIm = (e: FormEvent) => {
    e.preventDefault();
    importIm.mutate({ responsePlanArn: arn.trim(), region: region.trim(), replace }, { onSuccess: (p) => onImported(p.name) });
  };
  return (
    <div className="grid-2">
      <form className="card stack" onSubmit={submitJson} aria-label="Import plan JSON">
        <h2>From a JSON file</h2>
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Plan file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void f.text().then(setJson);
          }}
        />
        <textarea
          className="json-box"
          value={json}
          onChange={(e) => setJson(e.target.value)}
          aria-label="Plan JSON to import"
          placeholder='{"format": "lariat-plan", ...}'
        />
        <label className="row small">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace a stored plan of the same name
        </label>
        <button type="submit" className="btn btn-primary" disabled={json.trim().length < 2 || importPlan.isPending}>
          Import plan
        </button>
        <ErrorBox error={importPlan.error} />
      </form>
      <form className="card stack" onSubmit={submitIm} aria-label="Import from Incident Manager">
        <h2>From Incident Manager</h2>
        <p className="muted small">Reads the response plan (GetResponsePlan) and its contacts and escalation plans (ssm-contacts).</p>
        <label className="field">
          <span>Response plan ARN</span>
          <input
            className="mono"
            value={arn}
            onChange={(e) => setArn(e.target.value)}
            placeholder="arn:aws:ssm-incidents::123456789012:response-plan/name"
          />
        </label>
        <label className="field">
          <span>Region</span>
          <input className="mono" value={region} onChange={(e) => setRegion(e.target.value)} placeholder="eu-west-1" />
        </label>
        <button type="submit" className="btn" disabled={!arn.trim() || !region.trim() || importIm.isPending}>
          Import response plan
        </button>
        <ErrorBox error={importIm.error} />
      </form>
    </div>
  );
}
