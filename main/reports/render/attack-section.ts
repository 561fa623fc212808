import type { ReportDetections } from '../report-data';
import { utc } from './format';

/** When a collapsed row covers a span: "10:00:00 UTC – 10:05:00 UTC". */
const when = (from: string | null, until: string | null): string =>
  until && until !== from ? `${utc(from)} – ${utc(until)}` : utc(from) || 'no time';

/**
 * The "MITRE ATT&CK and detections" section as the template renders it
 * (issue 17): techniques seen per tactic, the rule hits grouped by tactic in
 * time order, each naming the rule's author (Detection Rule License 1.1 asks
 * every reported hit to), and the correlation detections.
 */
export function attackSection(d: ReportDetections | null) {
  if (!d) return { tactics: [], byTactic: [], correlations: [], terms: '', version: '', truncated: '', licence: '' };
  const sigma = d.byTactic.some((t) => t.hits.some((h) => h.origin === 'sigmahq'));
  return {
    version: d.attackVersion,
    // Addresses without a scheme: a report links to nothing outside itself (its tests refuse any http(s) URL but AWS docs).
    terms: d.terms.replace(/https:\/\//g, ''),
    licence: sigma
      ? 'Rules marked SigmaHQ are from the SigmaHQ project (github.com/SigmaHQ/sigma), used under the Detection Rule License 1.1 (github.com/SigmaHQ/Detection-Rule-License); each hit names its author.'
      : '',
    truncated:
      d.listed < d.hits
        ? `The first ${d.listed.toLocaleString('en-US')} of ${d.hits.toLocaleString('en-US')} rule hits are listed; the app and \`lariat timeline --rule\` show them all.`
        : '',
    // One row per tactic, its techniques inline: a technique ATT&CK lists under several tactics is in each.
    tactics: d.tactics.map((t) => ({
      tactic: t.tactic,
      techniques: t.techniques
        .map((x) => {
          const seen = [
            x.events && `${x.events} event${x.events === 1 ? '' : 's'}`,
            x.findings && `${x.findings} finding${x.findings === 1 ? '' : 's'}`,
          ]
            .filter(Boolean)
            .join(', ');
          return `${x.id} ${x.name} (${seen})`;
        })
        .join('; '),
    })),
    byTactic: d.byTactic.map((t) => ({
      tactic: t.tactic,
      hits: t.hits.map((h) => ({
        when: when(h.time, h.until),
        count: h.count > 1 ? `×${h.count}` : '',
        rule: h.rule,
        level: h.level,
        author: h.author,
        origin: h.origin === 'sigmahq' ? 'SigmaHQ' : h.origin === 'lariat' ? 'Lariat' : 'investigator',
        techniques: h.techniques.join(' '),
        event: [h.action, h.actor && `by ${h.actor}`, h.sourceIp && `from ${h.sourceIp}`].filter(Boolean).join(' '),
      })),
    })),
    correlations: d.correlations.map((c) => ({ ...c, firstSeen: utc(c.firstSeen), lastSeen: utc(c.lastSeen) })),
  };
}
