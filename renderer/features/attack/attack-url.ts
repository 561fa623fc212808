/** The technique's page on attack.mitre.org (an allow-listed host: main opens it in the browser). */
export function attackUrl(technique: string): string {
  const [id, sub] = technique.toUpperCase().split('.');
  return `https://attack.mitre.org/techniques/${id}/${sub ? `${sub}/` : ''}`;
}
