import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from './template-engine';
import type { ReportTemplate } from './template-loader';

/**
 * Second line of defence after escaping: whatever a template or a value
 * produced, the report body keeps only document structure. No script, style,
 * iframe, form, img or event-handler attribute can survive, and links point
 * only to http(s), mailto or an anchor in the report.
 */
const BODY_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'section',
    'nav',
    'header',
    'footer',
    'main',
    'article',
    'aside',
    'div',
    'span',
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'dl',
    'dt',
    'dd',
    'ol',
    'ul',
    'li',
    'table',
    'caption',
    'colgroup',
    'col',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'strong',
    'em',
    'b',
    'i',
    'u',
    's',
    'del',
    'ins',
    'small',
    'mark',
    'sup',
    'sub',
    'code',
    'pre',
    'kbd',
    'samp',
    'blockquote',
    'q',
    'abbr',
    'time',
    'figure',
    'figcaption',
    'a',
    'wbr',
  ],
  allowedAttributes: {
    '*': ['class', 'id', 'aria-label', 'role', 'lang', 'title'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    a: ['href'],
    ol: ['start'],
    time: ['datetime'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
};

/** Content Security Policy of the exported file: even opened in a browser, it can run nothing and fetch nothing. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export interface RenderedReport {
  html: string;
  body: string;
}

/** Renders the template with the view and wraps it into one self-contained HTML document. */
export function renderDocument(
  template: ReportTemplate,
  view: unknown,
  meta: { title: string; reportId: string; generator: string },
): RenderedReport {
  const body = sanitizeHtml(template.render(view), BODY_POLICY);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(meta.generator)}">
<meta name="lariat-report-id" content="${escapeHtml(meta.reportId)}">
<title>${escapeHtml(meta.title)}</title>
<style>
${template.css}
</style>
</head>
<body>
${body}
</body>
</html>
`;
  return { html, body };
}
