import type { Migration } from './types';

/**
 * BRANCH-ONLY (timeline): migrations 007 and 008 are assigned to other
 * branches written at the same time. The runner refuses gaps, so this branch
 * stands in empty migrations for them until the merge; the integrator drops
 * this file (and its spread in index.ts) when the real 007 and 008 arrive.
 */
export const reservedForOtherBranches: Migration[] = [7, 8].map((version) => ({
  version,
  name: `reserved-${version}`,
  up: () => undefined,
}));
