import { makeServices, type TestServices } from '../../helpers/services';
import { ensureTestIdentity } from '../../helpers/identity';
import { fixedClock } from '../../../main/core/clock';
import { createResponseFeature, type ResponseFeature } from '../../../main/response';
import { createIncidentsFeature, type IncidentsFeature } from '../../../main/incidents';
import { incidentSyncSources } from '../../../main/incidents/bind-sources';
import { createRunbooksFeature, type RunbooksFeature } from '../../../main/runbooks';
import { createAnalysisFeature, type AnalysisFeature } from '../../../main/analysis';
import { analysisSources } from '../../../main/analysis/bind-sources';
import { createHandlers, type Handlers } from '../../../main/ipc/handlers';
import type { Services } from '../../../main/services';
import { AwsMock } from '../response/aws-mock';
import { ACCOUNT, FakeIncidentManager, REGION } from './fake-im';

export interface Env {
  s: TestServices;
  clock: ReturnType<typeof fixedClock>;
  mock: AwsMock;
  im: FakeIncidentManager;
  response: ResponseFeature;
  incidents: IncidentsFeature;
  runbooks: RunbooksFeature;
  analysis: AnalysisFeature;
  /** Services whose response, incidents, runbooks and analysis features use the instant-sleep session. */
  services: Services;
  handlers: Handlers;
  caseNumber: string;
  cleanup(): void;
}

/**
 * Real services on a temp database with a settable clock, a current
 * investigator, a case, and the issue-16 features rebuilt over an AWS session
 * whose throttling back-off does not sleep, all AWS calls answered by
 * aws-sdk-client-mock through the stateful fake Incident Manager.
 */
export function setup(): Env {
  const mock = new AwsMock();
  mock.on('sts', 'GetCallerIdentity', {
    Account: ACCOUNT,
    Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/LariatResponder/lariat`,
    UserId: 'AROA:x',
  });
  const im = new FakeIncidentManager(mock);
  const clock = fixedClock('2026-11-27T10:00:00.000Z');
  const s = makeServices({
    clock,
    env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: REGION },
  });
  ensureTestIdentity(s);
  const sleep = async () => undefined;
  const response = createResponseFeature(s.core, s.custody, s.timeline, { sleep, pollMs: 0 });
  const runbooks = createRunbooksFeature(s.core, {
    session: response.aws,
    timeline: s.timeline.timeline,
    evidence: s.custody.evidence,
    sleep,
    pollMs: 0,
  });
  const incidents = createIncidentsFeature(s.core, {
    session: response.aws,
    timeline: s.timeline.timeline,
    casePlans: s.plans.casePlaybooks.store,
    sources: incidentSyncSources({ custody: s.custody, timeline: s.timeline, response, runbooks }),
  });
  const analysis = createAnalysisFeature(s.core, {
    tasks: s.tasks,
    sources: analysisSources({ timeline: s.timeline, response, runbooks }),
  });
  const services: Services = { ...s, response, runbooks, incidents, analysis };
  const caseNumber = s.core.cases.create({ title: 'Miner on web-1', severity: 'high', regions: [REGION] }).number;
  return {
    s,
    clock,
    mock,
    im,
    response,
    incidents,
    runbooks,
    analysis,
    services,
    handlers: createHandlers(services),
    caseNumber,
    cleanup() {
      mock.restore();
      s.cleanup();
    },
  };
}

/** Lariat's events of a case timeline that were copied from the incident. */
export function pulledEvents(e: Env, caseNumber = e.caseNumber) {
  return e.s.timeline.events
    .query({ caseNumber, where: [{ column: 'source', value: 'lariat' }], limit: 1000 })
    .events.filter((x) => (x.action ?? '').startsWith('incident-manager.'));
}
