import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TACTICS, TECHNIQUES, technique } from '../../../main/detection/attack/attack-data';
import { GUARDDUTY_TYPES, guardDutyAttack, guardDutyTypesFor } from '../../../main/detection/attack/guardduty-map';
import { collectRuleSources } from '../../../main/detection/rules/sources';
import { RuleSet } from '../../../main/detection/engine/rule-set';
import { tempDir } from '../../helpers/services';

describe('offline ATT&CK data', () => {
  it('every technique the GuardDuty mapping and Lariat rules name is in the table with tactics that exist', () => {
    const tactics = new Set(TACTICS.map((t) => t.shortName));
    for (const [id, [, ts]] of Object.entries(TECHNIQUES)) for (const t of ts) expect(tactics.has(t), `${id} ${t}`).toBe(true);
    for (const type of GUARDDUTY_TYPES)
      for (const id of guardDutyAttack(type).techniques) expect(TECHNIQUES[id], `${type} -> ${id}`).toBeDefined();
    const set = new RuleSet(collectRuleSources(path.resolve('resources'), []).sources);
    for (const m of set.metas().filter((x) => x.origin === 'lariat'))
      for (const id of m.techniques) expect(TECHNIQUES[id], `${m.title} -> ${id}`).toBeDefined();
    // SigmaHQ's ids: either in the table, or (newer ATT&CK) shown unknown by id.
    const unknown = new Set(
      set
        .metas()
        .flatMap((m) => m.techniques)
        .filter((id) => !TECHNIQUES[id]),
    );
    expect([...unknown].sort()).toEqual(['T1685', 'T1685.002', 'T1686.001']);
    expect(technique('T1685.002')).toMatchObject({ known: false, name: expect.stringMatching(/not in Lariat's offline/) });
    expect(technique('T1098.005', ['persistence'])).toMatchObject({ known: false, tactics: ['persistence', 'privilege-escalation'] });
  });

  it('GuardDuty types map to techniques, unmapped types to their threat purpose only', () => {
    expect(guardDutyAttack('UnauthorizedAccess:EC2/SSHBruteForce')).toEqual({ techniques: ['T1110'], tactic: 'initial-access' });
    expect(guardDutyAttack('Backdoor:EC2/Spambot')).toEqual({ techniques: [], tactic: 'command-and-control' });
    expect(guardDutyTypesFor('T1552')).toEqual(
      expect.arrayContaining(['CredentialAccess:IAMUser/AnomalousBehavior', 'UnauthorizedAccess:EC2/MetadataDNSRebind']),
    );
  });

  it('scripts/attack-table.mjs regenerates the table from a STIX bundle', () => {
    const dir = tempDir('lariat-attack-');
    const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
    const bundle = {
      objects: [
        { type: 'x-mitre-matrix', id: 'm', tactic_refs: ['t1', 't2'] },
        {
          type: 'x-mitre-tactic',
          id: 't1',
          name: 'Initial Access',
          x_mitre_shortname: 'initial-access',
          external_references: ref('TA0001'),
        },
        { type: 'x-mitre-tactic', id: 't2', name: 'Persistence', x_mitre_shortname: 'persistence', external_references: ref('TA0003') },
        {
          type: 'attack-pattern',
          id: 'a',
          name: 'Valid Accounts',
          external_references: ref('T1078'),
          kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
        },
        {
          type: 'attack-pattern',
          id: 'b',
          name: 'Cloud Accounts',
          external_references: ref('T1078.004'),
          kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'persistence' }],
        },
        { type: 'attack-pattern', id: 'c', name: 'Old', revoked: true, external_references: ref('T1110') },
      ],
    };
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(bundle));
    const r = spawnSync(process.execPath, ['scripts/attack-table.mjs', path.join(dir, 'b.json')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("{ id: 'TA0001', shortName: 'initial-access', name: \"Initial Access\", known: true },");
    expect(r.stdout).toContain('\'T1078.004\': ["Valid Accounts: Cloud Accounts", ["persistence"]],');
    expect(r.stdout).toMatch(/not in this bundle: .*T1110/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
