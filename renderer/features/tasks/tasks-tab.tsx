import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { TabProps } from '../case/tab-types';
import { useAction, useCall } from '../../lib/api';
import { useNewItemShortcut } from '../../lib/keyboard';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import type { TaskRecord } from '../../../common/contract/cases';

const statuses: TaskRecord['status'][] = ['todo', 'in-progress', 'blocked', 'done'];

/** Tasks: add with the keyboard (n, type, Enter), change status inline. */
export function TasksTab({ caseRecord }: TabProps) {
  const tasks = useCall('listTasks', { caseNumber: caseRecord.number });
  const add = useAction('addTask');
  const update = useAction('updateTask');
  const [title, setTitle] = useState('');
  const [assignee, setAssignee] = useState('');
  const [due, setDue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useNewItemShortcut(useCallback(() => input.current?.focus(), []));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return;
    add.mutate(
      { caseNumber: caseRecord.number, title, assignee: assignee || undefined, dueDate: due || undefined },
      {
        onSuccess: () => {
          setTitle('');
          setDue('');
          input.current?.focus();
        },
      },
    );
  };

  return (
    <div>
      {!caseRecord.readOnly && (
        <form className="toolbar" onSubmit={submit} aria-label="Add task">
          <input
            ref={input}
            className="grow"
            placeholder="New task (press n), Enter to add"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-label="Task title"
          />
          <input placeholder="Assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} aria-label="Assignee" />
          <input type="date" value={due} onChange={(e) => setDue(e.target.value)} aria-label="Due date" />
          <button className="btn btn-primary" type="submit" disabled={add.isPending}>
            Add task
          </button>
        </form>
      )}
      <ErrorBox error={add.error ?? update.error ?? tasks.error} />
      {tasks.data?.length === 0 && (
        <EmptyState title="No tasks yet">
          Press <kbd>n</kbd> and type a task: "Snapshot web-1 volumes", "Rotate leaked key".
        </EmptyState>
      )}
      {tasks.data && tasks.data.length > 0 && (
        <table className="data-table" aria-label="Tasks">
          <thead>
            <tr>
              <th>Task</th>
              <th>Assignee</th>
              <th>Due</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {tasks.data.map((t) => (
              <tr key={t.id}>
                <td className={t.status === 'done' ? 'muted' : ''}>{t.status === 'done' ? <s>{t.title}</s> : t.title}</td>
                <td>{t.assignee}</td>
                <td className="num nowrap">{t.dueDate ?? ''}</td>
                <td>
                  <select
                    aria-label={`Status of ${t.title}`}
                    value={t.status}
                    disabled={caseRecord.readOnly}
                    onChange={(e) =>
                      update.mutate({
                        caseNumber: caseRecord.number,
                        taskId: t.id,
                        patch: { status: e.target.value as TaskRecord['status'] },
                      })
                    }
                  >
                    {statuses.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
