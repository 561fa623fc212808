import path from 'node:path';
import { openDatabase, type Db } from '../../main/db/database';
import { migrations } from '../../main/db/migrations';
import { tempDir } from './services';

/**
 * A migration test's starting point: a database in a new temporary folder, migrated up to `version` only,
 * holding one case (IR-2026-0001, id 1). Fill it as the old schema allows, then `upgrade` it.
 */
export function databaseAt(version: number): { dir: string; db: Db; upgrade: (to?: number) => Db } {
  const dir = tempDir();
  const file = path.join(dir, 'l.db');
  const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= version) });
  db.prepare(
    "INSERT INTO cases (number, title, severity, status, tlp, opened_at, updated_at) VALUES ('IR-2026-0001', 't', 'low', 'open', 'amber', 'x', 'x')",
  ).run();
  /** Closes the old database and opens it again migrated up to `to` (every migration by default). */
  const upgrade = (to = Infinity): Db => {
    db.close();
    return openDatabase(file, { migrations: migrations.filter((m) => m.version <= to) });
  };
  return { dir, db, upgrade };
}
