import fs from 'node:fs';
import path from 'node:path';
import type { Plan } from '../../common/contract/plan-schema';
import type { PlanFileProblem, PlanOrigin } from '../../common/contract/plans';
import { toErrorInfo } from '../core/errors';
import { parsePlanYaml } from './plan-codec';

export interface LibraryPlan {
  plan: Plan;
  origin: PlanOrigin;
  file: string;
}

const PLAYBOOK_FILE = /^[\w.-]+\.(ya?ml|json)$/i;
/** More files than any organisation keeps; stops a stray folder from being read whole. */
const MAX_FILES = 500;

/**
 * Playbooks kept as plain files: the ones shipped in resources/playbooks, and
 * an organisation's own in `<data folder>/playbooks` (edited, shared, checked
 * into their own repository). Files are read each time they are listed, so an
 * edit shows up without a restart; a file that does not validate is reported,
 * never half-loaded.
 */
export class PlanLibrary {
  constructor(private readonly dirs: { shipped: string; organisation: string }) {}

  load(): { plans: LibraryPlan[]; problems: PlanFileProblem[] } {
    const plans: LibraryPlan[] = [];
    const problems: PlanFileProblem[] = [];
    for (const [origin, dir] of [
      ['shipped', this.dirs.shipped],
      ['organisation', this.dirs.organisation],
    ] as const) {
      for (const file of listFiles(dir)) {
        try {
          const text = fs.readFileSync(path.join(dir, file), 'utf8');
          plans.push({ plan: parsePlanYaml(text, `${file}`), origin, file });
        } catch (err) {
          problems.push({ file, origin, message: toErrorInfo(err).message });
        }
      }
    }
    return { plans, problems };
  }
}

function listFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && PLAYBOOK_FILE.test(e.name))
    .map((e) => e.name)
    .sort()
    .slice(0, MAX_FILES);
}
