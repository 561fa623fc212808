import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { AppError, notFound } from '../core/errors';
import { describeIssues } from '../plans/plan-codec';

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

export const AnalysisTemplate = z
  .object({
    name: Id,
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(''),
    questions: z
      .array(z.object({ id: Id, section: z.string().trim().min(1).max(100), question: z.string().trim().min(1).max(1000) }).strict())
      .max(200),
    checklist: z.array(z.object({ id: Id, item: z.string().trim().min(1).max(500) }).strict()).max(200),
  })
  .strict();
export type AnalysisTemplate = z.output<typeof AnalysisTemplate>;

/**
 * Analysis templates: the shipped default (Incident Manager's sections) in
 * resources/analysis-templates, and the organisation's own in
 * `<data folder>/analysis-templates`, which win on a name clash. Read when
 * used, validated strictly; a broken file is named, never half-used.
 */
export class AnalysisTemplates {
  constructor(private readonly dirs: string[]) {}

  private read(): { template: AnalysisTemplate | null; file: string; problem: string | null }[] {
    return this.dirs.flatMap((dir) => {
      let files: string[];
      try {
        files = fs.readdirSync(dir).filter((f) => /^[\w.-]+\.json$/.test(f));
      } catch {
        return [];
      }
      return files.slice(0, 100).map((f) => {
        const file = path.join(dir, f);
        try {
          const text = fs.readFileSync(file, 'utf8');
          if (text.length > 1_000_000) return { template: null, file: f, problem: 'larger than 1 MB' };
          const r = AnalysisTemplate.safeParse(JSON.parse(text));
          return r.success ? { template: r.data, file: f, problem: null } : { template: null, file: f, problem: describeIssues(r.error) };
        } catch (err) {
          return { template: null, file: f, problem: err instanceof Error ? err.message.slice(0, 200) : 'unreadable' };
        }
      });
    });
  }

  list(): AnalysisTemplate[] {
    const byName = new Map<string, AnalysisTemplate>();
    for (const r of this.read()) if (r.template) byName.set(r.template.name, r.template);
    return [...byName.values()];
  }

  get(name: string): AnalysisTemplate {
    const all = this.read();
    const t = [...all].reverse().find((r) => r.template?.name === name)?.template;
    if (t) return t;
    const broken = all.find((r) => r.file === `${name}.json` && r.problem);
    if (broken)
      throw new AppError(
        'invalid-template',
        `The analysis template ${broken.file} is not valid: ${broken.problem}.`,
        'Fix the file (the shipped default.json shows the format).',
      );
    throw notFound(
      'Analysis template',
      name,
      `Known templates: ${
        this.list()
          .map((x) => x.name)
          .join(', ') || 'none'
      }.`,
    );
  }
}
