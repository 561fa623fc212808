import type { Migration } from './types';

/** Schema of the timeline feature. */
export const m003Timeline: Migration = {
  version: 3,
  name: 'timeline',
  up() {
    // Filled in by the timeline feature.
  },
};
