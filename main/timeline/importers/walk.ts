import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { deniedError, requireReadable } from '../../core/readable';

/** File names Lariat picks up when walking a folder tree as delivered to S3. */
const IMPORTABLE = /\.(json|jsonl|ndjson|log|txt)(\.gz)?$|\.gz$/i;
/** CloudTrail digest files (hash chains of the log files) sit beside the logs in S3 but hold no events. */
const SKIP_DIRS = /^CloudTrail-Digest$/i;
/** Licence and readme files shipped beside samples are not evidence. */
const SKIP = /^(LICEN[CS]E|NOTICE|README|COPYING)/i;

/** Entries of a folder tree that were not imported, and why (reported, so nothing is left out silently). */
export interface SkippedEntry {
  path: string;
  why: string;
}

const LINK = 'a symbolic link: not followed inside a folder (a folder tree could point anywhere); name it to import what it points to';
const SPECIAL = 'not a regular file (a pipe, socket or device)';
const NAME = 'a name Lariat does not read inside folders (.json, .jsonl, .ndjson, .log, .txt, or .gz); name the file to import it';

/**
 * Expands the paths the investigator gave (files and folder trees) into the
 * files to import, sorted for a stable order. A named file is taken whatever
 * its extension; inside folders only JSON, NDJSON, log and gzip files are.
 * What a folder holds that is not taken is added to `skipped` (licence and
 * readme files and CloudTrail digests are left out by design, unsaid).
 */
export function expandPaths(paths: string[], skipped: SkippedEntry[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      throw deniedError('The folder', dir, err) ?? err;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.test(entry.name)) walk(full);
      } else if (entry.isSymbolicLink()) skipped.push({ path: full, why: LINK });
      else if (!entry.isFile()) skipped.push({ path: full, why: SPECIAL });
      else if (SKIP.test(entry.name)) continue;
      else if (!IMPORTABLE.test(entry.name)) skipped.push({ path: full, why: NAME });
      else {
        requireReadable('The file', full);
        out.push(full);
      }
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      const denied = deniedError('The path', p, err);
      if (denied) throw denied;
      throw new AppError(
        'not-found',
        `${p} does not exist or cannot be read.`,
        'Check the path; folders are imported with everything under them.',
      );
    }
    if (st.isDirectory()) walk(p);
    else {
      requireReadable('The file', p);
      out.push(path.resolve(p));
    }
  }
  return [...new Set(out)];
}

/**
 * The refusal when the paths hold no file to import: an import of a folder of links, of .csv files or of nothing
 * ended "0 imported ... in 0 file(s)" with exit code 0, which a script reads as done.
 */
export function nothingToImport(paths: readonly string[], skipped: readonly SkippedEntry[]): AppError {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.why, (counts.get(s.why) ?? 0) + 1);
  const found = [...counts].map(([why, n]) => `${n} ${n === 1 ? 'entry' : 'entries'}: ${why}`).join('; ');
  return new AppError(
    'nothing-to-import',
    `No file to import in ${paths.join(', ')}${found ? `; it holds ${found}` : '; it is empty'}. Nothing was imported.`,
    'Name the files themselves (a named file is read whatever its name), or give the folder that holds the logs.',
  );
}
