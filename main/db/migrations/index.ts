import type { Migration } from './types';
import { m001Foundation } from './001-foundation';
import { m002Custody } from './002-custody';
import { m003Timeline } from './003-timeline';
import { m004Response } from './004-response';
import { m005Reports } from './005-reports';
import { m006SearchFile } from './006-search-file';
import { m013Acquire } from './013-acquire';

export type { Migration } from './types';

/** Every schema change in order. Append only; the runner refuses gaps. */
/**
 * Numbers 7-12 are assigned to work on other branches (INTEGRATOR: replace these placeholders with
 * the real migrations as they land). Until then they are empty so 13 applies in order; a database
 * made by this branch alone is a development database, never shipped.
 */
const reserved = (version: number): Migration => ({ version, name: `reserved-${version}`, up: () => undefined });

export const migrations: readonly Migration[] = [
  m001Foundation,
  m002Custody,
  m003Timeline,
  m004Response,
  m005Reports,
  m006SearchFile,
  ...[7, 8, 9, 10, 11, 12].map(reserved),
  m013Acquire,
];
