import { AppError } from '../../core/errors';

/**
 * HTML that Lariat produced itself (sanitized Markdown, pre-built fragments).
 * Only values of this class pass through `{{{...}}}` unescaped: a plain string
 * put in a triple placeholder is still escaped, so a template can never make
 * investigator-typed text active by mistake.
 */
export class SafeHtml {
  constructor(readonly html: string) {}
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"'`=]/g, (c) => ESCAPES[c]!);
}

type Node =
  | { t: 'text'; text: string }
  | { t: 'var'; path: string; raw: boolean }
  | { t: 'section'; path: string; inverted: boolean; children: Node[] };

/** How deep sections may nest: far past any layout (the shipped template nests 3), far short of the stack. */
export const MAX_SECTION_DEPTH = 100;

const TAG = /\{\{(\{)?\s*([#^/]?)\s*([\w.]+|\.)\s*\}?\}\}/g;

/**
 * A deliberately tiny Mustache subset: `{{a.b}}` (escaped), `{{{a}}}` (only
 * SafeHtml is left unescaped), `{{#list}}...{{/list}}` (loop, or render once
 * when truthy), `{{^x}}...{{/x}}` (render when falsy or empty), `{{.}}`.
 * No partials, no lambdas, no code: a template chosen by the investigator can
 * lay out the report but cannot compute or inject anything.
 */
export function compileTemplate(source: string, name = 'template'): (view: unknown) => string {
  const root: Node[] = [];
  const stack: { path: string; children: Node[] }[] = [{ path: '', children: root }];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const top = stack[stack.length - 1]!;
    if (m.index > last) top.children.push({ t: 'text', text: source.slice(last, m.index) });
    last = m.index + m[0].length;
    const [, triple, sigil, path] = m as unknown as [string, string | undefined, string, string];
    if (sigil === '#' || sigil === '^') {
      // Rendering recurses per level: a hostile template's 100,000 nested sections overflowed the stack (an unexpected error).
      if (stack.length > MAX_SECTION_DEPTH) throw templateError(name, `sections are nested more than ${MAX_SECTION_DEPTH} deep`);
      const node: Node = { t: 'section', path, inverted: sigil === '^', children: [] };
      top.children.push(node);
      stack.push({ path, children: node.children });
    } else if (sigil === '/') {
      if (stack.length === 1 || top.path !== path)
        throw templateError(name, `{{/${path}}} closes ${top.path ? `{{#${top.path}}}` : 'nothing'}`);
      stack.pop();
    } else {
      top.children.push({ t: 'var', path, raw: triple === '{' });
    }
  }
  if (stack.length > 1) throw templateError(name, `{{#${stack[stack.length - 1]!.path}}} is never closed`);
  if (last < source.length) root.push({ t: 'text', text: source.slice(last) });
  return (view) => renderNodes(root, [view]);
}

function templateError(name: string, what: string): AppError {
  return new AppError(
    'template-invalid',
    `The report template ${name} is invalid: ${what}.`,
    'Fix the template, or use the default template.',
  );
}

function lookup(path: string, scopes: unknown[]): unknown {
  if (path === '.') return scopes[scopes.length - 1];
  const [head, ...rest] = path.split('.');
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope !== null && typeof scope === 'object' && Object.hasOwn(scope, head!)) {
      let value: unknown = (scope as Record<string, unknown>)[head!];
      for (const key of rest) {
        value =
          value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
      }
      return value;
    }
  }
  return undefined;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0);

function renderNodes(nodes: Node[], scopes: unknown[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.t === 'text') out += node.text;
    else if (node.t === 'var') {
      const v = lookup(node.path, scopes);
      out += node.raw && v instanceof SafeHtml ? v.html : escapeHtml(v instanceof SafeHtml ? v.html : v);
    } else {
      const v = lookup(node.path, scopes);
      if (node.inverted) {
        if (isEmpty(v)) out += renderNodes(node.children, scopes);
      } else if (Array.isArray(v)) {
        for (const item of v) out += renderNodes(node.children, [...scopes, item]);
      } else if (!isEmpty(v)) {
        out += renderNodes(node.children, typeof v === 'object' ? [...scopes, v] : scopes);
      }
    }
  }
  return out;
}
