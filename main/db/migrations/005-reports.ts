import type { Migration } from './types';

/** Schema of the reports feature. */
export const m005Reports: Migration = {
  version: 5,
  name: 'reports',
  up() {
    // Filled in by the reports feature.
  },
};
