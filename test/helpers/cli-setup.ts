import { createServices, type Services } from '../../main/services';
import { fixedClock } from '../../main/core/clock';
import { createResponseFeature } from '../../main/response';
import { cli, runCaptured, type CliRun } from './cli';
import { ensureTestIdentity } from './identity';
import { tempDir } from './services';

/** Waits that return at once: AWS steps poll with no delay, so a CLI test never sleeps. */
export const INSTANT = { sleep: async (): Promise<void> => undefined, pollMs: 0 };

/**
 * A fresh data folder with a test identity and one case made by `lariat case new`: imports through the CLI sign custody
 * entries, so the identity must exist before the first command. The caller removes `dir`.
 */
export async function cliCase(title: string): Promise<{ dir: string; caseNumber: string }> {
  const dir = tempDir();
  const s = createServices({ dataDir: dir, env: {} });
  ensureTestIdentity(s);
  s.close();
  const caseNumber = (await cli(dir, 'case', 'new', '--title', title, '--severity', 'high')).out.trim();
  return { dir, caseNumber };
}

/**
 * The CLI on a test's data folder with AWS keys in its environment (the test's mock answers the calls) and services whose
 * response waits are instant; `extend` adds a feature built on them (acquire). `dataDir` is read per run, as each test has its own.
 */
export function awsCli(
  dataDir: () => string,
  keys: { id: string; secret: string; region: string },
  extend: (s: Services) => Services = (s) => s,
): (...argv: string[]) => Promise<CliRun> {
  return (...argv) => {
    const env = { LARIAT_DATA_DIR: dataDir(), AWS_ACCESS_KEY_ID: keys.id, AWS_SECRET_ACCESS_KEY: keys.secret, AWS_REGION: keys.region };
    const services = (): Services => {
      const s = createServices({ dataDir: env.LARIAT_DATA_DIR, env, clock: fixedClock('2026-11-27T12:00:00.000Z', 1000) });
      return extend({ ...s, response: createResponseFeature(s.core, s.custody, s.timeline, INSTANT) });
    };
    return runCaptured(argv, { env, services });
  };
}
