import type { RegionCoverage } from '../../../common/contract/acquire';

/** One cell of the coverage grid: what it says, and whether it is a blind spot. */
export interface Cell {
  text: string;
  state: 'ok' | 'gap' | 'unknown';
}

export const COVERAGE_COLUMNS = ['Trails', 'Multi-region', 'Validation', 'Data events', 'Flow logs', 'GuardDuty', 'Security Hub'] as const;

const yes = (b: boolean | null | undefined, on: string, off: string): Cell =>
  b == null ? { text: 'unknown', state: 'unknown' } : b ? { text: on, state: 'ok' } : { text: off, state: 'gap' };

/**
 * A region's row of the grid. A trail covers the region if it logs there (its own or a multi-region
 * trail); the row is judged by the best trail, because one good trail is enough evidence. A check that
 * could not be made (permission, region disabled) is `unknown`, never shown as covered.
 */
export function coverageCells(r: RegionCoverage): Cell[] {
  const trails = r.trails;
  const logging = trails.filter((t) => t.logging !== false);
  const any = <K extends 'multiRegion' | 'validation' | 'dataEvents'>(k: K): boolean | null =>
    trails.length === 0 ? false : trails.some((t) => t[k] === true) ? true : trails.some((t) => t[k] === null) ? null : false;
  return [
    trails.length === 0
      ? { text: 'none', state: 'gap' }
      : { text: trails.map((t) => t.name + (t.logging === false ? ' (stopped)' : '')).join(', '), state: logging.length ? 'ok' : 'gap' },
    yes(any('multiRegion'), 'yes', 'no'),
    yes(any('validation'), 'on', 'off'),
    yes(any('dataEvents'), 'on', 'off'),
    r.flowLogs == null ? { text: 'unknown', state: 'unknown' } : yes(r.flowLogs.vpcs > 0, `${r.flowLogs.vpcs} VPC(s)`, 'none'),
    r.guardDuty == null ? { text: 'unknown', state: 'unknown' } : yes(r.guardDuty.enabled, r.guardDuty.status ?? 'enabled', 'off'),
    r.securityHub == null ? { text: 'unknown', state: 'unknown' } : yes(r.securityHub.enabled, 'on', 'off'),
  ];
}
