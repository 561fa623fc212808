import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Repository root when running from source or from `dist/` (both sit below it). Kept apart from
 * `main/services.ts` so `lariat --version` can answer without loading any feature.
 */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'lariat') return dir;
    } catch {
      // keep climbing
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export function lariatVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
