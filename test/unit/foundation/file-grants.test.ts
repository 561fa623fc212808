import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FileGrants } from '../../../main/core/file-grants';
import { contract } from '../../../common/contract';

describe('file grants: the only way a path reaches an operation', () => {
  test('a token stands for the path it was granted for, once', () => {
    const g = new FileGrants();
    const ref = g.grant('/cases/auth.log', 'read');
    expect(ref).toEqual({ token: expect.stringMatching(/^ft_[0-9a-f]{32}$/), name: 'auth.log' });
    expect(g.take(ref.token, 'read')).toEqual({ path: '/cases/auth.log', purpose: 'read', overwrite: false });
    expect(() => g.take(ref.token, 'read')).toThrow(/no longer valid/);
  });

  test('a read grant cannot be used to write, and an unknown or forged token is refused', () => {
    const g = new FileGrants();
    const ref = g.grant('/cases/auth.log', 'read');
    expect(() => g.take(ref.token, 'write')).toThrow(expect.objectContaining({ code: 'file-token-invalid' }));
    // Refused once means gone: the wrong-purpose attempt used the token up.
    expect(() => g.take(ref.token, 'read')).toThrow(/no longer valid/);
    expect(() => g.take(`ft_${'a'.repeat(32)}`, 'read')).toThrow(
      expect.objectContaining({ hint: expect.stringMatching(/Choose the file or folder again/) }),
    );
  });

  test('tokens expire after 30 minutes', () => {
    let now = 1_000_000;
    const g = new FileGrants(() => now);
    const ref = g.grant('/out/report.pdf', 'write', { overwrite: true });
    now += 30 * 60_000 + 1;
    expect(() => g.take(ref.token, 'write')).toThrow(/no longer valid/);
  });

  test('relative paths from the command line are resolved against the working folder', () => {
    const g = new FileGrants();
    expect(g.take(g.grant('logs/a.json', 'read').token, 'read').path).toBe(path.resolve('logs/a.json'));
  });

  test('no contract channel accepts a file system path where a file belongs', () => {
    const pathLike = ['/etc/passwd', 'C:\\Windows\\win.ini', '../../x', 'ft_../../etc'];
    for (const p of pathLike) {
      expect(contract.importLogs.input.safeParse({ caseNumber: 'IR-2026-0001', files: [p] }).success).toBe(false);
      expect(contract.exportBundle.input.safeParse({ caseNumber: 'IR-2026-0001', out: p }).success).toBe(false);
      expect(contract.verifyBundle.input.safeParse({ file: p }).success).toBe(false);
    }
    // Every string field of every channel named like a path is a token, never free text.
    const pathish = /^(paths?|files?|folders?|dirs?|out|add|.*(Path|Paths|Dir|Dirs|Folder|Folders|File|Files))$/;
    for (const [name, def] of Object.entries(contract)) {
      const shape = (def.input as { shape?: Record<string, unknown> }).shape ?? {};
      for (const key of Object.keys(shape)) {
        if (!pathish.test(key)) continue;
        type Probe = { success: boolean; error?: { issues: { path: PropertyKey[] }[] } };
        // The field must refuse a path given alone or in a list.
        for (const value of ['/etc/passwd', ['/etc/passwd']]) {
          const probe = (def.input as { safeParse: (v: unknown) => Probe }).safeParse({ [key]: value });
          const pathRefused = !probe.success && probe.error!.issues.some((i) => i.path[0] === key);
          expect(pathRefused, `${name}.${key} accepts ${JSON.stringify(value)}`).toBe(true);
        }
      }
    }
  });
});
