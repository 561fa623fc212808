import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type ServiceOptions, type Services } from '../../main/services';
import { fixedClock } from '../../main/core/clock';
import { createHandlers, type Handlers } from '../../main/ipc/handlers';

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
