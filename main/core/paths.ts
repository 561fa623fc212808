import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

/**
 * Where Lariat keeps things. One data folder holds the database, the evidence
 * vault and the investigator's key file; `LARIAT_DATA_DIR` overrides it so the
 * CLI, tests and the app can share or isolate a case store.
 */
export interface Paths {
  dataDir: string;
  dbFile: string;
  vaultDir: string;
  keysDir: string;
  logsDir: string;
  resourcesDir: string;
}

export function makePaths(dataDir: string, resourcesDir: string): Paths {
  return {
    dataDir,
    dbFile: path.join(dataDir, 'lariat.db'),
    vaultDir: path.join(dataDir, 'vault'),
    keysDir: path.join(dataDir, 'keys'),
    logsDir: path.join(dataDir, 'logs'),
    resourcesDir,
  };
}

/** The search database beside a case database file (`lariat.db` → `lariat-search.db`). */
export function searchFileFor(dbFile: string): string {
  if (dbFile === '' || dbFile === ':memory:') return ':memory:';
  return path.join(path.dirname(dbFile), `${path.basename(dbFile, path.extname(dbFile))}-search.db`);
}

/** Default data folder when not running inside Electron (CLI): XDG-style, per user. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LARIAT_DATA_DIR) return path.resolve(env.LARIAT_DATA_DIR);
  const base =
    process.platform === 'win32'
      ? (env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? path.join(os.homedir(), 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'));
  return path.join(base, 'Lariat');
}

export function ensureDir(dir: string, mode = 0o700): void {
  fs.mkdirSync(dir, { recursive: true, mode });
}
