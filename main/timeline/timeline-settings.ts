import type { Db } from '../db/database';
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type { TimelineSettings } from '../../common/contract/timeline';

/** Per-case timeline options (`timeline_settings`): keep duplicates on purpose, or every event once (the default). */
export class TimelineSettingsStore {
  constructor(private readonly deps: { db: Db; cases: CaseService; activity: ActivityService }) {}

  get(caseNumber: string): TimelineSettings {
    const c = this.deps.cases.require(caseNumber);
    const keep = this.deps.db.prepare('SELECT keep_duplicates FROM timeline_settings WHERE case_id = ?').pluck().get(c.id) as
      number | undefined;
    return { caseNumber: c.number, keepDuplicates: keep === 1 };
  }

  set(caseNumber: string, keepDuplicates: boolean): TimelineSettings {
    this.deps.db.transaction(() => {
      const c = this.deps.cases.requireWritable(caseNumber);
      this.deps.db
        .prepare(
          'INSERT INTO timeline_settings (case_id, keep_duplicates) VALUES (?, ?) ON CONFLICT (case_id) DO UPDATE SET keep_duplicates = excluded.keep_duplicates',
        )
        .run(c.id, keepDuplicates ? 1 : 0);
      this.deps.activity.record({ caseId: c.id, action: 'timeline.settings', entity: 'case', details: { keepDuplicates } });
    })();
    return this.get(caseNumber);
  }
}
