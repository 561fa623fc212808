import reportCssUrl from '../../../resources/report-templates/default/report.css?url';

/**
 * The report preview: the report body in a fully sandboxed frame (`sandbox=""`:
 * no scripts, no forms, no navigation of the app, unique origin). The frame
 * inherits the app's CSP, which forbids inline styles, so it is styled with
 * the app's own copy of the default template's stylesheet.
 */
export function ReportPreview({ body, title }: { body: string; title: string }) {
  const css = new URL(reportCssUrl, document.baseURI).href;
  const srcDoc = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="${css.replace(/"/g, '&quot;')}"></head><body>${body}</body></html>`;
  return <iframe className="report-preview" sandbox="" srcDoc={srcDoc} title={title} />;
}
