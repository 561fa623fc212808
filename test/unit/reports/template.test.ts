import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SECTION_DEPTH, SafeHtml, compileTemplate, escapeHtml } from '../../../main/reports/render/template-engine';
import { markdownToSafeHtml } from '../../../main/reports/render/markdown';
import { loadTemplate } from '../../../main/reports/render/template-loader';
import { tempDir } from '../../helpers/services';

describe('template engine', () => {
  it('escapes every value by default, including quotes for attributes', () => {
    const t = compileTemplate('<p title="{{a}}">{{a}}</p>');
    expect(t({ a: `<script>"x"='y'</script>` })).toBe(
      '<p title="&lt;script&gt;&quot;x&quot;&#61;&#39;y&#39;&lt;/script&gt;">&lt;script&gt;&quot;x&quot;&#61;&#39;y&#39;&lt;/script&gt;</p>',
    );
  });

  it('lets only SafeHtml through triple braces; a plain string is still escaped', () => {
    const t = compileTemplate('{{{html}}}|{{{text}}}');
    expect(t({ html: new SafeHtml('<b>ok</b>'), text: '<b>no</b>' })).toBe('<b>ok</b>|&lt;b&gt;no&lt;/b&gt;');
  });

  it('loops, nests, falls back to outer scopes and renders inverted sections', () => {
    const t = compileTemplate(
      '{{#rows}}[{{name}}/{{case}}{{#tags}}<{{.}}>{{/tags}}]{{/rows}}{{^rows}}none{{/rows}}{{^missing}}!{{/missing}}{{#n}}{{n}}{{/n}}',
    );
    expect(
      t({
        case: 'C',
        rows: [
          { name: 'a', tags: ['x', 'y'] },
          { name: 'b', tags: [] },
        ],
        n: 0,
      }),
    ).toBe('[a/C<x><y>][b/C]!');
    expect(t({ rows: [] })).toBe('none!');
  });

  it('refuses unbalanced sections with the template name', () => {
    expect(() => compileTemplate('{{#a}}x', 'mine')).toThrow(/mine is invalid: \{\{#a\}\} is never closed/);
    expect(() => compileTemplate('{{#a}}x{{/b}}', 'mine')).toThrow(/closes \{\{#a\}\}/);
  });

  it('refuses sections nested past its limit by name, and renders up to it', () => {
    // 100,000 nested sections overflowed the renderer's stack: the report failed as an unexpected error.
    const nest = (n: number) => `${'{{#a}}'.repeat(n)}x${'{{/a}}'.repeat(n)}`;
    expect(() => compileTemplate(nest(100_000), 'mine')).toThrow(
      `mine is invalid: sections are nested more than ${MAX_SECTION_DEPTH} deep`,
    );
    expect(compileTemplate(nest(MAX_SECTION_DEPTH), 'mine')({ a: true })).toBe('x');
  });

  it('escapeHtml turns null into nothing and numbers into text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('markdown sanitizing', () => {
  it('keeps structure and safe links, shows hostile markup as text, drops handlers and javascript: URLs', () => {
    const html = markdownToSafeHtml(
      '# T\n\n**b** [ok](https://example.com) [bad](javascript:alert(1))\n\n<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)" onclick="x()">a</a>',
    ).html;
    expect(html).toContain('<h3>T</h3>');
    expect(html).toContain('<strong>b</strong>');
    expect(html).toContain('<a href="https://example.com">ok</a>');
    expect(html).not.toMatch(/<script|<img|onerror=|onclick=|javascript:/i);
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('template loader', () => {
  const write = (files: Record<string, string>): string => {
    const dir = tempDir('lariat-tpl-');
    for (const [n, c] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), c);
    return dir;
  };
  const manifest = JSON.stringify({ name: 'T', body: 'b.html', stylesheet: 's.css' });

  it('loads a template folder', () => {
    const t = loadTemplate(
      write({
        'template.json': manifest,
        'b.html': '<h1>{{x}}</h1>',
        's.css': '/* url(http://x) in a comment is fine */ h1 { color: red; background: url(data:image/png;base64,AAAA); }',
      }),
    );
    expect(t.name).toBe('T');
    expect(t.render({ x: '<i>' })).toBe('<h1>&lt;i&gt;</h1>');
  });

  it('refuses stylesheets that would reach the network', () => {
    expect(() => loadTemplate(write({ 'template.json': manifest, 'b.html': '', 's.css': '@import "https://cdn.example/x.css";' }))).toThrow(
      /@import/,
    );
    expect(() =>
      loadTemplate(write({ 'template.json': manifest, 'b.html': '', 's.css': 'body { font: url( "https://fonts.example/f.woff2") }' })),
    ).toThrow(/https:\/\/fonts\.example/);
  });

  it('refuses a manifest naming files outside the folder, and a missing folder', () => {
    expect(() => loadTemplate(write({ 'template.json': JSON.stringify({ name: 'T', body: '../b.html', stylesheet: 's.css' }) }))).toThrow(
      /template\.json: body/,
    );
    expect(() => loadTemplate('/nonexistent/template')).toThrow(/does not exist/);
  });
});
