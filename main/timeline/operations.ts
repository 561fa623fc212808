import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { timelineContract } from '../../common/contract/timeline';
import { checkDepsOf, startDatabaseCheck } from './database-check';
import { highlightRules } from './highlights';
import type { TimelineService } from './timeline-service';
import { parseFlowFormat } from './importers/flowlogs';
import { AppError } from '../core/errors';
import type { DetectionCondition } from './query';
import { timelineDetectionCondition } from '../detection/timeline-filter';

/** A flow log format given with an import, checked before anything is copied into the vault. */
function flowFields(format: string | undefined): string[] | undefined {
  if (format === undefined) return undefined;
  try {
    return parseFlowFormat(format);
  } catch (err) {
    throw new AppError(
      'invalid-input',
      `The flow log format is not valid: ${(err as Error).message}.`,
      'Copy the LogFormat of the flow log from `aws ec2 describe-flow-logs`.',
    );
  }
}

type Ops = HandlersFor<typeof timelineContract>;

/**
 * The read-only queries, which need the timeline service alone: the CLI's quick query path uses exactly these.
 * `detection` resolves the rule/level/technique filters; without it (the quick path) they are refused.
 */
export function timelineReadOperations(
  events: TimelineService,
  detection?: DetectionCondition,
): Pick<Ops, 'queryTimeline' | 'countTimeline' | 'timelineHistogram' | 'getTimelineEvent' | 'locateTimelineEvent'> {
  return {
    locateTimelineEvent: (input) => events.locate(input.eventId),
    queryTimeline: (input) => events.query(input, detection),
    countTimeline: (input) => events.count(input, detection),
    timelineHistogram: (input) => events.histogram(input, detection),
    getTimelineEvent: (input) => events.get(input.caseNumber, input.eventId),
  };
}

/** The timeline feature's operations: one function each, shared by the IPC handlers and the CLI. */
export function timelineOperations(s: Services): Ops {
  const t = s.timeline;
  return {
    ...timelineReadOperations(t.events, timelineDetectionCondition(s.detection)),
    flagEvent: (input) => t.events.flag(input.caseNumber, input.eventId, input.flagged),
    tagEvent: (input) => t.events.tag(input.caseNumber, input.eventId, input.tags),
    listHighlightRules: () => highlightRules,
    /** The import runs as a job and its id returns at once (the CLI waits for the report with jobs.wait). */
    importLogs: (input) => {
      const options = { flowFields: flowFields(input.flowLogFormat) };
      return { jobId: t.imports.start(input.caseNumber, s.core.grants.takeAll(input.files, 'read'), options).jobId };
    },
    getTimelineSettings: (input) => t.imports.settings(input.caseNumber),
    setTimelineSettings: (input) => t.imports.setSettings(input.caseNumber, input.keepDuplicates),
    listIocCandidates: (input) => t.candidates.list(input.caseNumber, input.type, input.limit),
    promoteCandidate: (input) => t.candidates.promote(input),
    /** A job: the check reads every page, and an index from before IP tokens is written again (progress, cancel). */
    checkDatabase: () => startDatabaseCheck(checkDepsOf(s.core, (id) => t.imports.searchTextOf(id))),
    listImports: (input) => t.imports.list(input.caseNumber),
    listFindings: (input) => t.findings.list(input.caseNumber, input),
    getFinding: (input) => t.findings.get(input.caseNumber, input.findingId),
    caseFromFinding: (input) => t.findings.caseFromFinding(input.caseNumber, input.findingId),
    attachFinding: (input) => t.findings.attach(input.caseNumber, input.findingId, input.targetCaseNumber),
    addFindingAssets: (input) => t.findings.addAssets(input.caseNumber, input.findingId),
    listIocs: (input) => t.iocs.list(input.caseNumber),
    addIoc: (input) => t.iocs.add(input),
    updateIoc: (input) => t.iocs.update(input),
    deleteIoc: (input) => t.iocs.remove(input.caseNumber, input.iocId),
    createDemoCase: () => t.demo(),
  };
}
