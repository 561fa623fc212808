import { useMemo } from 'react';
import { renderMarkdown } from '../../lib/markdown';

/** Sanitized Markdown; the only place the renderer sets HTML. */
export function MarkdownView({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
