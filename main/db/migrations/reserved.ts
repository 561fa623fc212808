import type { Migration } from './types';

/**
 * BRANCH-ONLY (ux): migrations 007-013 are assigned to other branches being written at the same time.
 * The runner refuses gaps, so this branch stands in empty migrations for them until the merge; the
 * integrator drops this file (and its spread in index.ts) when the real 007-013 arrive. A database made
 * by this branch alone is a development database, never shipped.
 */
export const reservedForOtherBranches: Migration[] = [7, 8, 9, 10, 11, 12, 13].map((version) => ({
  version,
  name: `reserved-${version}`,
  up: () => undefined,
}));
