import fs from 'node:fs';
import { createServices, type Services } from '../../main/services';
import { createResponseFeature } from '../../main/response';
import { createAcquireFeature, type AcquireFeature } from '../../main/acquire';
import { ensureTestIdentity } from '../helpers/identity';
import type { AwsModel } from '../aws-model';
import { AWS_ENV, fastTempDir, testClock } from '../aws-model/lariat-env';

export interface AcquireModelEnv {
  model: AwsModel;
  services: Services;
  d: AcquireFeature;
  caseNumber: string;
  cleanup(): void;
}

/**
 * Lariat's real services and acquisition feature over an AWS model the test
 * has seeded: installs the model behind the SDK clients, a temp data folder,
 * a test identity, instant waits (yielding to the event loop, so a query
 * polled forever cannot starve the test's own timers), and one case in `regions`.
 */
export function acquireModelEnv(model: AwsModel, regions: string[], title = 'Acquisition'): AcquireModelEnv {
  model.install();
  const dataDir = fastTempDir('lariat-acquire-model-');
  const services = createServices({ dataDir, env: AWS_ENV, clock: testClock() });
  ensureTestIdentity(services);
  const sleep = () => new Promise<void>((r) => setImmediate(r));
  const response = createResponseFeature(services.core, services.custody, services.timeline, {
    sleep,
    pollMs: 0,
    deadline: model.deadline.fn,
  });
  const d = createAcquireFeature(services.core, services.custody, services.timeline, response, { sleep, pollMs: 0 });
  const caseNumber = services.core.cases.create({ title, severity: 'high', regions }).number;
  return {
    model,
    services,
    d,
    caseNumber,
    cleanup() {
      model.restore();
      d.session.disconnect();
      services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
