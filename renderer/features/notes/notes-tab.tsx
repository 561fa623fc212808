import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { TabProps } from '../case/tab-types';
import { useAction, useCall } from '../../lib/api';
import { useNewItemShortcut } from '../../lib/keyboard';
import { ErrorBox } from '../../components/error-box';
import { EmptyState } from '../../components/empty-state';
import { Time } from '../../components/time';
import { MarkdownView } from './markdown-view';

/** Markdown notes; rendered through DOMPurify so pasted HTML never runs. */
export function NotesTab({ caseRecord }: TabProps) {
  const notes = useCall('listNotes', { caseNumber: caseRecord.number });
  const add = useAction('addNote');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  useNewItemShortcut(useCallback(() => titleRef.current?.focus(), []));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return;
    add.mutate(
      { caseNumber: caseRecord.number, title, body },
      {
        onSuccess: () => {
          setTitle('');
          setBody('');
          setPreview(false);
        },
      },
    );
  };

  return (
    <div className="notes-layout">
      {!caseRecord.readOnly && (
        <form className="card stack" onSubmit={submit} aria-label="Add note">
          <input
            ref={titleRef}
            placeholder="Note title (press n)"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-label="Note title"
          />
          {preview ? (
            <MarkdownView source={body} />
          ) : (
            <textarea
              rows={6}
              placeholder="Markdown. Ctrl+Enter saves."
              value={body}
              onChange={(e) => setBody(e.target.value)}
              aria-label="Note body"
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
              }}
            />
          )}
          <div className="row">
            <span className="grow" />
            <button type="button" className="btn" onClick={() => setPreview((p) => !p)}>
              {preview ? 'Edit' : 'Preview'}
            </button>
            <button type="submit" className="btn btn-primary" disabled={add.isPending}>
              Save note
            </button>
          </div>
          <ErrorBox error={add.error} />
        </form>
      )}
      <ErrorBox error={notes.error} />
      {notes.data?.length === 0 && (
        <EmptyState title="No notes yet">
          Press <kbd>n</kbd> to write what you found, in Markdown.
        </EmptyState>
      )}
      {notes.data?.map((n) => (
        <article key={n.id} className="card note" aria-label={n.title}>
          <header className="row">
            <h2 className="grow">{n.title}</h2>
            <span className="muted small">
              {n.author} · <Time iso={n.createdAt} />
            </span>
          </header>
          <MarkdownView source={n.body} />
        </article>
      ))}
    </div>
  );
}
