import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core/core';

/** Temp copies are named `.import-<pid>-<uuid>.part`; earlier Lariat wrote `.import-<uuid>.part`. */
const PART = /^\.import-(?:(\d+)-)?[0-9a-f-]{36}\.part$/;
/** Bundle staging folders inside `received/`: `.staging-<pid>-<uuid>` (earlier: `.staging-<uuid>`). */
const STAGING = /^\.staging-(?:(\d+)-)?[0-9a-f-]{36}$/;
/** A temp file without a process id is left alone this long, in case an older Lariat is still writing it. */
const LEGACY_AGE_MS = 60 * 60 * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function abandoned(file: string, pid: string | undefined, now: number): boolean {
  if (pid !== undefined) return Number(pid) !== process.pid && !alive(Number(pid));
  try {
    return now - fs.statSync(file).mtimeMs > LEGACY_AGE_MS;
  } catch {
    return false;
  }
}

/**
 * Removes what killed imports left behind: temp copies in the vault (which
 * were never recorded, so they are not evidence) and bundle staging folders.
 * A file is removed only when the process that wrote it no longer runs (its
 * id is in the name), so a concurrent import in another Lariat is never
 * touched. Each removal is written to the activity log. Returns what was removed.
 */
export function sweepLeftovers(core: Core): string[] {
  const removed: string[] = [];
  const now = Date.now();
  const log = (file: string, caseNumber: string | null, bytes: number): void => {
    removed.push(file);
    let caseId: number | null = null;
    try {
      caseId = caseNumber ? core.cases.require(caseNumber).id : null;
    } catch {
      caseId = null;
    }
    core.activity.record({
      caseId,
      action: 'custody.leftover-removed',
      entity: 'file',
      entityId: path.relative(core.paths.dataDir, file),
      details: { bytes, reason: 'temp file of an import that did not finish (never recorded as evidence)' },
    });
  };
  let caseDirs: string[] = [];
  try {
    caseDirs = fs.readdirSync(core.paths.vaultDir);
  } catch {
    caseDirs = [];
  }
  for (const c of caseDirs) {
    const dir = path.join(core.paths.vaultDir, c);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = PART.exec(n);
      const file = path.join(dir, n);
      if (!m || !abandoned(file, m[1], now)) continue;
      let bytes = 0;
      try {
        bytes = fs.statSync(file).size;
        fs.rmSync(file, { force: true });
      } catch {
        continue;
      }
      log(file, c, bytes);
    }
  }
  const received = path.join(core.paths.dataDir, 'received');
  let staged: string[] = [];
  try {
    staged = fs.readdirSync(received);
  } catch {
    staged = [];
  }
  for (const n of staged) {
    const m = STAGING.exec(n);
    const dir = path.join(received, n);
    if (!m || !abandoned(dir, m[1], now)) continue;
    try {
      makeWritable(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      continue;
    }
    log(dir, null, 0);
  }
  return removed;
}

function makeWritable(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      fs.chmodSync(p, 0o700);
      makeWritable(p);
    }
  }
  fs.chmodSync(dir, 0o700);
}
