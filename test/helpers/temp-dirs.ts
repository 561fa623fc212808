import fs from 'node:fs';
import { afterEach } from 'vitest';
import type { ServiceOptions } from '../../main/services';
import { makeServices, tempDir, type TestServices } from './services';

/** Temp folders and services that last one test (see `perTest`). */
export interface PerTest {
  /** A fresh temp folder, removed after this test. */
  dir: (prefix?: string) => string;
  /** Folders made elsewhere (by `makeServices` then closed, by `tempDir`) that must go after this test too. */
  keep: (...dirs: string[]) => void;
  /** `makeServices`, cleaned up (closed, folder removed) after this test. */
  services: (options?: Partial<ServiceOptions>) => TestServices;
}

/**
 * A test that fails half-way must not leave its data folders (and open databases) behind for the next test or the next run.
 * This registers the one `afterEach` that removes them, so call it at a test file's top level.
 */
export function perTest(): PerTest {
  const dirs: string[] = [];
  const services: TestServices[] = [];
  afterEach(() => {
    for (const s of services.splice(0)) s.cleanup();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const keep = (...made: string[]): void => void dirs.push(...made);
  return {
    dir: (prefix) => {
      const d = tempDir(prefix);
      keep(d);
      return d;
    },
    keep,
    services: (options) => {
      const s = makeServices(options);
      services.push(s);
      return s;
    },
  };
}
