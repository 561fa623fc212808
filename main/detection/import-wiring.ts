import type { ImportMatcher } from '../timeline/api';
import type { ImportService } from '../timeline/import-service';
import type { DetectionService } from './detection-service';
import { withDocs } from './engine/rule-docs';

/**
 * Makes the timeline import match every record against the enabled rules as it is parsed (issue 17):
 * each import begins a detection session for its case, and the catch-up after an import is no longer
 * needed (it stays for callers that import without the pipeline).
 */
export function wireImportDetection(imports: Pick<ImportService, 'useDetection'>, service: DetectionService): void {
  service.autoCatchUp = false;
  imports.useDetection((caseNumber): ImportMatcher => {
    const session = service.beginImport(caseNumber);
    return {
      // The parse thread builds the same rules: handed the YAML documents read here, it does not read them again.
      sources: withDocs(session.sources),
      disabled: session.disabled,
      matchRecord: (record) => session.rules.set.matchRecord(record),
      record: (hits) => session.record(hits),
      finish: () => session.finish(),
      abort: () => session.abort(),
    };
  });
}
