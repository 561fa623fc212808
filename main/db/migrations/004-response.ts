import type { Migration } from './types';

/** Schema of the response feature. */
export const m004Response: Migration = {
  version: 4,
  name: 'response',
  up() {
    // Filled in by the response feature.
  },
};
