import type { Migration } from './types';
import { m001Foundation } from './001-foundation';
import { m002Custody } from './002-custody';
import { m003Timeline } from './003-timeline';
import { m004Response } from './004-response';
import { m005Reports } from './005-reports';
import { m006SearchFile } from './006-search-file';
import { m008ActionLease } from './008-action-lease';

export type { Migration } from './types';

/** Every schema change in order. Append only; the runner refuses gaps. */
/**
 * BRANCH PLACEHOLDER (response-hardening): migration 007 belongs to another
 * branch. This no-op only keeps the numbering gap-free on this branch; the
 * integrator replaces it with the real 007 when merging. Never ship it.
 */
const m007Placeholder: Migration = { version: 7, name: 'placeholder-for-007', up() {} };

export const migrations: readonly Migration[] = [
  m001Foundation,
  m002Custody,
  m003Timeline,
  m004Response,
  m005Reports,
  m006SearchFile,
  m007Placeholder,
  m008ActionLease,
];
