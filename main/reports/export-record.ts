import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';
import type { ReportSources } from './sources';
import { fsyncDir } from '../custody/atomic-dir';

/**
 * Refuses to replace an existing file unless the investigator said so (the native save dialog asks;
 * the CLI needs --force), so an export never silently destroys an earlier one. Even with --force only a
 * regular file is replaced: the rename into place would otherwise swap a device (`--out /dev/null` as root
 * replaced /dev/null with the report), a folder's name or a link for the export.
 */
export function refuseOverwrite(target: string, overwrite: boolean): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(target);
  } catch {
    return; // nothing there (or nothing this user can see): the write itself says what is wrong
  }
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a folder' : st.isSymbolicLink() ? 'a symbolic link' : 'a device, pipe or socket';
    throw new AppError(
      'file-exists',
      `${target} is ${what}, not a file; nothing was written (an export replaces only a file it is allowed to).`,
      st.isDirectory() ? 'Give a file name inside that folder.' : 'Give the path of a new file.',
    );
  }
  if (!overwrite) {
    throw new AppError(
      'file-exists',
      `${target} already exists; nothing was written.`,
      'Choose another name, or pass --force to replace it.',
    );
  }
}

/**
 * Writes a file so that a crash never leaves a half-written report under the chosen name: written and
 * fsynced under a temporary name, renamed into place, the folder fsynced. Only then may the export be recorded.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(4).toString('hex')}.partial`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
    fsyncDir(path.dirname(target));
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was created (e.g. a part of the path is a file)
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      'write-failed',
      `Lariat could not write ${target}: ${code === 'ENOTDIR' ? 'ENOTDIR, a part of that path is a file, not a folder' : (err as Error).message}. Nothing was recorded.`,
      'Choose a folder you can write to, with enough free space.',
      { cause: err },
    );
  }
}

/** Codes meaning "the vault cannot take this here", which leave the export valid but unrecorded as evidence. */
const UNRECORDABLE = new Set(['case-read-only', 'no-identity', 'key-in-keychain']);

/**
 * Records a hand-over: the exported file's hash in `report_exports` and the
 * activity log, and (when the vault can take it) a copy as evidence of kind
 * `report` with an `exported` custody entry naming where it was written.
 * Returns the evidence id, or null when the vault could not record it.
 */
export async function recordExport(
  core: Core,
  sources: ReportSources,
  e: {
    caseNumber: string;
    exportId: string;
    kind: 'html' | 'pdf' | 'bundle';
    path: string;
    bytes: Uint8Array | null;
    size?: number;
    sha256: string;
    options: Record<string, unknown>;
    description: string;
    custody?: boolean;
  },
): Promise<number | null> {
  let evidenceId: number | null = null;
  let unrecorded: string | null = null;
  const vault = e.custody === false ? null : sources.vault();
  if (vault) {
    const attempt = async (step: () => unknown): Promise<void> => {
      try {
        await step();
      } catch (err) {
        if (!(err instanceof AppError) || !UNRECORDABLE.has(err.code)) throw err;
        unrecorded ??= err.message;
      }
    };
    // A received (read-only) case takes no new evidence, but its ledger still records the hand-over.
    if (e.bytes) {
      const bytes = e.bytes;
      await attempt(async () => {
        evidenceId = (
          await vault.importBytes(e.caseNumber, path.basename(e.path), bytes, {
            kind: 'report',
            description: e.description,
            acquisition: { tool: `Lariat ${core.version}`, method: 'report generation' },
          })
        ).id;
      });
    }
    await attempt(() =>
      vault.recordCustody(e.caseNumber, {
        evidenceId,
        action: 'exported',
        purpose: `${e.description} written to ${e.path}`,
        details: { path: e.path, sha256: e.sha256, exportId: e.exportId },
      }),
    );
  }
  const c = core.cases.require(e.caseNumber);
  core.db.transaction(() => {
    core.db
      .prepare(
        'INSERT INTO report_exports (case_id, export_id, kind, path, size, sha256, options, evidence_id, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        c.id,
        e.exportId,
        e.kind,
        e.path,
        e.bytes?.length ?? e.size ?? 0,
        e.sha256,
        JSON.stringify(e.options),
        evidenceId,
        core.actor().name,
        core.clock.now().toISOString(),
      );
    core.activity.record({
      caseId: c.id,
      action: `${e.kind === 'bundle' ? 'bundle' : 'report'}.exported`,
      entity: e.kind === 'bundle' ? 'bundle' : 'report',
      entityId: e.exportId,
      details: { path: e.path, sha256: e.sha256, evidenceId, unrecorded },
    });
  })();
  core.events.emit('caseChanged', { caseNumber: e.caseNumber, what: 'reports' });
  return evidenceId;
}
