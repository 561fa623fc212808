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

/**
 * Expands the paths the investigator gave (files and folder trees) into the
 * files to import, sorted for a stable order. A named file is taken whatever
 * its extension; inside folders only JSON, NDJSON, log and gzip files are.
 */
export function expandPaths(paths: string[]): string[] {
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
      } else if (entry.isFile() && IMPORTABLE.test(entry.name) && !SKIP.test(entry.name)) {
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
