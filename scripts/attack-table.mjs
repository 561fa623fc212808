// Regenerates the offline ATT&CK table (main/detection/attack/attack-data.ts) from MITRE's published
// STIX bundle, for the technique ids the shipped rules and the GuardDuty mapping name.
//   node scripts/attack-table.mjs enterprise-attack.json > /tmp/table.txt
// enterprise-attack.json: https://github.com/mitre-attack/attack-stix-data (ATT&CK Terms of Use apply).
// Prints the TACTICS and TECHNIQUES entries to paste into attack-data.ts, and the ids not found.
import fs from 'node:fs';
import path from 'node:path';

const [bundleFile, rulesDir = 'resources', mapFile = 'main/detection/attack/guardduty-map.ts'] = process.argv.slice(2);
if (!bundleFile) {
  console.error('usage: node scripts/attack-table.mjs enterprise-attack.json [resources-dir] [guardduty-map.ts]');
  process.exit(2);
}
const bundle = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));
const idOf = (o) => (o.external_references ?? []).find((r) => r.source_name === 'mitre-attack')?.external_id;
const live = (o) => !o.revoked && !o.x_mitre_deprecated;

const wanted = new Set();
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(e.name))
      for (const m of fs.readFileSync(p, 'utf8').matchAll(/attack\.(t\d{4}(?:\.\d{3})?)\b/gi)) wanted.add(m[1].toUpperCase());
  }
};
walk(rulesDir);
for (const m of fs.readFileSync(mapFile, 'utf8').matchAll(/'(T\d{4}(?:\.\d{3})?)'/g)) wanted.add(m[1]);

const objects = bundle.objects.filter(live);
const byRef = new Map(objects.map((o) => [o.id, o]));
const matrix = objects.find((o) => o.type === 'x-mitre-matrix');
const tactics = (matrix?.tactic_refs ?? []).map((r) => byRef.get(r)).filter(Boolean);
console.log('// TACTICS');
for (const t of tactics)
  console.log(`  { id: '${idOf(t)}', shortName: '${t.x_mitre_shortname}', name: ${JSON.stringify(t.name)}, known: true },`);
const techniques = new Map(objects.filter((o) => o.type === 'attack-pattern').map((o) => [idOf(o), o]));
console.log('// TECHNIQUES');
const missing = [];
for (const id of [...wanted].sort()) {
  const t = techniques.get(id);
  if (!t) {
    missing.push(id);
    continue;
  }
  const parent = id.includes('.') ? techniques.get(id.split('.')[0]) : null;
  const name = parent ? `${parent.name}: ${t.name}` : t.name;
  const phases = (t.kill_chain_phases ?? []).filter((k) => k.kill_chain_name === 'mitre-attack').map((k) => k.phase_name);
  console.log(`  '${id}': [${JSON.stringify(name)}, ${JSON.stringify(phases)}],`);
}
if (missing.length) console.log(`// not in this bundle: ${missing.join(', ')}`);
