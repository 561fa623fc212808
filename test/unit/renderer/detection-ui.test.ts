import { describe, expect, it } from 'vitest';
import { filterFromQuery, queryFromFilter } from '../../../renderer/features/timeline/filter-state';
import { hitSummary } from '../../../renderer/features/iocs/hit-summary';
import { attackUrl } from '../../../renderer/features/attack/attack-url';
import { externalUrlAllowed } from '../../../main/core/app-policy';

describe('detection in the renderer', () => {
  it('the timeline route query carries rule, level and technique both ways; an unknown level is dropped, not passed on', () => {
    const q = new URLSearchParams({ rule: 'remote-command', level: 'high', technique: 'T1078.004', search: 'x' });
    const f = filterFromQuery(q);
    expect(f).toMatchObject({ rule: 'remote-command', level: 'high', technique: 'T1078.004', search: 'x' });
    const back = queryFromFilter(f);
    expect(back).toMatchObject({ rule: 'remote-command', level: 'high', technique: 'T1078.004' });
    expect(filterFromQuery(new URLSearchParams({ level: 'severe' })).level).toBeUndefined();
    expect(filterFromQuery(new URLSearchParams()).rule).toBeUndefined();
  });

  it('"also seen in" counts name what a case holds, in the plural when more than one', () => {
    const base = { caseNumber: 'IR-2026-0003', title: 't', readOnly: false, firstSeen: null, lastSeen: null };
    expect(hitSummary({ ...base, events: 12, findings: 0, iocs: 0, bundle: 0 })).toBe('12 events');
    expect(hitSummary({ ...base, events: 1, findings: 2, iocs: 1, bundle: 0 })).toBe('1 event, 2 findings, 1 IOC');
    expect(hitSummary({ ...base, events: 0, findings: 0, iocs: 0, bundle: 0 })).toBe('listed');
  });

  it('technique links go to attack.mitre.org pages the app lets the browser open', () => {
    expect(attackUrl('T1078')).toBe('https://attack.mitre.org/techniques/T1078/');
    expect(attackUrl('t1078.004')).toBe('https://attack.mitre.org/techniques/T1078/004/');
    expect(externalUrlAllowed(attackUrl('T1562.008'))).toBe(true);
  });
});
