import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type ServiceOptions, type Services } from '../../main/services';
import { fixedClock } from '../../main/core/clock';
import { createHandlers, type Handlers } from '../../main/ipc/handlers';
import { ImportService, type ImportDeps } from '../../main/timeline/import-service';
import { importDepsOf } from '../../main/timeline';

/** A fresh data folder in the OS temp dir; removed by `cleanup`. */
export function tempDir(prefix = 'lariat-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServices extends Services {
  dataDir: string;
  handlers: Handlers;
  cleanup(): void;
}

/** Real services on a real SQLite file in a temp folder, with a deterministic clock. */
export function makeServices(options: Partial<ServiceOptions> = {}): TestServices {
  const dataDir = options.dataDir ?? tempDir();
  const services = createServices({ clock: fixedClock('2026-11-27T10:00:00.000Z', 1000), env: {}, ...options, dataDir });
  return {
    ...services,
    dataDir,
    handlers: createHandlers(services),
    cleanup() {
      services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An import pipeline over the test services (their database and vault folder) with some dependencies replaced:
 * a fake evidence API, thresholds (`workerBytes` 0: every file on the parse thread; Infinity: streamed on the
 * main thread; `bulkBytes`). Without overrides it records through the real evidence vault.
 */
export function importServiceWith(s: Services, overrides: Partial<ImportDeps> = {}): ImportService {
  return new ImportService({ ...importDepsOf(s.core, s.custody.evidence), version: 'test', ...overrides });
}

/** The real evidence vault's import pipeline with its parse-thread threshold set (see `importServiceWith`). */
export const importServiceOf = (s: Services, workerBytes: number): ImportService => importServiceWith(s, { workerBytes });
