/**
 * Fills `{{name}}` placeholders from a fixed set of values. Unknown names are
 * left as typed (so a typo shows instead of vanishing); values are plain text
 * and never re-expanded, so a title containing `{{date}}` stays literal.
 */
export function renderTemplate(template: string, vars: Record<string, string | undefined>): string {
  return template.replace(/\{\{\s*([\w:.-]+)\s*\}\}/g, (whole, name: string) => {
    const v = Object.hasOwn(vars, name) ? vars[name] : undefined;
    return v === undefined ? whole : v;
  });
}
