import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import type { ServiceOptions } from '../../../main/services';
import type { IdentityInfo } from '../../../common/contract/custody';

export interface Fixture {
  s: TestServices;
  caseNumber: string;
  me: IdentityInfo;
  /** Writes a file outside the vault (in the temp data folder) and returns its path. */
  file(name: string, content: string | Buffer): string;
}

/** Real services in a temp folder with an identity and one open case. */
export function setup(options: Partial<ServiceOptions> = {}): Fixture {
  const s = makeServices(options);
  const me = ensureTestIdentity(s);
  const caseNumber = s.core.cases.create({ title: 'Custody test', severity: 'high' }).number;
  const inbox = path.join(s.dataDir, 'inbox');
  fs.mkdirSync(inbox, { recursive: true });
  return {
    s,
    caseNumber,
    me,
    file(name, content) {
      const p = path.join(inbox, name);
      fs.writeFileSync(p, content);
      return p;
    },
  };
}

/** Runs a system command, returning status and output (never throws). */
export function sh(cmd: string, args: string[], options: { cwd?: string; input?: string | Buffer } = {}): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd: options.cwd, input: options.input, encoding: 'buffer' });
  return { status: r.status ?? -1, out: `${r.stdout?.toString() ?? ''}${r.stderr?.toString() ?? ''}` };
}

/** Runs SQL against a database file with the system `sqlite3` tool, as an attacker would. */
export function sqlite(dbFile: string, sql: string): string {
  const r = sh('sqlite3', [dbFile, sql]);
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.out}`);
  return r.out;
}
