import type { InputOf } from '../../../common/contract';
import type { FindingSeverity, FindingSource } from '../../../common/contract/acquire';
import { listOf, windowOf } from '../acquire/form-input';

/** The pull form as typed: lists are comma-separated, times datetime-local in UTC, empty means "any". */
export interface PullForm {
  regions: string;
  sources: FindingSource[];
  severity: FindingSeverity | '';
  types: string;
  resource: string;
  from: string;
  to: string;
  accounts: string;
  organization: boolean;
  roleName: string;
}

export const emptyPullForm = (regions: string[] = []): PullForm => ({
  regions: regions.join(', '),
  sources: ['guardduty', 'securityhub'],
  severity: '',
  types: '',
  resource: '',
  from: '',
  to: '',
  accounts: '',
  organization: false,
  roleName: '',
});

/**
 * The `pullFindings` input of a form: only what was given is sent, so AWS's own defaults (every type,
 * every time) apply to the rest. Both sources is the same as none named.
 */
export function pullInput(f: PullForm): InputOf<'pullFindings'> {
  const accounts = listOf(f.accounts);
  const scope =
    accounts || f.organization
      ? { accounts, organization: f.organization || undefined, roleName: f.roleName.trim() || undefined }
      : undefined;
  return {
    regions: listOf(f.regions),
    sources: f.sources.length === 1 ? f.sources : undefined,
    severity: f.severity || undefined,
    types: listOf(f.types, true),
    resource: f.resource.trim() || undefined,
    window: windowOf(f.from, f.to),
    scope,
  };
}
