import type { Db } from '../db/database';
import type { Clock } from '../core/clock';
import type { Actor } from '../core/actor';
import type { EventBus } from '../core/events';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import { notFound } from '../core/errors';
import type { NoteRecord } from '../../common/contract/cases';

interface NoteRow {
  id: number;
  case_number: string;
  title: string;
  body: string;
  author: string;
  created_at: string;
  updated_at: string;
}

const toNote = (r: NoteRow): NoteRecord => ({
  id: r.id,
  caseNumber: r.case_number,
  title: r.title,
  body: r.body,
  author: r.author,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const SELECT = 'SELECT n.*, c.number AS case_number FROM notes n JOIN cases c ON c.id = n.case_id';

/**
 * Markdown notes. Stored exactly as typed; every place that displays one
 * (renderer, report) sanitizes it, so hostile HTML is kept as evidence of
 * what was typed but never runs.
 */
export class NoteService {
  constructor(
    private readonly deps: { db: Db; clock: Clock; actor: () => Actor; cases: CaseService; activity: ActivityService; events: EventBus },
  ) {}

  list(caseNumber: string): NoteRecord[] {
    const c = this.deps.cases.require(caseNumber);
    return this.deps.db.prepare<[number], NoteRow>(`${SELECT} WHERE n.case_id = ? ORDER BY n.id DESC`).all(c.id).map(toNote);
  }

  add(input: { caseNumber: string; title: string; body: string }): NoteRecord {
    const note = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(input.caseNumber);
      const now = this.deps.clock.now().toISOString();
      const { lastInsertRowid } = this.deps.db
        .prepare('INSERT INTO notes (case_id, title, body, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(c.id, input.title, input.body, this.deps.actor().name, now, now);
      this.deps.activity.record({
        caseId: c.id,
        action: 'note.added',
        entity: 'note',
        entityId: Number(lastInsertRowid),
        details: { title: input.title },
      });
      return this.get(Number(lastInsertRowid));
    })();
    this.deps.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'notes' });
    return note;
  }

  update(input: { caseNumber: string; noteId: number; title?: string; body?: string }): NoteRecord {
    const note = this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(input.caseNumber);
      const before = this.get(input.noteId);
      if (before.caseNumber !== c.number) throw notFound('Note', input.noteId, `Note ${input.noteId} is not part of case ${c.number}.`);
      const title = input.title ?? before.title;
      const body = input.body ?? before.body;
      if (title === before.title && body === before.body) return before;
      this.deps.db
        .prepare('UPDATE notes SET title = ?, body = ?, updated_at = ? WHERE id = ?')
        .run(title, body, this.deps.clock.now().toISOString(), input.noteId);
      this.deps.activity.record({
        caseId: c.id,
        action: 'note.edited',
        entity: 'note',
        entityId: input.noteId,
        details: {
          title: title !== before.title ? { from: before.title, to: title } : undefined,
          bodyChanged: body !== before.body,
          previousBody: body !== before.body ? before.body : undefined,
        },
      });
      return this.get(input.noteId);
    })();
    this.deps.events.emit('caseChanged', { caseNumber: input.caseNumber, what: 'notes' });
    return note;
  }

  private get(id: number): NoteRecord {
    const row = this.deps.db.prepare<[number], NoteRow>(`${SELECT} WHERE n.id = ?`).get(id);
    if (!row) throw notFound('Note', id);
    return toNote(row);
  }
}
