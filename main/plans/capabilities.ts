import { ActionKind } from '../../common/contract/response';
import { channelNames } from '../../common/contract';
import type { StepBinding } from '../../common/contract/plan-schema';
import type { StepAvailability } from '../../common/contract/plans';
import { highlightIds } from '../timeline/highlights';

/**
 * What this build of Lariat can do, by the names playbooks use. A playbook
 * binds steps by name (including capabilities other features add, such as
 * `credentials` or `cloudtrail-lookup`); here each name is resolved against
 * what is actually present, so a missing one becomes a manual task with the
 * reason, never a button that does nothing.
 *
 * Response action names come from the contract's `ActionKind`, so an action
 * kind added there becomes available to playbooks without a change here.
 */

/** Acquisitions with a place in the UI: the tab that does them and the route query. */
const ACQUISITIONS: Record<string, { tab: string; query?: Record<string, string>; label: string }> = {
  'evidence-files': { tab: 'evidence', label: 'import files into the evidence vault' },
  'log-files': { tab: 'timeline', label: 'import exported logs and findings into the timeline' },
  'ebs-snapshot': { tab: 'actions', query: { kind: 'snapshot' }, label: 'snapshot the volumes (response action)' },
  memory: { tab: 'actions', query: { kind: 'memory' }, label: 'acquire memory through SSM (response action)' },
};

/**
 * Acquisitions other features add, keyed by the contract channel that proves
 * they are present in this build (issue 18 names). Until that channel exists
 * the step is manual.
 */
const CHANNEL_ACQUISITIONS: Record<string, { channel: string; tab: string; label: string }> = {
  'cloudtrail-lookup': { channel: 'acquireLookupEvents', tab: 'evidence', label: 'CloudTrail event history (LookupEvents)' },
  'log-bucket': { channel: 'planBucketAcquisition', tab: 'evidence', label: 'log objects from an S3 bucket' },
  'findings-pull': { channel: 'pullFindings', tab: 'findings', label: 'GuardDuty and Security Hub findings' },
  'athena-query': { channel: 'planAthenaQuery', tab: 'evidence', label: 'an Athena query over the log bucket' },
};

/**
 * Detection rules (Sigma, issue 17) by the channel that lists them; until it
 * exists, a rule step is manual. Built-in highlight rules are always here.
 */
const RULES_CHANNEL = 'listDetectionRules';

const present = (channel: string): boolean => (channelNames as string[]).includes(channel);

export function responseActionAvailable(name: string): StepAvailability {
  return (ActionKind.options as string[]).includes(name)
    ? { available: true, reason: null }
    : { available: false, reason: `The response action "${name}" is not part of this build of Lariat.` };
}

export function acquisitionTarget(name: string): { tab: string; query: Record<string, string>; label: string } | null {
  const a = ACQUISITIONS[name];
  if (a) return { tab: a.tab, query: a.query ?? {}, label: a.label };
  const c = CHANNEL_ACQUISITIONS[name];
  if (c && present(c.channel)) return { tab: c.tab, query: {}, label: c.label };
  return null;
}

export function bindingAvailability(b: StepBinding): StepAvailability {
  switch (b.type) {
    case 'response-action':
      return responseActionAvailable(b.action);
    case 'timeline':
      return b.highlight && !highlightIds.has(b.highlight)
        ? { available: false, reason: `The timeline highlight "${b.highlight}" is not part of this build of Lariat.` }
        : { available: true, reason: null };
    case 'rule':
      return highlightIds.has(b.rule) || present(RULES_CHANNEL)
        ? { available: true, reason: null }
        : { available: false, reason: `Detection rule filters ("${b.rule}") are not part of this build of Lariat.` };
    case 'acquisition': {
      if (acquisitionTarget(b.acquisition)) return { available: true, reason: null };
      const known = CHANNEL_ACQUISITIONS[b.acquisition];
      return {
        available: false,
        reason: known
          ? `Acquiring ${known.label} is not part of this build of Lariat.`
          : `The acquisition "${b.acquisition}" is not part of this build of Lariat.`,
      };
    }
    default:
      return { available: true, reason: null };
  }
}

/** Words for a binding, as the playbook shows them beside the step. */
export function bindingLabel(b: StepBinding): string {
  switch (b.type) {
    case 'response-action':
      return `Response action: ${b.action}`;
    case 'timeline':
      return `Timeline: ${[
        b.highlight && `highlight ${b.highlight}`,
        ...(b.where ?? []).map((w) => `${w.column} = ${w.value}`),
        b.search && `search "${b.search}"`,
        b.flagged && 'flagged events',
        b.errorsOnly && 'errors only',
      ]
        .filter(Boolean)
        .join(', ')}`;
    case 'rule':
      return `Detection rule: ${b.rule}`;
    case 'acquisition':
      return `Evidence acquisition: ${acquisitionTarget(b.acquisition)?.label ?? b.acquisition}`;
    case 'note':
      return `Note template: ${b.title}`;
    case 'runbook':
      return `SSM Automation runbook: ${b.documentName}`;
    case 'incident':
      return `Incident Manager: ${b.action}`;
    case 'analysis':
      return 'Post-incident analysis';
  }
}
