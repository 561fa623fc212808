import { useState, type FormEvent, type ReactNode } from 'react';
import { CaseCreateInput, type CaseRecord } from '../../../common/contract/cases';
import { useAction } from '../../lib/api';
import { caseTabPath, navigate } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';

const split = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * New-case form (or, given `existing`, the case-details editor), validated
 * inline with the same zod schema main enforces.
 */
export function NewCaseForm({ onDone, existing }: { onDone(): void; existing?: CaseRecord }) {
  const create = useAction('createCase');
  const update = useAction('updateCase');
  const [form, setForm] = useState(
    existing
      ? {
          title: existing.title,
          severity: existing.severity,
          tlp: existing.tlp,
          summary: existing.summary,
          lead: existing.lead,
          accounts: existing.accounts.join(', '),
          regions: existing.regions.join(', '),
          tags: existing.tags.join(', '),
        }
      : { title: '', severity: 'medium', tlp: 'amber', summary: '', lead: '', accounts: '', regions: '', tags: '' },
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [k]: e.target.value }));
    setErrors(({ [k]: _fixed, ...rest }) => rest);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = {
      title: form.title,
      severity: form.severity,
      tlp: form.tlp,
      summary: form.summary || undefined,
      lead: form.lead || undefined,
      accounts: split(form.accounts),
      regions: split(form.regions),
      tags: split(form.tags),
    };
    const parsed = CaseCreateInput.safeParse(input);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    if (existing) {
      const { summary: _s, ...patch } = parsed.data;
      update.mutate({ caseNumber: existing.number, patch: { ...patch, lead: form.lead } }, { onSuccess: onDone });
      return;
    }
    create.mutate(parsed.data, {
      onSuccess: (c) => {
        onDone();
        navigate(caseTabPath(c.number, 'overview'));
      },
    });
  };

  const field = (k: keyof typeof form, label: string, input: ReactNode) => (
    <label className="field">
      <span>{label}</span>
      {input}
      {errors[k] && <span className="field-error">{errors[k]}</span>}
    </label>
  );

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={existing ? 'Edit case' : 'New case'}>
      {field(
        'title',
        'Title',
        <input
          autoFocus
          value={form.title}
          onChange={set('title')}
          aria-invalid={!!errors.title}
          placeholder="Crypto-miner on web-1"
          name="title"
        />,
      )}
      <div className="grid-2">
        {field(
          'severity',
          'Severity',
          <select value={form.severity} onChange={set('severity')} name="severity">
            {['low', 'medium', 'high', 'critical'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>,
        )}
        {field(
          'tlp',
          'TLP',
          <select value={form.tlp} onChange={set('tlp')} name="tlp">
            {['clear', 'green', 'amber', 'amber+strict', 'red'].map((s) => (
              <option key={s} value={s}>
                TLP:{s.toUpperCase()}
              </option>
            ))}
          </select>,
        )}
      </div>
      {field('lead', 'Lead investigator', <input value={form.lead} onChange={set('lead')} name="lead" />)}
      <div className="grid-2">
        {field(
          'accounts',
          'AWS accounts in scope',
          <input
            value={form.accounts}
            onChange={set('accounts')}
            aria-invalid={!!errors.accounts}
            placeholder="123456789012"
            className="mono"
            name="accounts"
          />,
        )}
        {field(
          'regions',
          'Regions',
          <input
            value={form.regions}
            onChange={set('regions')}
            aria-invalid={!!errors.regions}
            placeholder="eu-west-1, us-east-1"
            className="mono"
            name="regions"
          />,
        )}
      </div>
      {field('tags', 'Tags', <input value={form.tags} onChange={set('tags')} placeholder="miner, ec2" name="tags" />)}
      {!existing && field('summary', 'Summary', <textarea rows={4} value={form.summary} onChange={set('summary')} name="summary" />)}
      <ErrorBox error={create.error ?? update.error} />
      <div className="row">
        <span className="grow muted small">
          {existing ? `Changes are recorded in the activity log of ${existing.number}.` : 'Lariat assigns the case number.'}
        </span>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={create.isPending || update.isPending}>
          {existing ? 'Save changes' : 'Open case'}
        </button>
      </div>
    </form>
  );
}
