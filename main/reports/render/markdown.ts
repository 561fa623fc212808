import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { SafeHtml } from './template-engine';

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * What investigator-written Markdown may become in a report: text structure
 * only. No images (they would fetch from the network), no attributes but a
 * link's href, and links only to http(s) and mailto. Headings are shifted down
 * so a note's `# Title` does not outrank the report's own section headings.
 */
const POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'h3',
    'h4',
    'h5',
    'h6',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'b',
    'i',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'a',
    'sup',
    'sub',
  ],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    h3: 'h5',
    h4: 'h6',
    h5: 'h6',
  },
};

/**
 * Markdown typed by the investigator → HTML with no active content. `marked`
 * passes raw HTML through, so everything it emits goes through sanitize-html;
 * disallowed tags are shown escaped (the reader sees what was typed) rather
 * than silently dropped.
 */
export function markdownToSafeHtml(markdown: string): SafeHtml {
  const html = marked.parse(markdown) as string;
  return new SafeHtml(sanitizeHtml(html, POLICY));
}
