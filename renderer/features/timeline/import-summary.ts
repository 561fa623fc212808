import type { ImportReport } from '../../../common/contract/timeline';

const n = (x: number) => x.toLocaleString('en-US');

/**
 * One line that counts honestly: events imported, duplicates skipped, records kept though the case held their
 * eventID (other events, or altered copies), partial files, files rejected, folder entries not imported.
 */
export function reportSummary(
  r: Pick<ImportReport, 'imported' | 'duplicates' | 'reused' | 'rejected' | 'rejectedFiles' | 'files' | 'skippedCount'>,
): string {
  const partial = r.files.filter((f) => f.truncated).length;
  const parts = [`${n(r.imported)} event(s) imported`, `${n(r.duplicates)} duplicate(s) skipped`];
  if (r.reused) parts.push(`${n(r.reused)} kept though their eventID was held (event-id-reused)`);
  if (partial) parts.push(`${partial} partial file(s)`);
  if (r.rejected) parts.push(`${n(r.rejected)} record(s) rejected`);
  parts.push(`${r.rejectedFiles} file(s) rejected`);
  // Links, pipes and names Lariat does not read inside the folders given: said, never dropped silently.
  if (r.skippedCount)
    parts.push(`${n(r.skippedCount)} folder entr${r.skippedCount === 1 ? 'y' : 'ies'} not imported (links, pipes or other names)`);
  return `${parts.join(', ')} from ${r.files.length} file(s)`;
}
