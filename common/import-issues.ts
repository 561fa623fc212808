/**
 * The issue a CloudTrail record is flagged with when its eventID, account, time and name are those of a
 * different event the case holds: kept, never merged. Shared so the app can offer the filter the CLI
 * prints (`--where issue=event-id-reused`) without a second spelling of it.
 */
export const REUSED_ISSUE = 'event-id-reused';
