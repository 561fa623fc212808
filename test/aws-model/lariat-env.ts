import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixedClock, type Clock } from '../../main/core/clock';
import { createServices, type Services } from '../../main/services';
import { createResponseFeature, type ResponseFeature } from '../../main/response';
import { PlanActionInput, type ActionKind, type ActionRecord } from '../../common/contract/response';
import { ensureTestIdentity } from '../helpers/identity';
import { createAwsModel, type AwsModel } from './index';
import { ID, REGION, seedScenario, type ScenarioOptions } from './scenario';

/**
 * A fresh data folder, in memory-backed /dev/shm when the machine has it: the
 * fault tier runs hundreds of actions, each committing every step with
 * fsync, and durability is not what it tests (the SIGKILL tests use disk).
 */
export function fastTempDir(prefix = 'lariat-model-'): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, prefix));
}

export type TestClock = Clock & { set(d: string | Date): void; advance(ms: number): void };

/** A clock that moves one second per read (so every record has its own time) and can jump (a lease expiring). */
export function testClock(start = '2026-11-27T10:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  const c = fixedClock(start, 1000);
  return {
    now: () => {
      const d = new Date(t);
      t += 1000;
      return d;
    },
    set: (d) => {
      t = new Date(d).getTime();
      c.set(d);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_REGION: REGION,
};

/** One Lariat (services + response feature) on a data folder, talking to the model. */
export interface Lariat {
  services: Services;
  feature: ResponseFeature;
  caseNumber: string;
  /** Plans on the scenario's instance, or on `target` (the kind's own target fields: `{ userName }`, `{ bucket }`, `{ region, functionName }`...). */
  plan(kind: ActionKind, options?: Record<string, unknown>, target?: Record<string, unknown>): Promise<ActionRecord>;
  run(actionId: number): Promise<ActionRecord>;
  close(): void;
}

export interface LariatEnv extends Lariat {
  dataDir: string;
  model: AwsModel;
  clock: TestClock;
  /** Another Lariat on the same data folder, as after a restart or in a second window/process. */
  open(): Lariat;
  cleanup(): void;
}

function openLariat(dataDir: string, model: AwsModel, clock: TestClock, caseNumber?: string): Lariat {
  const services = createServices({ dataDir, env: AWS_ENV, clock });
  ensureTestIdentity(services);
  const feature = createResponseFeature(services.core, services.custody, services.timeline, {
    sleep: async () => undefined,
    pollMs: 0,
    deadline: model.deadline.fn,
    heartbeatMs: 0,
  });
  const number = caseNumber ?? services.core.cases.create({ title: 'Miner on web-1', severity: 'high', regions: [REGION] }).number;
  return {
    services,
    feature,
    caseNumber: number,
    plan: (kind, options = {}, target) =>
      feature.response.plan(
        PlanActionInput.parse({ kind, caseNumber: number, region: REGION, ...(target ?? { instanceId: ID }), options }),
      ),
    run: (actionId) => feature.response.run(actionId, feature.response.get(actionId).instanceId),
    close: () => services.close(),
  };
}

/**
 * Lariat's real services on a temp data folder, with the AWS model seeded
 * with the web-1 scenario and installed behind the SDK clients. Waits are
 * instant, the request deadline is the model's (a `stall` fault expires it),
 * the heartbeat only runs at step boundaries (so a "killed" runner's lease
 * expires when the clock is moved).
 */
export function lariatWithModel(
  o: { scenario?: ScenarioOptions; model?: AwsModel; dataDir?: string; caseNumber?: string } = {},
): LariatEnv {
  const model = o.model ?? createAwsModel();
  if (!o.model) seedScenario(model, o.scenario);
  model.install();
  const dataDir = o.dataDir ?? fastTempDir();
  const clock = testClock();
  const first = openLariat(dataDir, model, clock, o.caseNumber);
  const opened: Lariat[] = [first];
  return {
    ...first,
    dataDir,
    model,
    clock,
    open() {
      const l = openLariat(dataDir, model, clock, first.caseNumber);
      opened.push(l);
      return l;
    },
    cleanup() {
      model.restore();
      for (const l of opened) l.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
