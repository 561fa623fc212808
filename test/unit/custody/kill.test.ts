import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { setup, type Fixture } from './fixture';
import { makeServices } from '../../helpers/services';

let f: Fixture;
afterEach(() => f?.s.cleanup());

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kill-child.ts');

/**
 * Starts the loop, waits until it has done `rounds` rounds, then SIGKILLs it
 * either `when` ms later or (`when` = 'mid-import') as soon as an import's
 * temp copy is being written.
 */
function runAndKill(
  dataDir: string,
  vaultCaseDir: string,
  caseNumber: string,
  rounds: number,
  when: number | 'mid-import',
): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dataDir, caseNumber], { stdio: ['ignore', 'pipe', 'pipe'] });
    let done = 0;
    let err = '';
    let before: Set<string>;
    const poll = () => {
      const fresh = fs.readdirSync(vaultCaseDir).filter((n) => n.endsWith('.part') && !before.has(n));
      if (fresh.length) p.kill('SIGKILL');
      else setImmediate(poll);
    };
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      done += (d.toString().match(/done/g) ?? []).length;
      if (done !== rounds) return;
      if (when === 'mid-import') {
        before = new Set(fs.readdirSync(vaultCaseDir));
        poll();
      } else setTimeout(() => p.kill('SIGKILL'), when);
    });
    p.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(done) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

test('killing the process during imports and appends leaves an intact ledger and no half-recorded evidence', async () => {
  f = setup();
  const { s, caseNumber } = f;
  s.close();
  const vaultCaseDir = path.join(s.core.paths.vaultDir, caseNumber);
  for (const when of ['mid-import', 3, 17, 'mid-import', 41, 90] as const) {
    expect(await runAndKill(s.dataDir, vaultCaseDir, caseNumber, 1, when)).toBeGreaterThanOrEqual(1);
  }
  const again = makeServices({ dataDir: s.dataDir });
  try {
    const r = await again.custody.verify.verify(caseNumber);
    expect(r.problems).toEqual([]);
    expect(r.intact).toBe(true);
    const items = again.custody.vault.list(caseNumber);
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(r.files).toBe(items.length);
    // Every recorded item has its file with the recorded hash and an acquisition entry.
    for (const item of items) {
      const bytes = fs.readFileSync(path.join(again.core.paths.vaultDir, item.vaultPath!));
      expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(item.sha256);
      expect(again.custody.ledger.list(caseNumber, item.id)[0]!.action).toBe('imported');
    }
    // Whatever an interrupted import left was only an unrecorded temp copy: never counted as evidence, and removed
    // (and logged) by the next start, since the process that wrote it no longer runs.
    for (const stray of r.strayFiles) expect(path.basename(stray)).toMatch(/^[0-9a-f]{16}-f\d+\.bin$/);
    expect(fs.readdirSync(vaultCaseDir).filter((n) => n.endsWith('.part'))).toEqual([]);
    const removed = again.core.activity.list(undefined, 5000).filter((a) => a.action === 'custody.leftover-removed');
    expect(removed.length).toBeGreaterThanOrEqual(1);
  } finally {
    again.close();
  }
}, 120_000);
