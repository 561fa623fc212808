import type { Migration } from './types';

/** A CHECK as an earlier migration wrote it, and the same rule as comparisons. */
interface CheckEdit {
  table: string;
  from: string;
  to: string;
}

/** The same rule, one comparison per value: `column = 'a' OR column = 'b' ...`. */
const anyOf = (column: string, values: readonly string[]) => `CHECK (${values.map((v) => `${column} = '${v}'`).join(' OR ')})`;
const inList = (column: string, values: readonly string[]) => `CHECK (${column} IN (${values.map((v) => `'${v}'`).join(',')}))`;

const SOURCES = ['cloudtrail', 'guardduty', 'securityhub', 'vpcflow', 'lariat'] as const;
const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;

/** The checks this migration rewrites: the ones every imported event or finding passes through. */
export const ROW_CHECK_EDITS: readonly CheckEdit[] = [
  { table: 'timeline_events', from: inList('source', SOURCES), to: anyOf('source', SOURCES) },
  { table: 'findings', from: inList('severity_label', SEVERITIES), to: anyOf('severity_label', SEVERITIES) },
];

/**
 * The checks on an event's `source` and a finding's `severity_label` were IN lists of five values.
 * SQLite evaluates a CHECK whose IN list has more than two values by building a temporary B-tree of
 * the list at every run of the INSERT statement: 1.3 µs per row, 0.26 s of the thread that writes the
 * database at 200,000 events (0.45 s against 0.19 s for the same inserts with comparisons, 0.17 s
 * with no check; 2.4% of the instructions of a whole 20,000-event import under cachegrind). The same
 * rule as comparisons costs nothing measurable.
 *
 * SQLite cannot ALTER a constraint. Its documented procedure for a change that every stored row
 * already satisfies ("Making Other Kinds Of Table Schema Changes", sqlite.org/lang_altertable.html)
 * edits the table's SQL in sqlite_schema and bumps schema_version, in one transaction, without
 * rewriting a row: a million-event case upgrades in milliseconds instead of copying its table. The
 * open that runs a migration checks the database's integrity first (`upgrade`). A table whose SQL
 * does not hold the text an earlier migration wrote is left as it is: the rule it enforces is the same either way.
 */
export const m020TimelineRowChecks: Migration = {
  version: 20,
  name: 'timeline-row-checks',
  up(db) {
    const read = db.prepare<[string], string>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck();
    const edits = ROW_CHECK_EDITS.flatMap((e) => {
      const sql = read.get(e.table);
      return sql?.includes(e.from) ? [{ table: e.table, sql: sql.replace(e.from, e.to) }] : [];
    });
    if (edits.length === 0) return;
    const version = db.pragma('schema_version', { simple: true }) as number;
    // better-sqlite3 opens connections in SQLite's defensive mode, which forbids writing sqlite_schema: lifted for these statements only.
    db.unsafeMode(true);
    try {
      db.pragma('writable_schema = ON');
      const write = db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?");
      for (const e of edits) write.run(e.sql, e.table);
      db.pragma(`schema_version = ${version + 1}`);
    } finally {
      // RESET also makes this connection read the edited schema again, even when a rolled-back attempt left it the same schema_version.
      db.pragma('writable_schema = RESET');
      db.unsafeMode(false);
    }
  },
};
