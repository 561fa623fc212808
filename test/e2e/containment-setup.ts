import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startApp, type App } from './harness';
import { ensureTestIdentity } from '../helpers/identity';
import { tempDir } from '../helpers/services';
import { createAwsModel, type AwsModel } from '../aws-model';
import { REGION, seedScenario } from '../aws-model/scenario';
import { lambdaCodeFetch } from '../aws-model/modules/lambda';
import type { CaseRecord } from '../../common/contract/cases';

/**
 * The scenario's model with `seeds` on top, not installed yet: the test can still copy the state
 * its release must put back before any SDK call reaches the model.
 */
export function seededModel(...seeds: ((model: AwsModel) => void)[]): AwsModel {
  const model = createAwsModel();
  seedScenario(model);
  for (const seed of seeds) seed(model);
  return model;
}

type Body = (app: App, page: Page) => Promise<void>;

/**
 * Installs `model` behind the SDK clients, starts the app with the test identity (containment needs a
 * signer) and runs `body`. The app is closed and the model restored even when `body` fails, so the next
 * test starts with real SDK clients and no open data folder. `lambdaCode`: see withLambdaCode.
 */
export async function inContainmentApp(model: AwsModel, body: Body): Promise<void>;
export async function inContainmentApp(model: AwsModel, o: { lambdaCode: boolean }, body: Body): Promise<void>;
export async function inContainmentApp(model: AwsModel, ...args: [Body] | [{ lambdaCode: boolean }, Body]): Promise<void> {
  const [o, body] = args.length === 1 ? [{ lambdaCode: false }, args[0]] : args;
  const run = async () => {
    model.install();
    let app: App | undefined;
    try {
      app = await startApp();
      ensureTestIdentity(app.services);
      await body(app, app.page);
    } finally {
      await app?.close();
      model.restore();
    }
  };
  await (o.lambdaCode ? withLambdaCode(run) : run());
}

/** A high-severity case in the model's region: the plans' account and region come from the case. */
export const openCase = (app: App, title: string): CaseRecord =>
  app.services.core.cases.create({ title, severity: 'high', regions: [REGION] });

/** Writes a finding (as AWS delivers it) to a file and imports it into the case, as an investigator's drop would. */
export async function importFinding(app: App, caseNumber: string, name: string, finding: unknown): Promise<void> {
  const file = path.join(tempDir('lariat-e2e-contain-'), name);
  fs.writeFileSync(file, JSON.stringify(finding));
  await app.services.timeline.imports.importPaths(caseNumber, [file]);
}

/**
 * Runs `body` with `fetch` serving the model's presigned Code.Location links: the code package is
 * downloaded by the services in this process, not by the page. Any other URL goes to the real fetch.
 */
async function withLambdaCode(body: () => Promise<void>): Promise<void> {
  const realFetch = globalThis.fetch;
  const serve = lambdaCodeFetch();
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) =>
    String(input).includes('X-Model-Body=') ? serve(String(input)) : realFetch(input, init)) as typeof fetch;
  try {
    await body();
  } finally {
    globalThis.fetch = realFetch;
  }
}
