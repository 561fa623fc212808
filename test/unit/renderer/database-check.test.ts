import { describe, expect, it } from 'vitest';
import { checkSummary } from '../../../renderer/features/settings/check-summary';

const base = { searchRepaired: 0, searchRewritten: 0, searchSetAside: null, hint: null };

describe('the database check as the Settings panel shows it', () => {
  it('an intact check says so, with what the repair did to the search index', () => {
    const s = checkSummary({ ...base, ok: true, database: ['ok'], searchIndex: ['ok'], searchRepaired: 1200, searchRewritten: 3 });
    expect(s.verdict).toMatch(/^Intact/);
    expect(s.parts).toEqual([
      { label: 'Case database', ok: true, text: 'ok' },
      { label: 'Search index', ok: true, text: 'ok; 1,200 events it lacked were indexed; written again with IP tokens (3 events)' },
    ]);
    expect(s.hint).toBeNull();
  });

  it('a note after the index verdict (an import running) does not make the index look damaged', () => {
    const s = checkSummary({ ...base, ok: true, database: ['ok'], searchIndex: ['ok', 'not yet written again with IP tokens'] });
    expect(s.parts[1]).toMatchObject({ ok: true, text: 'ok; not yet written again with IP tokens' });
  });

  it("damage names the file it is in, caps SQLite's lines, and carries the hint", () => {
    const lines = Array.from({ length: 8 }, (_, i) => `row ${i} missing from index timeline_events_time`);
    const db = checkSummary({ ...base, ok: false, database: lines, searchIndex: ['ok'], hint: 'restore it' });
    expect(db.verdict).toBe('Damage found in the case database.');
    expect(db.parts[0]).toMatchObject({ ok: false });
    expect(db.parts[0]!.text).toMatch(/row 4 missing.*; and 3 more$/);
    expect(db.parts[0]!.text).not.toContain('row 5');
    expect(db.parts[1]).toMatchObject({ ok: true });
    expect(db.hint).toBe('restore it');
    const search = checkSummary({
      ...base,
      ok: false,
      database: ['ok'],
      searchIndex: ['database disk image is malformed'],
      hint: 'check again once the import ends',
    });
    expect(search.verdict).toBe('Damage found in the search index (the case database is intact).');
    expect(search.parts.map((p) => p.ok)).toEqual([true, false]);
  });

  it('a damaged search index the check rebuilt: the damage is still shown, with where the old file went and that searches work again', () => {
    const s = checkSummary({
      ...base,
      ok: false,
      database: ['ok'],
      searchIndex: ['fts5: corruption found reading blob 42'],
      searchSetAside: '/data/lariat-search.db.damaged-2026',
      searchRepaired: 1500,
    });
    expect(s.verdict).toBe(
      'Damage found in the search index: it was set aside and rebuilt from the case database, which is intact. Searches work again.',
    );
    expect(s.parts[1]).toEqual({
      label: 'Search index',
      ok: false,
      text: 'fts5: corruption found reading blob 42; moved to /data/lariat-search.db.damaged-2026 (kept) and rebuilt; 1,500 events indexed',
    });
    expect(s.hint).toBeNull();
  });
});
