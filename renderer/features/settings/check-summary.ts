import type { DatabaseCheck } from '../../../common/contract/timeline';

/** One part of a database check as the Settings panel shows it. */
export interface CheckPart {
  label: string;
  ok: boolean;
  /** SQLite's own words (its first lines; a damaged file can give thousands), then what the check did. */
  text: string;
}

const MAX_LINES = 5;

function said(lines: string[]): string {
  const shown = lines.slice(0, MAX_LINES).join('; ');
  return lines.length > MAX_LINES ? `${shown}; and ${lines.length - MAX_LINES} more` : shown;
}

/**
 * What a finished check found, in the investigator's words: a verdict, each file's result, and what to do. The
 * search index's extra lines (notes from the repair) do not make it fail: only SQLite's verdict on the file does.
 */
export function checkSummary(r: DatabaseCheck): { verdict: string; parts: CheckPart[]; hint: string | null } {
  const dbOk = r.database.join() === 'ok';
  // Notes of the repair follow SQLite's 'ok'; a damaged index's lines are SQLite's findings instead.
  const searchOk = r.searchIndex[0] === 'ok';
  const did = [
    r.searchSetAside ? `moved to ${r.searchSetAside} (kept) and rebuilt` : '',
    r.searchRepaired ? `${r.searchRepaired.toLocaleString('en')} events ${r.searchSetAside ? 'indexed' : 'it lacked were indexed'}` : '',
    r.searchRewritten ? `written again with IP tokens (${r.searchRewritten.toLocaleString('en')} events)` : '',
  ].filter(Boolean);
  const rebuilt = !r.ok && dbOk && !r.hint;
  const verdict = r.ok
    ? 'Intact: SQLite found no damage in the case database or the search index.'
    : !dbOk
      ? 'Damage found in the case database.'
      : rebuilt
        ? 'Damage found in the search index: it was set aside and rebuilt from the case database, which is intact. Searches work again.'
        : 'Damage found in the search index (the case database is intact).';
  return {
    verdict,
    parts: [
      { label: 'Case database', ok: dbOk, text: said(r.database) },
      { label: 'Search index', ok: searchOk, text: [said(r.searchIndex), ...did].join('; ') },
    ],
    hint: r.hint,
  };
}
