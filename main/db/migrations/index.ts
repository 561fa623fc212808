import type { Migration } from './types';
import { m001Foundation } from './001-foundation';
import { m002Custody } from './002-custody';
import { m003Timeline } from './003-timeline';
import { m004Response } from './004-response';
import { m005Reports } from './005-reports';
import { m006SearchFile } from './006-search-file';
import { m007CustodyTrust } from './007-custody-trust';
import { m008ActionLease } from './008-action-lease';
import { m009TimelineIdentityDedup } from './009-timeline-identity-dedup';
import { m010SampleFindings } from './010-sample-findings';
import { m011Detection } from './011-detection';
import { m012Plans } from './012-plans';
import { m013Acquire } from './013-acquire';
import { m014DemoCase } from './014-demo-case';
import { m015ContainmentTargets } from './015-containment-targets';
import { m016DetectionHitRuns } from './016-detection-hit-runs';
import { m017TimelineImportSessions } from './017-timeline-import-sessions';
import { m018TimelineIssuesIndex } from './018-timeline-issues-index';
import { m019TimelineImportReused } from './019-timeline-import-reused';
import { m020TimelineRowChecks } from './020-timeline-row-checks';

export type { Migration } from './types';

/** Every schema change in order. Append only; the runner refuses gaps. */
export const migrations: readonly Migration[] = [
  m001Foundation,
  m002Custody,
  m003Timeline,
  m004Response,
  m005Reports,
  m006SearchFile,
  m007CustodyTrust,
  m008ActionLease,
  m009TimelineIdentityDedup,
  m010SampleFindings,
  m011Detection,
  m012Plans,
  m013Acquire,
  m014DemoCase,
  m015ContainmentTargets,
  m016DetectionHitRuns,
  m017TimelineImportSessions,
  m018TimelineIssuesIndex,
  m019TimelineImportReused,
  m020TimelineRowChecks,
];
