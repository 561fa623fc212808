import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import { notFound } from '../core/errors';
import type { TaskRecord } from '../../common/contract/cases';

interface TaskRow {
  id: number;
  case_number: string;
  title: string;
  assignee: string;
  status: TaskRecord['status'];
  due_date: string | null;
  created_at: string;
  updated_at: string;
}

const toTask = (r: TaskRow): TaskRecord => ({
  id: r.id,
  caseNumber: r.case_number,
  title: r.title,
  assignee: r.assignee,
  status: r.status,
  dueDate: r.due_date,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const SELECT = 'SELECT t.*, c.number AS case_number FROM tasks t JOIN cases c ON c.id = t.case_id';

/** Case tasks; every change is logged in the activity log in the same transaction. */
export class TaskService {
  constructor(private readonly deps: { db: Db; clock: Clock; cases: CaseService; activity: ActivityService; events: EventBus }) {}

  list(caseNumber: string): TaskRecord[] {
    const c = this.deps.cases.require(caseNumber);
    return this.deps.db
      .prepare<[number], TaskRow>(`${SELECT} WHERE t.case_id = ? ORDER BY (t.status = 'done'), t.due_date IS NULL, t.due_date, t.id`)
      .all(c.id)
      .map(toTask);
  }

  add(input: { caseNumber: string; title: string; assignee?: string; dueDate?: string }): TaskRecord {
    const task = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(input.caseNumber);
      const now = this.deps.clock.now().toISOString();
      const { lastInsertRowid } = this.deps.db
        .prepare('INSERT INTO tasks (case_id, title, assignee, status, due_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(c.id, input.title, input.assignee ?? '', 'todo', input.dueDate ?? null, now, now);
      this.deps.activity.record({
        caseId: c.id,
        action: 'task.added',
        entity: 'task',
        entityId: Number(lastInsertRowid),
        details: { title: input.title },
      });
      return this.get(Number(lastInsertRowid));
    })();
    this.deps.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'tasks' });
    return task;
  }

  update(input: {
    caseNumber: string;
    taskId: number;
    patch: { title?: string; assignee?: string; status?: TaskRecord['status']; dueDate?: string | null };
  }): TaskRecord {
    const task = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(input.caseNumber);
      const before = this.get(input.taskId);
      if (before.caseNumber !== c.number) throw notFound('Task', input.taskId, `Task ${input.taskId} is not part of case ${c.number}.`);
      const after = {
        title: input.patch.title ?? before.title,
        assignee: input.patch.assignee ?? before.assignee,
        status: input.patch.status ?? before.status,
        dueDate: input.patch.dueDate === undefined ? before.dueDate : input.patch.dueDate,
      };
      const changed = Object.fromEntries(
        (Object.keys(after) as (keyof typeof after)[])
          .filter((k) => after[k] !== before[k])
          .map((k) => [k, { from: before[k], to: after[k] }]),
      );
      if (Object.keys(changed).length === 0) return before;
      this.deps.db
        .prepare('UPDATE tasks SET title = ?, assignee = ?, status = ?, due_date = ?, updated_at = ? WHERE id = ?')
        .run(after.title, after.assignee, after.status, after.dueDate, this.deps.clock.now().toISOString(), input.taskId);
      this.deps.activity.record({ caseId: c.id, action: 'task.updated', entity: 'task', entityId: input.taskId, details: changed });
      return this.get(input.taskId);
    })();
    this.deps.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'tasks' });
    return task;
  }

  private get(id: number): TaskRecord {
    const row = this.deps.db.prepare<[number], TaskRow>(`${SELECT} WHERE t.id = ?`).get(id);
    if (!row) throw notFound('Task', id);
    return toTask(row);
  }
}
