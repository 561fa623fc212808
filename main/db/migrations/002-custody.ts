import type { Migration } from './types';

/** Schema of the custody feature. */
export const m002Custody: Migration = {
  version: 2,
  name: 'custody',
  up() {
    // Filled in by the custody feature.
  },
};
