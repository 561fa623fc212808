import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { AppError } from '../../core/errors';
import { deniedError } from '../../core/readable';
import { compileTemplate } from './template-engine';

/** A report template: the body markup with placeholders and its stylesheet. */
export interface ReportTemplate {
  name: string;
  dir: string;
  css: string;
  render: (view: unknown) => string;
}

const Manifest = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().max(1000).optional(),
    body: z.string().regex(/^[\w.-]+\.html$/, 'a file name in the template folder'),
    stylesheet: z.string().regex(/^[\w.-]+\.css$/, 'a file name in the template folder'),
  })
  .strict();

const MAX_FILE = 2 * 1024 * 1024;

/** The default template shipped in resources/. */
export function defaultTemplateDir(resourcesDir: string): string {
  return path.join(resourcesDir, 'report-templates', 'default');
}

/**
 * Loads a template folder (`template.json`, body HTML, CSS). A template may
 * lay out the report but not reach the network: CSS with `@import` or a
 * non-`data:` `url()` is refused, and the rendered body is sanitized again
 * after rendering (see document.ts), so scripts and handlers cannot survive.
 */
export function loadTemplate(dir: string): ReportTemplate {
  const manifestFile = path.join(dir, 'template.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readSmall(manifestFile));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalid(dir, `template.json is not valid JSON (${(err as Error).message})`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success)
    throw invalid(dir, `template.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const body = readSmall(path.join(dir, parsed.data.body));
  const css = readSmall(path.join(dir, parsed.data.stylesheet));
  // Decided on the CSS as the browser reads it: `u\72l(` is `url(` and `@\69mport` is `@import` once escapes are decoded.
  const code = decodeCssEscapes(css.replace(/\/\*[\s\S]*?\*\//g, '')).replace(/\/\*[\s\S]*?\*\//g, '');
  if (/@import/i.test(code)) throw invalid(dir, 'the stylesheet uses @import, which would load from outside the report');
  if (/(?:^|[^a-z-])(?:-webkit-)?image-set\(|(?:^|[^a-z-])src\(/i.test(code))
    throw invalid(dir, 'the stylesheet uses image-set() or src(), which could load from outside the report');
  for (const m of code.matchAll(/url\(\s*['"]?([^'")\s]*)/gi)) {
    if (!/^data:/i.test(m[1] ?? ''))
      throw invalid(
        dir,
        `the stylesheet loads ${m[1] || 'a resource'} with url(); only data: URLs are allowed so the report stays self-contained`,
      );
  }
  if (/<\/style/i.test(css)) throw invalid(dir, 'the stylesheet contains </style>');
  return { name: parsed.data.name, dir, css, render: compileTemplate(body, parsed.data.name) };
}

/**
 * CSS escapes as the CSS Syntax spec decodes them: a backslash and 1-6 hex
 * digits (plus one optional whitespace) is that code point; a backslash and
 * any other character is that character; a backslash before a newline is dropped.
 */
export function decodeCssEscapes(css: string): string {
  return css.replace(
    /\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|([\s\S]))/g,
    (_m, hex: string | undefined, nl: string | undefined, ch: string | undefined) => {
      if (hex !== undefined) {
        const cp = parseInt(hex, 16);
        return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
      }
      if (nl !== undefined) return '';
      return ch ?? '';
    },
  );
}

function readSmall(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const denied = deniedError('The report template file', file, err);
    if (denied) throw denied;
    throw new AppError(
      'template-missing',
      `The report template file ${file} does not exist.`,
      'A template folder holds template.json, the body HTML and the CSS it names; pick another folder or use the default template.',
    );
  }
  if (!stat.isFile() || stat.size > MAX_FILE) throw invalid(path.dirname(file), `${path.basename(file)} is not a regular file under 2 MiB`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw deniedError('The report template file', file, err) ?? err;
  }
}

function invalid(dir: string, what: string): AppError {
  return new AppError(
    'template-invalid',
    `The report template in ${dir} cannot be used: ${what}.`,
    'Fix the template, or generate the report with the default template.',
  );
}
