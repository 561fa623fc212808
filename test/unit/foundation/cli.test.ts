import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { makeServices } from '../../helpers/services';
import { perTest } from '../../helpers/temp-dirs';
import { ensureTestIdentity } from '../../helpers/identity';

const { dir: dataDir, keep } = perTest();

describe('lariat case', () => {
  it('creates a case in LARIAT_DATA_DIR and lists it as JSON', async () => {
    const dir = dataDir();
    const created = await cli(dir, 'case', 'new', '--title', 'Leaked key', '--severity', 'critical', '--region', 'eu-west-1,us-east-1');
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toMatch(/^IR-\d{4}-0001$/);
    expect(fs.existsSync(path.join(dir, 'lariat.db'))).toBe(true);
    const listed = await cli(dir, 'case', 'list', '--json');
    const cases = JSON.parse(listed.out) as { number: string; title: string; severity: string; regions: string[] }[];
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ number: created.out, title: 'Leaked key', severity: 'critical', regions: ['eu-west-1', 'us-east-1'] });
    const json = await cli(dir, 'case', 'new', '--title', 'Second', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ title: 'Second', severity: 'medium', status: 'open' });
    const table = await cli(dir, 'case', 'list', '--search', 'leaked');
    expect(table.out).toContain('Leaked key');
    expect(table.out).not.toContain('Second');
  });

  it('reports invalid arguments on stderr with a non-zero exit and writes nothing', async () => {
    const dir = dataDir();
    const bad = await cli(dir, 'case', 'new', '--title', 'X', '--severity', 'apocalyptic');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/error: Invalid arguments: --severity/);
    expect(bad.err).toMatch(/hint: /);
    expect(bad.out).toBe('');
    const list = await cli(dir, 'case', 'list', '--json');
    expect(JSON.parse(list.out)).toEqual([]);
    const missing = await cli(dir, 'case', 'show', 'IR-2026-0042');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('IR-2026-0042 was not found');
    const usage = await cli(dir, 'case', 'new');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("required option '--title <title>'");
  });

  it('names a bad argument the way the usage line does: a positional as <case> or <id>, an option in kebab case', async () => {
    const dir = dataDir();
    const caseArg = await cli(dir, 'timeline', 'bogus');
    expect(caseArg.code).toBe(1);
    expect(caseArg.err).toContain('Invalid arguments: <case>: a case number looks like IR-2026-0001');
    const created = await cli(dir, 'case', 'new', '--title', 'Labels');
    const id = await cli(dir, 'timeline', 'show', created.out, 'abc');
    expect(id.code).toBe(1);
    expect(id.err).toContain('Invalid arguments: <id>:');
    expect(id.err).not.toContain('--eventId');
    const option = await cli(dir, 'timeline', created.out, '--limit', '0');
    expect(option.err).toContain('Invalid arguments: --limit:');
    // A field is named as the running command takes it: `kind` is positional in `asset add`, an option in `asset list`.
    expect((await cli(dir, 'asset', 'add', created.out, 'spaceship', 'x')).err).toContain('Invalid arguments: <kind>:');
    expect((await cli(dir, 'asset', 'list', created.out, '--kind', 'spaceship')).err).toContain('Invalid arguments: --kind:');
    const instance = await cli(dir, 'asset', 'add', created.out, 'ec2-instance', 'i-../../etc');
    expect(instance.code).toBe(1);
    expect(instance.err).toContain('Invalid arguments: <identifier>: an EC2 instance id looks like i-0123456789abcdef0.');
    expect(JSON.parse((await cli(dir, 'asset', 'list', created.out, '--json')).out)).toEqual([]);
    const cursor = await cli(dir, 'timeline', created.out, '--cursor', 'nope');
    expect(cursor.code).toBe(1);
    expect(cursor.err).toContain('run the command without --cursor');
  });

  it('prints help without opening a database', async () => {
    const dir = path.join(dataDir(), 'never-created');
    const help = await cli(dir, '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: lariat');
    expect(help.out).toContain('case');
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('bin/lariat.js (built CLI)', () => {
  const built = fs.existsSync('dist/cli/lariat.js');
  it.skipIf(!built)('runs as a real process with LARIAT_DATA_DIR and exits non-zero on errors', () => {
    const dir = dataDir();
    const env = { ...process.env, LARIAT_DATA_DIR: dir };
    const made = spawnSync(process.execPath, ['bin/lariat.js', 'case', 'new', '--title', 'From a shell'], { env, encoding: 'utf8' });
    expect(made.status).toBe(0);
    expect(made.stdout.trim()).toMatch(/^IR-\d{4}-0001$/);
    const list = spawnSync(process.execPath, ['bin/lariat.js', 'case', 'list', '--json'], { env, encoding: 'utf8' });
    expect(JSON.parse(list.stdout)[0].title).toBe('From a shell');
    const bad = spawnSync(process.execPath, ['bin/lariat.js', 'case', 'show', 'nope'], { env, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('error:');
  });

  it.skipIf(!built)('imports with a bounded heap, and says what to do when that budget is too small', () => {
    const s = makeServices();
    ensureTestIdentity(s);
    const caseNumber = s.core.cases.create({ title: 'Bounded import', severity: 'low' }).number;
    s.close();
    keep(s.dataDir);
    const file = path.resolve('test/fixtures/timeline/lookup-events.json');
    const env = { ...process.env, LARIAT_DATA_DIR: s.dataDir };
    // 8 MB cannot even load the CLI: the command stops, and the message names the budget and the way out.
    const starved = spawnSync(process.execPath, ['bin/lariat.js', 'import', caseNumber, file, '--json'], {
      env: { ...env, LARIAT_IMPORT_HEAP_MB: '8' },
      encoding: 'utf8',
    });
    expect(starved.status).not.toBe(0);
    expect(starved.stderr).toContain('ran out of its 8 MB memory budget');
    expect(starved.stderr).toContain('hint: run the command again with LARIAT_IMPORT_HEAP_MB=1024');
    // A budget that is no number is refused by name (it was ignored: no cap at all), and nothing is imported.
    const wrong = spawnSync(process.execPath, ['bin/lariat.js', 'import', caseNumber, file, '--json'], {
      env: { ...env, LARIAT_IMPORT_HEAP_MB: '1GB' },
      encoding: 'utf8',
    });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe(
      'error: LARIAT_IMPORT_HEAP_MB=1GB is not a memory budget in MB.\nhint: set it to a number of MB (192 by default, 1024 for a bigger budget, 0 for no limit), or unset it.\n',
    );
    // The default budget imports, once.
    const ok = spawnSync(process.execPath, ['bin/lariat.js', 'import', caseNumber, file, '--json'], { env, encoding: 'utf8' });
    expect(ok.stderr).not.toContain('memory budget');
    expect(ok.status).toBe(0);
    const report = JSON.parse(ok.stdout) as { imported: number; files: { duplicate: boolean }[] };
    expect(report.imported).toBeGreaterThan(0);
    expect(report.files[0]!.duplicate).toBe(false);
  });

  it.skipIf(!built)(
    'a signal sent to the launcher alone stops the bounded command it started, and ends the launcher the same way',
    async () => {
      // An AWS endpoint that accepts calls and never answers: the command waits on it until it is stopped.
      // Only a request signed with this test's own access key id counts as the command's call: while the whole suite
      // runs, another process (a browser reconnecting to a port it used before, say) may connect to this port too.
      // Acting on such a stranger sent the signal before the launcher had started the command, and the command,
      // started a moment later, then waited on this endpoint until the test timed out.
      const KEY = 'AKIALARIATSIGNALTEST';
      let called!: (socket: net.Socket) => void;
      const firstCall = new Promise<net.Socket>((resolve) => (called = resolve));
      const server = net.createServer((socket) => {
        let head = '';
        socket.on('data', (chunk) => {
          head = (head + chunk.toString('latin1')).slice(-65536);
          if (head.includes(`Credential=${KEY}/`)) called(socket);
        });
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const s = makeServices();
      ensureTestIdentity(s);
      const caseNumber = s.core.cases.create({ title: 'Stopped acquisition', severity: 'low' }).number;
      s.close();
      keep(s.dataDir);
      const env = {
        ...process.env,
        LARIAT_DATA_DIR: s.dataDir,
        LARIAT_AWS_ENDPOINT: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
        // No SDK timeout or retry inside the test: the only way the connection closes is the command's process ending.
        LARIAT_AWS_REQUEST_TIMEOUT_MS: '600000',
        AWS_ACCESS_KEY_ID: KEY,
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
      };
      const launcher = spawn(
        process.execPath,
        [
          'bin/lariat.js',
          'acquire',
          'lookup-events',
          '--case',
          caseNumber,
          '--region',
          'us-east-1',
          '--from',
          '2026-11-01',
          '--to',
          '2026-11-02',
        ],
        {
          env,
          stdio: 'ignore',
        },
      );
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        launcher.on('exit', (code, signal) => resolve({ code, signal })),
      );
      try {
        // The command runs, in the process the launcher started with the heap cap (a command that stopped early fails here).
        const call = await Promise.race([firstCall, exited.then((e) => `exited: ${JSON.stringify(e)}`)]);
        if (typeof call === 'string') expect.fail(`the command ended before calling AWS (${call})`);
        const closed = new Promise((resolve) => (call.destroyed ? resolve(null) : call.once('close', resolve)));
        launcher.kill('SIGTERM');
        expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
        await closed; // the command's process is gone: its connection closed with it
      } finally {
        launcher.kill('SIGKILL');
        server.close();
      }
    },
    // Two Node processes start and load the CLI before the first call: minutes, not seconds, on a loaded 2-core machine.
    180_000,
  );
});
