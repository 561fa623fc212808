import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../../../main/core/static-files';
import { isTrustedSender } from '../../../main/ipc/sender';
import { contentSecurityPolicy } from '../../../common/csp';

describe('app:// static file resolution', () => {
  const root = path.resolve('dist/renderer');
  it('maps paths under the renderer folder', () => {
    expect(resolveStaticPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/index.js')).toBe(path.join(root, 'assets', 'index.js'));
  });
  it('refuses traversal, encoded separators and NUL bytes', () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..\\..\\x', '/a%00b', '/%E0%A4%A']) {
      expect(resolveStaticPath(root, p), p).toBeNull();
    }
  });
});

describe('IPC sender check', () => {
  it('accepts only the main frame of a Lariat window on app://lariat', () => {
    expect(isTrustedSender('app://lariat/index.html', true, true)).toBe(true);
    expect(isTrustedSender('app://lariat/index.html', false, true)).toBe(false);
    expect(isTrustedSender('app://lariat/index.html', true, false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true, true)).toBe(false);
    expect(isTrustedSender('app://evil/index.html', true, true)).toBe(false);
    expect(isTrustedSender('file:///etc/passwd', true, true)).toBe(false);
    expect(isTrustedSender(undefined, true, true)).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows only our own scripts and styles and no network', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(csp).toContain("connect-src 'self'");
    expect(contentSecurityPolicy(['ws://127.0.0.1:1'])).toContain("connect-src 'self' ws://127.0.0.1:1");
  });
});

describe('Electron configuration (the parts that cannot run here)', () => {
  it('sets every fuse in electron-builder.yml', () => {
    const yml = fs.readFileSync('electron-builder.yml', 'utf8');
    for (const line of [
      'runAsNode: false',
      'enableCookieEncryption: true',
      'enableNodeOptionsEnvironmentVariable: false',
      'enableNodeCliInspectArguments: false',
      'enableEmbeddedAsarIntegrityValidation: true',
      'onlyLoadAppFromAsar: true',
      'grantFileProtocolExtraPrivileges: false',
    ]) {
      expect(yml).toContain(line);
    }
  });
  it('never starts the loopback test transport from the app, and holds the single-instance lock', () => {
    // Window options, navigation, permissions and the IPC sender check run in electron-glue.test.ts.
    const index = fs.readFileSync('main/electron/index.ts', 'utf8');
    expect(index).toContain('requestSingleInstanceLock');
    expect(index).not.toContain('startLoopbackTransport');
  });
});
