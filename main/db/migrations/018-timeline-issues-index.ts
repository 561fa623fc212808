import type { Migration } from './types';

/**
 * `--where issue=CODE` (the records an import flagged: `event-id-reused`, `missing-eventTime`...) walked every
 * event of the case in time order to find the few that carry issues: ~40 ms at 200,000 events, a full scan at
 * a million when the code is rare. A partial index of the events that have issues (a small share of any real
 * timeline, so it costs little to build or keep) answers it from those rows alone; the query names
 * `issues IS NOT NULL` so the planner can use it.
 */
export const m018TimelineIssuesIndex: Migration = {
  version: 18,
  name: 'timeline-issues-index',
  up(db) {
    db.exec('CREATE INDEX timeline_events_issues ON timeline_events(case_id, ts) WHERE issues IS NOT NULL;');
  },
};
