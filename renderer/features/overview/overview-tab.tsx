import { useEffect, useState } from 'react';
import type { TabProps } from '../case/tab-types';
import type { ActivityRecord } from '../../../common/contract/cases';
import { useAction, useCall } from '../../lib/api';
import { caseTabPath } from '../../lib/router';
import { ErrorBox } from '../../components/error-box';
import { Time } from '../../components/time';
import { MarkdownView } from '../notes/markdown-view';
import { OverviewPanels } from './overview-panels';
import { ActivityLog } from './activity-log';
import { Dialog } from '../../components/dialog';

/** What is contained and what is not, at a glance, plus the case summary and recent activity. */
export function OverviewTab({ caseRecord }: TabProps) {
  const tasks = useCall('listTasks', { caseNumber: caseRecord.number });
  const activity = useCall('listActivity', { caseNumber: caseRecord.number, limit: 200 });
  const recent = groupRuns(activity.data ?? []).slice(0, 10);
  const openTasks = tasks.data?.filter((t) => t.status !== 'done') ?? [];
  const [showLog, setShowLog] = useState(false);
  return (
    <div className="overview">
      <div className="overview-main stack">
        <Summary caseNumber={caseRecord.number} summary={caseRecord.summary} readOnly={caseRecord.readOnly} />
        <OverviewPanels caseRecord={caseRecord} />
      </div>
      <aside className="stack">
        <div className="card">
          <h2>
            Open tasks <span className="muted">({openTasks.length})</span>
          </h2>
          {openTasks.length === 0 && (
            <p className="muted small">
              None. Add tasks in the <a href={`#${caseTabPath(caseRecord.number, 'tasks')}`}>Tasks</a> tab.
            </p>
          )}
          <ul className="plain-list">
            {openTasks.slice(0, 8).map((t) => (
              <li key={t.id}>
                {t.title}{' '}
                <span className="muted small">
                  {t.assignee}
                  {t.dueDate ? ` · due ${t.dueDate}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div className="card">
          <div className="row">
            <h2 className="grow">Recent activity</h2>
            <button type="button" className="btn btn-xs" onClick={() => setShowLog(true)}>
              Full log
            </button>
          </div>
          <Dialog open={showLog} title={`Activity log of ${caseRecord.number}`} onClose={() => setShowLog(false)} wide>
            <ActivityLog caseNumber={caseRecord.number} />
          </Dialog>
          <ul className="plain-list small">
            {recent.map(({ first: a, count, lastId }) => (
              <li key={a.id}>
                <Time iso={a.at} /> <span className="muted">{a.actor}</span> {a.action}
                {count > 1 ? <strong> ×{count}</strong> : null}
                {a.entityId ? (
                  <span className="mono muted">
                    {' '}
                    {count > 1 && lastId && lastId !== a.entityId ? `${lastId}…${a.entityId}` : a.entityId}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      </aside>
    </div>
  );
}

/**
 * Entries by the same person doing the same thing within minutes of each other as one line with a count, even
 * when interleaved (an import writes evidence, custody and timeline entries for each file, in turn).
 */
function groupRuns(entries: ActivityRecord[]): { first: ActivityRecord; count: number; lastId: string | null }[] {
  const out: { first: ActivityRecord; count: number; lastId: string | null; lastAt: number }[] = [];
  const open = new Map<string, (typeof out)[number]>();
  for (const a of entries) {
    const key = `${a.actor}|${a.action}`;
    const at = Date.parse(a.at);
    const g = open.get(key);
    if (g && Math.abs(g.lastAt - at) <= 5 * 60_000) {
      g.count++;
      g.lastId = a.entityId;
      g.lastAt = at;
    } else {
      const fresh = { first: a, count: 1, lastId: a.entityId, lastAt: at };
      open.set(key, fresh);
      out.push(fresh);
    }
  }
  return out;
}

function Summary({ caseNumber, summary, readOnly }: { caseNumber: string; summary: string; readOnly: boolean }) {
  const update = useAction('updateCase');
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(summary);
  useEffect(() => setText(summary), [summary]);
  return (
    <div className="card">
      <div className="row">
        <h2 className="grow">Summary</h2>
        {!readOnly && !editing && (
          <button type="button" className="btn btn-xs" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
      </div>
      {editing ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ caseNumber, patch: { summary: text } }, { onSuccess: () => setEditing(false) });
          }}
        >
          <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} aria-label="Case summary" autoFocus />
          <div className="row">
            <span className="grow" />
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary">
              Save
            </button>
          </div>
        </form>
      ) : summary ? (
        <MarkdownView source={summary} />
      ) : (
        <p className="muted">No summary yet: what happened, what is known, what is at stake.</p>
      )}
      <ErrorBox error={update.error} />
    </div>
  );
}
