import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { ChannelName } from '../../common/contract';
import type { ChangeArea } from '../../common/contract/jobs';

/**
 * Which queries a change makes stale, and how often they are refetched.
 *
 * Query keys are `[channel, input]` (`useCall`) or `[channel, caseNumber, ...]` (hand-made keys such as the
 * timeline's pages). A change names a case and an area (`caseChanged` from main, or a mutation that just
 * succeeded); a query is affected when its channel shows that area and it reads that case. Changes are
 * collected and applied together (at most one refetch of a query per flush, flushes spaced out), so an
 * import that emits a change per file refetches each loaded page a few times, not once per file.
 */

/** Areas outside any case: identities, settings, the AWS session. */
export type GlobalArea = 'identity' | 'settings' | 'aws';
export type Area = ChangeArea | GlobalArea;
export interface Change {
  /** The case that changed; null for a change outside any case (or of every case, with `all`). */
  caseNumber: string | null;
  what: Area | 'all';
}

/** `case` is every area of a case (what `caseChanged` names), not the global ones. */
type Reads = readonly (Area | 'case-all')[] | 'never';
const GLOBAL_AREAS = new Set<string>(['identity', 'settings', 'aws']);

/**
 * What each read channel shows (`case-all`: every part of its case). A channel not listed here is treated
 * as showing every part of its case and who the investigator is (always correct, merely eager), so a new
 * feature's views refresh before anyone maps them.
 */
const READS: Partial<Record<ChannelName, Reads>> = {
  listCases: ['case', 'tasks'],
  getCase: ['case'],
  listTasks: ['tasks'],
  listNotes: ['notes'],
  listActivity: ['case-all'],
  getAppInfo: 'never',
  getSettings: ['settings'],
  getIdentity: ['identity'],
  listIdentities: ['identity'],
  exportPublicKey: ['identity'],
  listAssets: ['assets'],
  getAsset: ['assets'],
  listEvidence: ['evidence', 'custody'],
  getEvidence: ['evidence', 'custody'],
  listCustody: ['custody', 'evidence'],
  queryTimeline: ['timeline', 'findings'],
  countTimeline: ['timeline', 'findings'],
  getTimelineEvent: ['timeline'],
  listImports: ['timeline'],
  timelineHistogram: ['timeline', 'findings'],
  listIocCandidates: ['timeline', 'iocs'],
  getTimelineSettings: ['case'],
  listHighlightRules: 'never',
  listFindings: ['findings', 'timeline'],
  getFinding: ['findings', 'timeline'],
  listIocs: ['iocs', 'timeline'],
  listActions: ['actions'],
  getAction: ['actions'],
  getIncidentStatus: ['incident', 'actions'],
  awsWhoAmI: ['aws'],
  awsListProfiles: ['aws'],
  awsGetConfig: ['aws'],
  previewReport: ['case-all', 'identity'],
  getAnalysis: ['analysis', 'tasks', 'timeline', 'actions'],
  listAnalysisTemplates: 'never',
  listCaseDetections: ['timeline'],
  getEventDetections: ['timeline'],
  getAttackMatrix: ['timeline', 'findings'],
};

const UNMAPPED: Reads = ['case-all', 'identity'];

/** Channels whose answer does not depend on one case (they refresh on a change of any case). */
const CASELESS = new Set<string>([
  'listCases',
  'getSettings',
  'getIdentity',
  'listIdentities',
  'exportPublicKey',
  'awsWhoAmI',
  'awsListProfiles',
  'awsGetConfig',
  'getAppInfo',
  'listHighlightRules',
]);

/**
 * What each mutation changes, beyond what main announces with `caseChanged` (some changes, like a new
 * identity or a setting, belong to no case and are never announced). A mutation not listed here refreshes
 * everything of the case it names, or everything when it names none.
 */
const WRITES: Partial<Record<ChannelName, readonly Area[]>> = {
  createCase: ['case'],
  updateCase: ['case'],
  addTask: ['tasks'],
  updateTask: ['tasks'],
  addNote: ['notes'],
  updateNote: ['notes'],
  addAsset: ['assets'],
  updateSettings: ['settings'],
  createIdentity: ['identity'],
  useIdentity: ['identity'],
  addPublicKey: ['identity'],
  importEvidence: ['evidence'],
  promoteCandidate: ['iocs'],
  setTimelineSettings: ['case'],
  transferEvidence: ['custody', 'evidence'],
  prepareTransfer: [],
  setEvidenceStatus: ['custody', 'evidence'],
  addCustodyNote: ['custody'],
  verifyCustody: ['custody'],
  exportCustody: ['custody'],
  exportReport: ['reports', 'evidence', 'custody'],
  exportBundle: ['reports', 'evidence', 'custody'],
  verifyBundle: [],
  importBundle: ['case'],
  awsConnect: ['aws'],
  awsDisconnect: ['aws'],
  awsUpdateConfig: ['aws'],
  findInstances: [],
  describeInstance: [],
  addInstanceToCase: ['assets'],
  planAction: ['actions'],
  runAction: ['actions'],
  discardAction: ['actions'],
  linkIncident: ['incident'],
  flagEvent: ['timeline'],
  tagEvent: ['timeline'],
  importLogs: ['timeline'],
  addIoc: ['iocs'],
  updateIoc: ['iocs'],
  deleteIoc: ['iocs'],
  addFindingAssets: ['assets', 'iocs'],
  attachFinding: ['findings'],
  caseFromFinding: ['case', 'findings'],
  createDemoCase: ['case'],
  chooseFiles: [],
  chooseSaveLocation: [],
  cancelJob: [],
};

const CASE_NUMBER = /^IR-\d{4}-\d{4,6}$/i;

/** The case a query reads: the `caseNumber` of its input, or a case-number string in its key. */
export function caseOfKey(key: QueryKey): string | null {
  for (const part of key.slice(1)) {
    if (typeof part === 'string' && CASE_NUMBER.test(part)) return part.toUpperCase();
    if (part && typeof part === 'object' && 'caseNumber' in part) {
      const n = (part as { caseNumber?: unknown }).caseNumber;
      if (typeof n === 'string') return n.toUpperCase();
    }
  }
  return null;
}

/** True when `change` may have changed what the query with `key` shows. */
export function affects(key: QueryKey, change: Change): boolean {
  const channel = String(key[0]);
  const reads = READS[channel as ChannelName] ?? UNMAPPED;
  if (reads === 'never') return false;
  if (change.what !== 'all' && !reads.includes(change.what) && !(reads.includes('case-all') && !GLOBAL_AREAS.has(change.what)))
    return false;
  if (change.caseNumber === null || CASELESS.has(channel)) return true;
  const queryCase = caseOfKey(key);
  // A query of another case is untouched; one naming no case (unmapped) refreshes to be safe.
  return queryCase === null || queryCase === change.caseNumber.toUpperCase();
}

/** The changes a successful mutation makes, from its channel and input. */
export function changesOfMutation(channel: string, input: unknown): Change[] {
  const caseNumber =
    input && typeof input === 'object' && typeof (input as { caseNumber?: unknown }).caseNumber === 'string'
      ? (input as { caseNumber: string }).caseNumber.toUpperCase()
      : null;
  const writes = WRITES[channel as ChannelName];
  if (!writes) return [{ caseNumber, what: 'all' }];
  return writes.map((what) => ({ caseNumber, what }));
}

export interface ChangeQueueOptions {
  /** Wait this long after the first change, to collect the ones that follow it. */
  delayMs?: number;
  /** Start flushes at least this far apart (and never before the previous refetches finished). */
  minIntervalMs?: number;
}

/**
 * Collects changes and applies them in batches: one `invalidateQueries` per flush, with a predicate that
 * marks stale only the affected queries (active ones refetch once, whatever the number of changes).
 */
export class ChangeQueue {
  private pending = new Map<string, Change>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private lastStart = -Infinity;
  private readonly delayMs: number;
  private readonly minIntervalMs: number;

  constructor(
    private readonly client: QueryClient,
    options: ChangeQueueOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 30;
    this.minIntervalMs = options.minIntervalMs ?? 750;
  }

  push(...changes: Change[]): void {
    for (const c of changes) {
      const key = `${c.caseNumber ?? '*'}|${c.what}`;
      this.pending.set(key, c);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.running || this.pending.size === 0) return;
    const wait = Math.max(this.delayMs, this.lastStart + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
  }

  /** Applies everything pending now; resolves when the refetches it started have finished. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.lastStart = Date.now();
    this.running = this.client
      .invalidateQueries({ predicate: (q) => batch.some((c) => affects(q.queryKey, c)) })
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
        this.schedule();
      });
    await this.running;
  }
}
