import type { InputHTMLAttributes } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'className'>;

/**
 * A labelled text input as the action forms lay them out: the label above,
 * monospace for identifiers (ids, ARNs, regions). The label element wraps
 * the input, so the text names the field for assistive technology (and for
 * the e2e tests, which find fields by that name).
 */
export function TextField({
  label,
  value,
  onChange,
  grow = false,
  mono = true,
  ...input
}: { label: string; value: string; onChange(value: string): void; grow?: boolean; mono?: boolean } & InputProps) {
  return (
    <label className={grow ? 'field grow' : 'field'}>
      <span>{label}</span>
      <input className={mono ? 'mono' : undefined} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
    </label>
  );
}
