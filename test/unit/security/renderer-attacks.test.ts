import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preloadContract } from '../../../common/contract';
import { dispatch } from '../../../main/ipc/dispatch';
import { createPreloadHandlers } from '../../../main/ipc/handlers';
import { ScriptedDialogs } from '../../../main/core/dialogs';
import { makeServices, tempDir, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { stateSnapshot } from './state-snapshot';

/**
 * The token design, tried as a renderer taken over by an exploit would: it can send any IPC message
 * on any channel (the preload-only one included) with any payload, but it cannot draw or answer a
 * native dialog, and it never learns a path.
 */
describe('a compromised renderer and the file tokens', () => {
  let s: TestServices;
  let dialogs: ScriptedDialogs;
  let outside: string;
  let caseNumber: string;
  const drop = (paths: string[]) => dispatch(createPreloadHandlers(s), 'grantDroppedFiles', { paths }, undefined, preloadContract);

  beforeEach(() => {
    dialogs = new ScriptedDialogs();
    s = makeServices({ dialogs });
    ensureTestIdentity(s);
    caseNumber = s.core.cases.create({ title: 'Target', severity: 'high' }).number;
    outside = tempDir('lariat-outside-');
    fs.writeFileSync(path.join(outside, 'credentials'), '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n');
  });
  afterEach(() => {
    s.cleanup();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('cannot get a token for Lariat’s own keys, databases or logs by sending them as "dropped"', async () => {
    const keyFile = fs.readdirSync(s.core.paths.keysDir).map((f) => path.join(s.core.paths.keysDir, f))[0]!;
    fs.symlinkSync(keyFile, path.join(outside, 'innocent.txt'));
    const own = [
      path.join(outside, 'innocent.txt'), // a link to the key, from outside the data folder
      ...fs.readdirSync(s.core.paths.keysDir).map((f) => path.join(s.core.paths.keysDir, f)),
      s.core.paths.dbFile,
      path.join(s.dataDir, 'lariat-search.db'),
      path.join(s.core.paths.logsDir, 'lariat.log'),
      s.dataDir,
      path.join(s.dataDir, 'vault', '..', 'keys'),
    ];
    expect(own.length).toBeGreaterThan(5);
    const r = await drop(own);
    expect(r).toEqual({ ok: true, value: { files: [] } });
    expect(dialogs.confirmed).toEqual([]); // not even offered
  });

  it('cannot get a token for any other path without the investigator confirming that very path', async () => {
    const target = path.join(outside, 'credentials');
    dialogs.confirmQueue.push(false);
    expect(await drop([target, 'relative/path'])).toEqual({ ok: true, value: { files: [] } });
    // The native dialog named the full path, so the investigator sees what would be read.
    expect(dialogs.confirmed).toEqual([{ message: 'Let Lariat read the file you dropped?', detail: target }]);
    // Confirmed: read tokens only, for exactly those paths, and the renderer still learns only names.
    const ok = await drop([target]);
    expect(ok).toMatchObject({ ok: true, value: { files: [{ token: expect.stringMatching(/^ft_[0-9a-f]{32}$/), name: 'credentials' }] } });
    expect(JSON.stringify(ok)).not.toContain(outside);
  });

  it('a read token is no write destination, and a token works once', async () => {
    const before = stateSnapshot(s.core.db, s.dataDir);
    const read = s.core.grants.grant(path.join(outside, 'out.lariat'), 'read').token;
    const asOut = await dispatch(s.handlers, 'exportBundle', { caseNumber, out: read });
    expect(asOut).toMatchObject({ ok: false, error: { code: 'file-token-invalid' } });
    expect(fs.existsSync(path.join(outside, 'out.lariat'))).toBe(false);
    const again = await dispatch(s.handlers, 'exportBundle', { caseNumber, out: read });
    expect(again).toMatchObject({ ok: false, error: { code: 'file-token-invalid' } });
    const forged = await dispatch(s.handlers, 'importEvidence', { caseNumber, files: [`ft_${'0'.repeat(32)}`] });
    expect(forged).toMatchObject({ ok: false, error: { code: 'file-token-invalid' } });
    for (const p of ['/etc/passwd', path.join(outside, 'credentials'), `ft_${'0'.repeat(31)}/`])
      expect(await dispatch(s.handlers, 'importEvidence', { caseNumber, files: [p] })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
    expect(stateSnapshot(s.core.db, s.dataDir)).toBe(before);
  });

  it('the save dialog’s suggested name comes from main, not from anything the renderer sends', async () => {
    const asked: string[] = [];
    s.core.dialogs.saveFile = async (o) => {
      asked.push(o.defaultName);
      return null;
    };
    expect(await dispatch(s.handlers, 'chooseSaveLocation', { purpose: 'bundle', caseNumber })).toEqual({ ok: true, value: null });
    expect(
      await dispatch(s.handlers, 'chooseSaveLocation', { purpose: 'bundle', caseNumber, defaultName: '/home/user/.bashrc' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(asked).toEqual([`${caseNumber}.lariat`]);
  });
});

describe('what ships in the app', () => {
  const bundle = path.resolve('dist/main/index.js');
  it('the built main process has no test transport, no WebSocket server and no bridge', () => {
    expect(fs.existsSync(bundle), 'run `npm run build` first (npm test does)').toBe(true);
    const code = fs.readFileSync(bundle, 'utf8');
    for (const needle of ['startLoopbackTransport', 'WebSocketServer', 'from "ws"', "from 'ws'", '__LARIAT_WS__', 'ScriptedDialogs'])
      expect(code, needle).not.toContain(needle);
  });
  it('the test transport’s dependency is a devDependency, so electron-builder never packages it', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies).not.toHaveProperty('ws');
    expect(pkg.devDependencies).toHaveProperty('ws');
  });
  it('the renderer bundle only talks to window.lariat (the bridge is injected by the e2e harness, never built in)', () => {
    const assets = path.resolve('dist/renderer/assets');
    const js = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    for (const f of js) expect(fs.readFileSync(path.join(assets, f), 'utf8'), f).not.toMatch(/new WebSocket\(|__LARIAT_WS__/);
  });
});
