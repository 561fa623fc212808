import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { logFileOf } from '../../../main/core/logger';
import { cli } from '../../helpers/cli';
import { makeServices, tempDir } from '../../helpers/services';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const dir = (prefix?: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};
const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
const SAMPLE = path.resolve('resources/demo/securityhub/aws-solutions/cis22.json');

/** Every file and folder under `root`, with its mode. */
function modes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out[path.relative(root, p)] = mode(p);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

describe.skipIf(process.platform === 'win32')('files private by construction', () => {
  it('under umask 000, the built CLI creates only owner-only files: data folder, databases, search index, keys, log, vault folders, report, bundle, custody export', () => {
    const data = path.join(dir('lariat-umask-'), 'data');
    const out = dir('lariat-umask-out-');
    const run = (...args: string[]) => {
      const r = spawnSync('sh', ['-c', 'umask 000; exec node bin/lariat.js "$@"', 'lariat', ...args], {
        env: { ...process.env, LARIAT_DATA_DIR: data },
        encoding: 'utf8',
      });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout.trim();
    };
    run('identity', 'init', '--name', 'Ada', '--role', 'IR', '--org', 'ACME', '--contact', 'ada@acme.example');
    const c = run('case', 'new', '--title', 'Umask');
    run('evidence', 'add', c, SAMPLE);
    run('import', c, SAMPLE);
    run('report', c, '--out', path.join(out, 'report.html'));
    run('export', c, '--out', path.join(out, 'case.lariat'));
    run('custody', 'export', c, '--out', path.join(out, 'custody'));

    expect(mode(data)).toBe('700');
    const inData = modes(data);
    expect(Object.keys(inData)).toEqual(expect.arrayContaining(['lariat.db', 'lariat-search.db', 'logs/lariat.log', 'keys', 'vault']));
    for (const [p, m] of Object.entries(inData)) {
      // Evidence copies are made read-only (0444) by the vault, inside this 0700 folder; everything else is owner-only.
      if (p.startsWith('vault/') && fs.statSync(path.join(data, p)).isFile()) expect(m, p).toMatch(/^([0-4][0-4][0-4]|600)$/);
      else expect(m, p).toMatch(/^[67]00$/);
    }
    const exported = modes(out);
    expect(Object.keys(exported)).toEqual(expect.arrayContaining(['report.html', 'case.lariat', 'custody', 'custody/ledger.jsonl']));
    for (const [p, m] of Object.entries(exported)) expect(m, p).toMatch(/^[67]00$/);
  }, 240_000);

  it('the database, its -wal and -shm are 0600 even when the process umask is 000', () => {
    const d = dir();
    const old = process.umask(0);
    try {
      const db = openDatabase(path.join(d, 'lariat.db'));
      db.prepare('CREATE TABLE t (x)').run();
      expect(mode(path.join(d, 'lariat.db'))).toBe('600');
      expect(mode(path.join(d, 'lariat.db-wal'))).toBe('600');
      expect(mode(path.join(d, 'lariat.db-shm'))).toBe('600');
      db.close();
    } finally {
      process.umask(old);
    }
  });

  it('at start, files someone widened are named in a warning (CLI: on stderr; always: in the log) and set back', async () => {
    const d = dir();
    makeServices({ dataDir: d }).close();
    fs.mkdirSync(path.join(d, 'keys'), { recursive: true });
    fs.writeFileSync(path.join(d, 'keys', 'stray.pem'), 'x');
    fs.chmodSync(d, 0o755);
    fs.chmodSync(path.join(d, 'lariat.db'), 0o644);
    fs.chmodSync(path.join(d, 'keys', 'stray.pem'), 0o640);
    fs.chmodSync(logFileOf(d), 0o666);
    const r = await cli(d, 'case', 'list', '--json');
    expect(r.code).toBe(0);
    expect(r.err).toContain(`warning: the data folder (${d}) was open to other users (mode 0755); Lariat set it back to 0700.`);
    expect(r.err).toContain('warning: lariat.db');
    expect(r.err).toContain('keys/stray.pem');
    expect(r.err).toContain('logs/lariat.log');
    expect([mode(d), mode(path.join(d, 'lariat.db')), mode(path.join(d, 'keys', 'stray.pem')), mode(logFileOf(d))]).toEqual([
      '700',
      '600',
      '600',
      '600',
    ]);
    expect(fs.readFileSync(logFileOf(d), 'utf8')).toContain('"event":"file-mode"');
    // Nothing to say the second time.
    expect((await cli(d, 'case', 'list', '--json')).err).toBe('');
  });
});
