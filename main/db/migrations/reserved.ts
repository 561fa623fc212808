import type { Migration } from './types';

/**
 * INTEGRATION ONLY, never released: numbers assigned to branches that have not
 * landed yet. The runner refuses gaps, so each stands as an empty migration
 * until its branch lands and replaces it; this file goes when the last does.
 */
export const reserved = (...versions: number[]): Migration[] =>
  versions.map((version) => ({ version, name: `reserved-${version}`, up: () => undefined }));
