import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { AppError, notFound } from '../core/errors';
import type {
  AttackMatrix,
  CaseDetections,
  CaseInput,
  DetectionRuleInfo,
  DetectionRulesList,
  EventDetection,
  EventDetectionsInput,
  IndicatorLookup,
  ListRulesInput,
  RulesTestReport,
  SearchIndicatorInput,
  SetRuleEnabledInput,
  SetRuleFoldersInput,
} from '../../common/contract/detection';
import type { DetectionFeature } from './index';
import type { LoadedRules, RescanReport } from './detection-service';
import type { RuleMeta } from './engine/types';
import { caseDetections, eventDetections, ruleCounts } from './queries';
import { attackMatrix } from './attack/matrix';
import { rulesTest } from './rules-test';

/**
 * One function per detection operation: the IPC handlers and the CLI call
 * these with input parsed by the same contract schemas (CLI-only fields such
 * as `--rules DIR` arrive as `extraFolders`).
 */

type In<S extends z.ZodType> = z.output<S> & { extraFolders?: string[] };

function info(m: RuleMeta, enabled: boolean, loaded: LoadedRules, hits: DetectionRuleInfo['hits']): DetectionRuleInfo {
  return {
    id: m.id,
    name: m.name,
    title: m.title,
    level: m.level,
    status: m.status,
    author: m.author,
    description: m.description,
    falsepositives: m.falsepositives,
    references: m.references,
    tags: m.tags,
    techniques: m.techniques,
    tactics: m.tactics,
    kind: m.kind,
    origin: m.origin,
    path: m.path,
    enabled,
    supporting: loaded.set.supporting.has(m.id),
    hits,
  };
}

function checkFolders(folders: readonly string[]): void {
  for (const f of folders) {
    let ok = false;
    try {
      ok = fs.statSync(f).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok)
      throw new AppError(
        'invalid-input',
        `The rule folder ${f} does not exist or is not a folder.`,
        'Give a folder holding Sigma .yml rule files.',
      );
  }
}

/** Every rule with its hits per case (one case, or all), and the rules that did not load. */
export function listRules(d: DetectionFeature, input: In<typeof ListRulesInput>): DetectionRulesList {
  checkFolders(input.extraFolders ?? []);
  const loaded = d.service.loadRules(input.extraFolders ?? []);
  const cases = input.caseNumber
    ? [d.core.cases.require(input.caseNumber)]
    : d.core.cases.list().map((c) => d.core.cases.require(c.number));
  const counts = cases.map((c) => ({ caseNumber: c.number, counts: ruleCounts(d.core.db, c.id) }));
  const hitsOf = (id: string) =>
    counts
      .filter((c) => (c.counts.get(id) ?? 0) > 0 || input.caseNumber)
      .map((c) => ({ caseNumber: c.caseNumber, count: c.counts.get(id) ?? 0 }));
  const rules = [
    ...loaded.set.metas().map((m) => info(m, true, loaded, hitsOf(m.id))),
    ...loaded.set.disabled.map((m) => info(m, false, loaded, hitsOf(m.id))),
  ];
  return { rules, notLoaded: loaded.notLoaded, folders: loaded.folders, loaded: rules.length };
}

export function setRuleEnabled(d: DetectionFeature, input: z.output<typeof SetRuleEnabledInput>): DetectionRuleInfo {
  const loaded = d.service.loadRules();
  const meta = [...loaded.set.metas(), ...loaded.set.disabled].find((m) => m.id === input.ruleId || m.name === input.ruleId);
  if (!meta) throw notFound('Rule', input.ruleId, 'List the rules with: lariat rules list');
  d.service.setEnabled(meta.id, input.enabled);
  return info(meta, input.enabled, loaded, []);
}

export function setRuleFolders(d: DetectionFeature, input: z.output<typeof SetRuleFoldersInput>): DetectionRulesList {
  const current = new Set(d.service.folders());
  const stray = input.keep.filter((f) => !current.has(f));
  if (stray.length) {
    throw new AppError(
      'not-a-rule-folder',
      `${stray[0]} is not one of your rule folders.`,
      'Choose new folders with the folder dialog (or name them on the command line); keep lists only folders already set.',
    );
  }
  const folders = [...input.keep, ...d.core.grants.takeAll(input.add, 'read')].map((f) => path.resolve(f));
  checkFolders(folders);
  d.service.setFolders(folders);
  return listRules(d, {});
}

export function testRules(d: DetectionFeature, input: { extraFolders?: string[]; fixturesDir?: string } = {}): RulesTestReport {
  checkFolders(input.extraFolders ?? []);
  const loaded = d.service.loadRules(input.extraFolders ?? []);
  return rulesTest(loaded.set, loaded.notLoaded, input.fixturesDir ?? d.fixturesDir);
}

/** Starts a rescan job; the IPC handler returns the job id, the CLI waits for `result`. */
export function rescanCase(d: DetectionFeature, input: In<typeof CaseInput>): { jobId: string; result: Promise<RescanReport> } {
  checkFolders(input.extraFolders ?? []);
  d.core.cases.requireWritable(input.caseNumber);
  return d.core.jobs.start(
    {
      kind: 'detection-rescan',
      label: `Match ${input.caseNumber} against the detection rules`,
      caseNumber: input.caseNumber,
      unit: 'records',
    },
    (job) => d.service.rescan(input.caseNumber, job, input.extraFolders ?? []),
  );
}

export function listCaseDetections(d: DetectionFeature, input: z.output<typeof CaseInput>): CaseDetections {
  const c = d.core.cases.require(input.caseNumber);
  return caseDetections(d.core.db, c.id, c.number, d.service.loadRules().set.supporting);
}

export function getEventDetections(d: DetectionFeature, input: z.output<typeof EventDetectionsInput>): EventDetection[] {
  return eventDetections(d.core.db, d.core.cases.require(input.caseNumber).id, input.eventId);
}

export function getAttackMatrix(d: DetectionFeature, input: z.output<typeof CaseInput>): AttackMatrix {
  const c = d.core.cases.require(input.caseNumber);
  return attackMatrix(d.core.db, c.id, c.number, d.service.loadRules().set.supporting);
}

export function searchIndicator(d: DetectionFeature, input: z.output<typeof SearchIndicatorInput>): IndicatorLookup {
  return d.indicators.lookup(input.value);
}
