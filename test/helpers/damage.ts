import fs from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Damages one b-tree of a SQLite file (a table or index, by name) the way a bad disk sector would: the cell
 * pointers of its root page are overwritten, while the file keeps its size and its first page still reads. So
 * only a full check, or a read of that tree, finds it. The WAL is checkpointed first, so the damage is not
 * hidden by a newer copy of the page there.
 */
export function damageTree(file: string, name: string): void {
  const raw = new Database(file);
  const root = raw.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(name) as number | undefined;
  const pageSize = raw.pragma('page_size', { simple: true }) as number;
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  if (!root || root < 2) throw new Error(`${file} has no b-tree ${name} past its first page`);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (root - 1) * pageSize + 8);
  fs.closeSync(fd);
}
