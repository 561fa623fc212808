/// <reference lib="dom" />
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface A11yProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules, contrast included) on the page as it is, and returns the serious
 * and critical violations. axe is evaluated through the DevTools protocol, so the app's CSP (no inline
 * script) stays as strict as in production.
 */
export async function seriousA11yProblems(page: Page, options: { exclude?: string[] } = {}): Promise<A11yProblem[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (exclude) => {
    const a = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const r = await a.run(exclude.length ? { include: [['html']], exclude: exclude.map((e) => [e]) } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1).join(' ').trim()})` : ''}`),
    }));
  }, options.exclude ?? []);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** True when neither the document nor the app's scrolling main area can scroll sideways. */
export async function scrollsSideways(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) return `document is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window`;
    const main = document.querySelector<HTMLElement>('main.main');
    if (main && main.scrollWidth > main.clientWidth + 1) {
      // The elements that stick out of the main area without an ancestor that clips or scrolls them.
      const clipped = (el: HTMLElement) => {
        for (let p = el.parentElement; p && p !== main; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true;
        return false;
      };
      const limit = main.getBoundingClientRect().right;
      const wide = [...main.querySelectorAll<HTMLElement>('*')]
        .filter((el) => el.getBoundingClientRect().right > limit + 1 && !clipped(el))
        .slice(0, 4)
        .map((el) => `${el.tagName.toLowerCase()}.${String(el.className)}@${Math.round(el.getBoundingClientRect().right)}`);
      return `main area is ${main.scrollWidth}px wide in ${main.clientWidth}px (${wide.join(', ')})`;
    }
    return null;
  });
}
