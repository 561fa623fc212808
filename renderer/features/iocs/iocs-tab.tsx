import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { TabProps } from '../case/tab-types';
import { useAction, useCall } from '../../lib/api';
import { useNewItemShortcut } from '../../lib/keyboard';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import { TlpChip } from '../../components/chips';
import { TimelineLink } from '../timeline/timeline-link';
import { AlsoSeen } from './also-seen';
import type { IocRecord, IocType } from '../../../common/contract/timeline';
import './iocs.css';

const TYPES: IocType[] = ['ip', 'domain', 'access-key-id', 'arn', 'hash', 'user-agent'];
const TLPS: IocRecord['tlp'][] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/** IOCs: add with the keyboard (n, type, Enter), TLP and notes inline, one click to where each appears. */
export function IocsTab({ caseRecord }: TabProps) {
  const caseNumber = caseRecord.number;
  const iocs = useCall('listIocs', { caseNumber });
  const add = useAction('addIoc');
  const update = useAction('updateIoc');
  const remove = useAction('deleteIoc');
  const [type, setType] = useState<IocType>('ip');
  const [value, setValue] = useState('');
  const [tlp, setTlp] = useState<IocRecord['tlp']>(caseRecord.tlp);
  const [notes, setNotes] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useNewItemShortcut(useCallback(() => input.current?.focus(), []));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    add.mutate(
      { caseNumber, type, value: value.trim(), tlp, notes: notes || undefined },
      { onSuccess: () => (setValue(''), setNotes(''), input.current?.focus()) },
    );
  };
  return (
    <div>
      {!caseRecord.readOnly && (
        <form className="toolbar" onSubmit={submit} aria-label="Add IOC">
          <select value={type} onChange={(e) => setType(e.target.value as IocType)} aria-label="IOC type">
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <input
            ref={input}
            className="grow mono"
            placeholder="Value (press n), Enter to add"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-label="IOC value"
          />
          <select value={tlp} onChange={(e) => setTlp(e.target.value as IocRecord['tlp'])} aria-label="TLP">
            {TLPS.map((t) => (
              <option key={t} value={t}>
                TLP:{t.toUpperCase()}
              </option>
            ))}
          </select>
          <input placeholder="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} aria-label="Notes" />
          <button className="btn btn-primary" type="submit" disabled={add.isPending}>
            Add IOC
          </button>
        </form>
      )}
      <ErrorBox error={add.error ?? update.error ?? remove.error ?? iocs.error} />
      {iocs.data?.length === 0 && (
        <EmptyState title="No IOCs yet">
          Press <kbd>n</kbd> and paste an IP, domain, access key id, ARN, hash or user agent, or add them from a finding.
        </EmptyState>
      )}
      {iocs.data && iocs.data.length > 0 && (
        <table className="data-table iocs-table" aria-label="IOCs">
          <thead>
            <tr>
              <th>Type</th>
              <th>Value</th>
              <th>TLP</th>
              <th>Notes</th>
              <th>Source</th>
              <th title="Where does this appear: this case's timeline, and other cases (the cross-case indicator index)">Seen in</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {iocs.data.map((i) => (
              <tr key={i.id}>
                <td>{i.type}</td>
                <td className="mono ioc-value">{i.value}</td>
                <td className="ioc-tlp">
                  <TlpChip tlp={i.tlp} />{' '}
                  <select
                    aria-label={`TLP of ${i.value}`}
                    value={i.tlp}
                    disabled={caseRecord.readOnly}
                    onChange={(e) => update.mutate({ caseNumber, iocId: i.id, tlp: e.target.value as IocRecord['tlp'] })}
                  >
                    {TLPS.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="ioc-notes">
                  <input
                    defaultValue={i.notes}
                    aria-label={`Notes on ${i.value}`}
                    disabled={caseRecord.readOnly}
                    onBlur={(e) => e.target.value !== i.notes && update.mutate({ caseNumber, iocId: i.id, notes: e.target.value })}
                  />
                </td>
                <td className="small muted ioc-source">{i.source}</td>
                <td>
                  <TimelineLink caseNumber={caseNumber} value={i.value} />
                  <br />
                  <AlsoSeen caseNumber={caseNumber} value={i.value} />
                </td>
                <td>
                  {!caseRecord.readOnly && (
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs"
                      aria-label={`Delete IOC ${i.value}`}
                      onClick={() => remove.mutate({ caseNumber, iocId: i.id })}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
