import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { makeServices } from '../../helpers/services';
import { perTest } from '../../helpers/temp-dirs';

const { dir: dataDir } = perTest();

async function newCase(dir: string): Promise<string> {
  const made = await cli(dir, 'case', 'new', '--title', 'Miner on web-1', '--severity', 'high');
  expect(made.code).toBe(0);
  return made.out;
}

describe('the case workspace from the command line', () => {
  it('changes and closes a case, through the same operation as the app (activity log, closed time)', async () => {
    const dir = dataDir();
    const n = await newCase(dir);
    const updated = await cli(
      dir,
      'case',
      'update',
      n.toLowerCase(),
      '--status',
      'contained',
      '--tlp',
      'red',
      '--region',
      'eu-west-1',
      '--json',
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.out)).toMatchObject({ number: n, status: 'contained', tlp: 'red', regions: ['eu-west-1'], closedAt: null });
    const closed = await cli(dir, 'case', 'close', n);
    expect(closed.code).toBe(0);
    expect(closed.out).toContain('status closed');
    const shown = JSON.parse((await cli(dir, 'case', 'show', n, '--json')).out) as { status: string; closedAt: string | null };
    expect(shown.status).toBe('closed');
    expect(shown.closedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const s = makeServices({ dataDir: dir });
    try {
      const changes = s.core.activity.list(n, 50).filter((a) => a.action === 'case.updated');
      expect(changes.map((a) => a.details.status)).toEqual([
        { from: 'contained', to: 'closed' },
        { from: 'open', to: 'contained' },
      ]);
    } finally {
      s.close();
    }
  });

  it('refuses an update that changes nothing, or a bad value, naming the option', async () => {
    const dir = dataDir();
    const n = await newCase(dir);
    const nothing = await cli(dir, 'case', 'update', n);
    expect(nothing.code).toBe(1);
    expect(nothing.err).toContain('nothing to change');
    const bad = await cli(dir, 'case', 'update', n, '--status', 'burning');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--status: /);
  });

  it('adds, lists and completes tasks', async () => {
    const dir = dataDir();
    const n = await newCase(dir);
    const added = await cli(dir, 'task', 'add', n, 'Snapshot web-1 volumes', '--assignee', 'Ada', '--due', '2026-12-01', '--json');
    expect(added.code).toBe(0);
    const task = JSON.parse(added.out) as { id: number; status: string };
    expect(task.status).toBe('todo');
    await cli(dir, 'task', 'add', n, 'Rotate the leaked key');
    expect((await cli(dir, 'task', 'done', n, String(task.id))).out).toContain('done: Snapshot web-1 volumes');
    const open = await cli(dir, 'task', 'list', n, '--open');
    expect(open.out).toContain('Rotate the leaked key');
    expect(open.out).not.toContain('Snapshot web-1 volumes');
    const all = JSON.parse((await cli(dir, 'task', 'list', n, '--json')).out) as { title: string; status: string }[];
    expect(all.map((t) => [t.title, t.status])).toEqual([
      ['Rotate the leaked key', 'todo'],
      ['Snapshot web-1 volumes', 'done'],
    ]);
    const wrong = await cli(dir, 'task', 'done', n, '999');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('999');
    const cases = JSON.parse((await cli(dir, 'case', 'list', '--json')).out) as { openTasks: number }[];
    expect(cases[0]!.openTasks).toBe(1);
  });

  it('adds notes from an option or a file and lists them', async () => {
    const dir = dataDir();
    const n = await newCase(dir);
    const file = path.join(dir, 'finding.md');
    fs.writeFileSync(file, 'Miner talks to **pool.example**.\n');
    expect((await cli(dir, 'note', 'add', n, '--title', 'First look', '--body', 'SSH from 203.0.113.7')).code).toBe(0);
    expect((await cli(dir, 'note', 'add', n, '--title', 'Pool', '--body-file', file)).code).toBe(0);
    const listed = await cli(dir, 'note', 'list', n);
    expect(listed.out).toMatch(/Pool[\s\S]*First look/);
    const full = await cli(dir, 'note', 'list', n, '--full');
    expect(full.out).toContain('Miner talks to **pool.example**.');
    const json = JSON.parse((await cli(dir, 'note', 'list', n, '--json')).out) as { title: string; body: string }[];
    expect(json.find((x) => x.title === 'First look')?.body).toBe('SSH from 203.0.113.7');
  });

  it('adds assets, merges the same one, and lists them by kind', async () => {
    const dir = dataDir();
    const n = await newCase(dir);
    await cli(dir, 'asset', 'add', n, 'ec2-instance', 'i-0123456789abcdef0', '--region', 'eu-west-1');
    await cli(dir, 'asset', 'add', n, 'ec2-instance', 'i-0123456789abcdef0', '--label', 'web-1');
    await cli(dir, 'asset', 'add', n, 'ip', '203.0.113.7');
    const instances = JSON.parse((await cli(dir, 'asset', 'list', n, '--kind', 'ec2-instance', '--json')).out) as {
      identifier: string;
      label: string;
      region: string;
    }[];
    expect(instances).toEqual([expect.objectContaining({ identifier: 'i-0123456789abcdef0', label: 'web-1', region: 'eu-west-1' })]);
    expect((await cli(dir, 'asset', 'list', n)).out).toContain('203.0.113.7');
    const bad = await cli(dir, 'asset', 'add', n, 'spaceship', 'x');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Invalid arguments: <kind>: /);
  });

  it('prints import progress on stderr, the per-file report on stdout', async () => {
    const dir = dataDir();
    const n = await newCase(dir);
    await cli(dir, 'identity', 'init', '--name', 'Ada Analyst');
    const r = await cli(dir, 'import', n, path.resolve('resources/demo/securityhub'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`^Import \\d+ files into ${n}: \\d+%`, 'm'));
    expect(r.out).toContain('securityhub');
    expect(r.out).not.toMatch(/\d+%/);
  });

  it('names the command-line way to give AWS credentials, not the app dialog', async () => {
    const { cliHint } = await import('../../../main/cli/hints');
    const hint = cliHint({
      code: 'aws-no-credentials',
      message: 'Lariat found no AWS credentials to use.',
      hint: 'the AWS connection dialog',
    });
    expect(hint).toContain('--profile');
    expect(hint).toContain('AWS_PROFILE');
    expect(hint).not.toContain('dialog');
    expect(cliHint({ code: 'not-found', message: 'x', hint: 'kept' })).toBe('kept');
  });
});

describe('bin/lariat.js start-up and pipes (built CLI)', () => {
  const built = fs.existsSync('dist/cli/lariat.js');

  /** Static imports of an ES module file, followed through the chunks it imports statically. */
  function staticImports(file: string, seen = new Set<string>()): Set<string> {
    const code = fs.readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']/g)) {
      const spec = (m[1] ?? m[2])!;
      if (seen.has(spec)) continue;
      seen.add(spec);
      if (spec.startsWith('.')) staticImports(path.resolve(path.dirname(file), spec), seen);
    }
    return seen;
  }

  it.skipIf(!built)('loads neither the database driver nor the AWS SDK before a command runs (--help, --version)', () => {
    // The entry loads no package itself; `--help` and `--version` load main.ts's chunk (imported once the timeline's
    // quick path declines), which holds commander and the contract and nothing a command's work needs.
    const entry = path.resolve('dist/cli/lariat.js');
    expect([...staticImports(entry)].filter((s) => !s.startsWith('.') && !s.startsWith('node:'))).toEqual([]);
    const main = /import\(["'](\.\/chunks\/main-[^"']+)["']\)/.exec(fs.readFileSync(entry, 'utf8'))?.[1];
    expect(main, 'the entry imports main.ts as a chunk of its own').toBeDefined();
    const loaded = [...staticImports(path.resolve(path.dirname(entry), main!))];
    expect(loaded).toContain('commander');
    expect(loaded.filter((s) => /better-sqlite3|@aws-sdk|yauzl|yazl|sanitize-html|marked/.test(s))).toEqual([]);
    const version = spawnSync(process.execPath, ['bin/lariat.js', '--version'], {
      encoding: 'utf8',
      env: { ...process.env, LARIAT_DATA_DIR: path.join(dataDir(), 'x') },
    });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.skipIf(!built)('lists every import format of the README in `import --help`', () => {
    const help = spawnSync(process.execPath, ['bin/lariat.js', 'import', '--help'], { encoding: 'utf8' }).stdout;
    for (const word of [
      'CloudTrail',
      'GuardDuty',
      'Security Hub',
      'VPC',
      '.json',
      '.json.gz',
      '.jsonl',
      '.ndjson',
      '.log',
      '.log.gz',
      'folder',
    ])
      expect(help).toContain(word);
  });

  it.skipIf(!built)('exits quietly when the reader of its output goes away (| head)', () => {
    const dir = dataDir();
    const s = makeServices({ dataDir: dir });
    for (let i = 0; i < 300; i++)
      s.core.cases.create({ title: `Case ${i} with a title long enough to fill the pipe quickly`, severity: 'low' });
    s.close();
    const r = spawnSync('bash', ['-c', 'set -o pipefail; node bin/lariat.js case list --json | head -c 20 > /dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, LARIAT_DATA_DIR: dir },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
