import type { Migration } from './types';
import { m001Foundation } from './001-foundation';
import { m002Custody } from './002-custody';
import { m003Timeline } from './003-timeline';
import { m004Response } from './004-response';
import { m005Reports } from './005-reports';
import { m006SearchFile } from './006-search-file';
import { reservedForOtherBranches } from './reserved';
import { m014DemoCase } from './014-demo-case';

export type { Migration } from './types';

/** Every schema change in order. Append only; the runner refuses gaps. */
export const migrations: readonly Migration[] = [
  m001Foundation,
  m002Custody,
  m003Timeline,
  m004Response,
  m005Reports,
  m006SearchFile,
  ...reservedForOtherBranches,
  m014DemoCase,
];
