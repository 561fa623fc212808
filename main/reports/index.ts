import type { Core } from '../core/core';
import type { CustodyFeature } from '../custody';
import type { TimelineFeature } from '../timeline';
import type { ResponseFeature } from '../response';
import type { TaskService } from '../tasks/task-service';
import type { NoteService } from '../notes/note-service';
import { ReportService } from './report-service';
import { BundleService } from './bundle/bundle-service';
import { bindSources } from './bind-sources';
import type { AcquireReportSource } from './sources';
import type { AnalysisView } from '../../common/contract/analysis';
import type { ReportDetections } from './report-data';
import { receivedItems, receivedVerifier } from './bundle/received';

/** Case reports and signed case bundles (issue 6). */
export interface ReportsFeature {
  reports: ReportService;
  bundles: BundleService;
}

/**
 * Builds reports and bundles over the other features. Tasks and notes are
 * foundation services that live outside `Core`, so they are passed in.
 */
export function createReportsFeature(
  core: Core,
  custody: CustodyFeature,
  timeline: TimelineFeature,
  response: ResponseFeature,
  foundation: {
    tasks: TaskService;
    notes: NoteService;
    analysis?: (caseNumber: string) => AnalysisView | null;
    detections?: (caseNumber: string) => ReportDetections | null;
    acquire?: AcquireReportSource;
  },
): ReportsFeature {
  const sources = bindSources(core, custody, timeline, response, foundation.analysis, foundation.detections, foundation.acquire);
  const reports = new ReportService({ core, tasks: foundation.tasks, notes: foundation.notes, sources });
  // Received cases keep their bundle: their evidence is listed from it and it is re-verified with the case.
  custody.vault.setReceivedItems((n) => receivedItems(core, n));
  custody.verify.setReceivedVerifier(receivedVerifier(core, custody));
  return { reports, bundles: new BundleService({ core, reports, tasks: foundation.tasks, notes: foundation.notes, sources, custody }) };
}
