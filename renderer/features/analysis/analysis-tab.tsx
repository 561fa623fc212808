import { useEffect, useState, type FormEvent } from 'react';
import type { TabProps } from '../case/tab-types';
import { useAction, useCall } from '../../lib/api';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import { Time } from '../../components/time';
import type { AnalysisView } from '../../../common/contract/analysis';
import { formatDuration } from '../../../common/duration';
import { useOptimistic } from '../../lib/optimistic';
import '../plans/plans.css';

/**
 * The post-incident analysis of a resolved case: metrics computed from the
 * case, key events from its timeline, the template's questions, action items
 * (case tasks with owners and due dates) and a checklist; editable after.
 */
export function AnalysisTab({ caseRecord }: TabProps) {
  const n = caseRecord.number;
  const view = useCall('getAnalysis', { caseNumber: n });
  const create = useAction('createAnalysis');
  const v = view.data;
  if (!v) return <ErrorBox error={view.error} />;
  return (
    <div className="stack">
      <Metrics v={v} />
      {!v.analysis ? (
        v.resolved ? (
          <div className="card stack">
            <p>
              The case is resolved ({v.resolvedReason}). Start its post-incident analysis from the template that mirrors Incident Manager's.
            </p>
            {!caseRecord.readOnly && (
              <button
                type="button"
                className="btn btn-primary"
                disabled={create.isPending}
                onClick={() => create.mutate({ caseNumber: n })}
              >
                Start the analysis
              </button>
            )}
            <ErrorBox error={create.error} />
          </div>
        ) : (
          <EmptyState title="Not resolved yet">The analysis opens once {v.resolvedReason.replace(/^the case is \w+; /, '')}.</EmptyState>
        )
      ) : (
        <Editor v={v} readOnly={caseRecord.readOnly} />
      )}
    </div>
  );
}

function Metrics({ v }: { v: AnalysisView }) {
  return (
    <div className="card">
      <h2>Metrics</h2>
      <div className="grid-3">
        {v.metrics.map((m) => (
          <div key={m.id} title={m.definition}>
            <div className="muted small">{m.title}</div>
            <div className="metric-value" aria-label={m.title}>
              {formatDuration(m.seconds)}
            </div>
          </div>
        ))}
      </div>
      <table className="data-table small" aria-label="Moments">
        <tbody>
          {Object.entries(v.moments).map(([k, m]) => (
            <tr key={k}>
              <td>{k}</td>
              <td>
                <Time iso={m.at} />
              </td>
              <td className="muted">{m.basis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Editor({ v, readOnly }: { v: AnalysisView; readOnly: boolean }) {
  const a = v.analysis!;
  const n = v.caseNumber;
  const update = useAction('updateAnalysis');
  const addItem = useAction('addAnalysisActionItem');
  const exported = useCall('exportAnalysis', { caseNumber: n, format: 'markdown' }, { enabled: false });
  const [overview, setOverview] = useState(a.overview);
  const [answers, setAnswers] = useState<Record<string, string>>(() => Object.fromEntries(a.questions.map((q) => [q.id, q.answer])));
  const [item, setItem] = useState({ title: '', owner: '', due: '' });
  useEffect(() => setOverview(a.overview), [a.overview]);
  const chosen = new Set(a.keyEvents.map((k) => k.eventId));
  const setKeyEvents = (ids: number[]) =>
    update.mutate({
      caseNumber: n,
      patch: { keyEvents: ids.map((id) => ({ eventId: id, note: a.keyEvents.find((k) => k.eventId === id)?.note ?? '' })) },
    });
  const save = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ caseNumber: n, patch: { overview, answers: Object.entries(answers).map(([id, answer]) => ({ id, answer })) } });
  };
  let section = '';
  return (
    <>
      <form className="card stack" onSubmit={save} aria-label="Analysis questions">
        <div className="row">
          <h2 className="grow">{a.templateTitle}</h2>
          <span className="muted small">
            started by {a.createdBy}, edited <Time iso={a.updatedAt} />
          </span>
        </div>
        <label className="field analysis-question">
          <span>Overview</span>
          <textarea rows={3} value={overview} readOnly={readOnly} onChange={(e) => setOverview(e.target.value)} />
        </label>
        {a.questions.map((q) => {
          const head = q.section !== section ? (section = q.section) : null;
          return (
            <div key={q.id}>
              {head && <h3>{head}</h3>}
              <label className="field analysis-question">
                <span>{q.question}</span>
                <textarea
                  rows={2}
                  value={answers[q.id] ?? ''}
                  readOnly={readOnly}
                  onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.value })}
                />
              </label>
            </div>
          );
        })}
        {!readOnly && (
          <button type="submit" className="btn btn-primary" disabled={update.isPending}>
            Save answers
          </button>
        )}
        <ErrorBox error={update.error} />
      </form>
      <section className="card" aria-label="Key events">
        <h2>Key events</h2>
        <ul className="plain-list small">
          {v.suggestedEvents.map((e) => (
            <li key={e.eventId}>
              <label className="row">
                <input
                  type="checkbox"
                  checked={chosen.has(e.eventId)}
                  disabled={readOnly || update.isPending}
                  onChange={(ev) => setKeyEvents(ev.target.checked ? [...chosen, e.eventId] : [...chosen].filter((x) => x !== e.eventId))}
                />
                <Time iso={e.time} /> {e.summary} <span className="muted">({e.source})</span>
              </label>
            </li>
          ))}
        </ul>
      </section>
      <section className="card stack" aria-label="Action items">
        <h2>Action items</h2>
        <ul className="plain-list">
          {v.actionItems.map((t) => (
            <li key={t.id}>
              {t.title}{' '}
              <span className="muted small">
                owner {t.assignee || '—'}, due {t.dueDate ?? '—'}, {t.status}
              </span>
            </li>
          ))}
        </ul>
        {!readOnly && (
          <form
            className="row wrap"
            aria-label="Add action item"
            onSubmit={(e) => {
              e.preventDefault();
              addItem.mutate(
                { caseNumber: n, title: item.title.trim(), owner: item.owner.trim(), dueDate: item.due },
                { onSuccess: () => setItem({ title: '', owner: '', due: '' }) },
              );
            }}
          >
            <input
              className="grow"
              aria-label="Action item"
              placeholder="What must change"
              value={item.title}
              onChange={(e) => setItem({ ...item, title: e.target.value })}
            />
            <input
              aria-label="Owner"
              placeholder="Owner"
              value={item.owner}
              onChange={(e) => setItem({ ...item, owner: e.target.value })}
            />
            <input
              type="date"
              aria-label="Action item due date"
              value={item.due}
              onChange={(e) => setItem({ ...item, due: e.target.value })}
            />
            <button type="submit" className="btn" disabled={!item.title.trim() || !item.owner.trim() || !item.due || addItem.isPending}>
              Add action item
            </button>
          </form>
        )}
        <ErrorBox error={addItem.error} />
      </section>
      <section className="card" aria-label="Checklist">
        <h2>Checklist</h2>
        <ul className="plain-list">
          {a.checklist.map((c) => (
            <ChecklistItem key={c.id} caseNumber={n} id={c.id} item={c.item} done={c.done} readOnly={readOnly} />
          ))}
        </ul>
      </section>
      <section className="card stack" aria-label="Export analysis">
        <div className="row">
          <h2 className="grow">Export</h2>
          <button type="button" className="btn btn-xs" onClick={() => void exported.refetch()}>
            Show as Markdown
          </button>
        </div>
        <p className="muted small">The analysis is also a section of the case report (Report tab) and part of an exported bundle.</p>
        {exported.data && <textarea className="json-box" readOnly value={exported.data.text} aria-label="Analysis Markdown" />}
      </section>
    </>
  );
}

function ChecklistItem({
  caseNumber,
  id,
  item,
  done,
  readOnly,
}: {
  caseNumber: string;
  id: string;
  item: string;
  done: boolean;
  readOnly: boolean;
}) {
  const update = useAction('updateAnalysis');
  const [checked, setChecked, clearChecked] = useOptimistic(done);
  return (
    <li>
      <label className="row">
        <input
          type="checkbox"
          checked={checked}
          disabled={readOnly}
          onChange={(e) => {
            setChecked(e.target.checked);
            update.mutate({ caseNumber, patch: { checklist: [{ id, done: e.target.checked }] } }, { onError: clearChecked });
          }}
        />
        {item}
      </label>
      <ErrorBox error={update.error} />
    </li>
  );
}
