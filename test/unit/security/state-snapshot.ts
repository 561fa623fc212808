import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../main/db/database';

/**
 * What "nothing changed" means, row for row: every row of every table of every attached database
 * (the case database and its search index), plus the name and size of every file of the data folder
 * except the database files themselves and the log (which records the refusal, as it should).
 */
export function stateSnapshot(db: Db, dataDir: string): string {
  const h = createHash('sha256');
  const schemas = db.prepare<[], { name: string }>('PRAGMA database_list').all();
  for (const { name: schema } of schemas) {
    const q = schema.replace(/"/g, '""');
    const tables = db
      .prepare<[], { name: string }>(
        `SELECT name FROM "${q}".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .all();
    for (const { name } of tables) {
      h.update(`${schema}.${name}`);
      const rows = db
        .prepare(`SELECT * FROM "${q}"."${name.replace(/"/g, '""')}"`)
        .raw()
        .all();
      h.update(
        JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v)),
      );
    }
  }
  const walk = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
      : [];
  for (const f of walk(dataDir).sort()) {
    const rel = path.relative(dataDir, f);
    if (/^lariat(-search)?\.db/.test(rel) || rel.startsWith(`logs${path.sep}`)) continue;
    h.update(`${rel}:${fs.statSync(f).size}`);
  }
  return h.digest('hex');
}
