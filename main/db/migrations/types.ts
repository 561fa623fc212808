import type Database from 'better-sqlite3';

/** One schema change. Numbered from 1 with no gaps; never edited once released. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
