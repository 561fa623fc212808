import path from 'node:path';
import type { Core } from '../core/core';
import { DetectionService } from './detection-service';
import { IndicatorIndex } from './indicators/indicator-index';

/** Sigma detection, ATT&CK mapping and search across cases (issue 17). */
export interface DetectionFeature {
  service: DetectionService;
  indicators: IndicatorIndex;
  core: Core;
  /** Where `lariat rules test` finds the example events of each shipped rule (the repository's test/fixtures/detection). */
  fixturesDir: string;
}

export function createDetectionFeature(core: Core, options: { fixturesDir?: string } = {}): DetectionFeature {
  const { db, clock, events, cases, settings, activity } = core;
  const indicators = new IndicatorIndex({ db, clock });
  const service = new DetectionService({
    db,
    clock,
    events,
    cases,
    settings,
    activity,
    resourcesDir: core.paths.resourcesDir,
    vaultDir: core.paths.vaultDir,
    onCaseScanned: (caseId) => indicators.refreshCase(caseId),
  });
  return {
    service,
    indicators,
    core,
    fixturesDir: options.fixturesDir ?? path.join(core.paths.resourcesDir, '..', 'test', 'fixtures', 'detection'),
  };
}
