/** What `checkDatabase` found: SQLite's integrity check of the case database and of the search index. */
export interface DatabaseCheck {
  /** No damage found (false also when the check found a damaged search index and rebuilt it: a second check then passes). */
  ok: boolean;
  database: string[];
  searchIndex: string[];
  /** Events the search index lacked or held in excess, and has now been brought in line with. */
  searchRepaired: number;
  /** Events written again with their IP tokens (an index from before search index version 2, once); 0 when not. */
  searchRewritten: number;
  /** Where a damaged search index was moved (kept) before the check rebuilt it; null when none was (an import running: see hint). */
  searchSetAside: string | null;
  /** What is left to do after the check (restore the case database, or check again once an import ends); null when nothing. */
  hint: string | null;
}
