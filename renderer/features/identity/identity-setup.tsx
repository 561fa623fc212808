import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import './identity.css';

/**
 * First-run form: who is the investigator. Creating it generates the Ed25519
 * key that signs every custody entry; the private key stays in the main
 * process (OS keychain in the app).
 */
export function IdentitySetup({ onDone, embedded }: { onDone(): void; embedded?: boolean }) {
  const create = useAction('createIdentity');
  const [form, setForm] = useState({ name: '', role: '', organisation: '', contact: '' });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(form, { onSuccess: () => onDone() });
  };
  const form_ = (
    <form className={embedded ? 'stack' : 'card stack'} onSubmit={submit} aria-label="Investigator identity">
      {!embedded && <h1>Who is investigating?</h1>}
      <p className="muted">
        Lariat signs every step of the chain of custody with your own key. Your name and organisation appear in custody entries and reports;
        the key is created now and protected by this computer's keychain.
      </p>
      <label className="field">
        <span>Full name (required)</span>
        <input name="name" required maxLength={200} value={form.name} onChange={set('name')} autoFocus autoComplete="name" />
      </label>
      <div className="grid-2">
        <label className="field">
          <span>Role</span>
          <input name="role" maxLength={200} value={form.role} onChange={set('role')} placeholder="Incident responder" />
        </label>
        <label className="field">
          <span>Organisation</span>
          <input name="organisation" maxLength={200} value={form.organisation} onChange={set('organisation')} autoComplete="organization" />
        </label>
      </div>
      <label className="field">
        <span>Contact (email or phone)</span>
        <input name="contact" maxLength={200} value={form.contact} onChange={set('contact')} autoComplete="email" />
      </label>
      <ErrorBox error={create.error} />
      <div className="row">
        <span className="grow" />
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !form.name.trim()}>
          {create.isPending ? 'Creating key…' : 'Create identity and key'}
        </button>
      </div>
    </form>
  );
  return embedded ? form_ : <div className="page identity-setup">{form_}</div>;
}
