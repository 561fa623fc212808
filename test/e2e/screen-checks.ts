/// <reference lib="dom" />
import type { Page } from 'playwright-core';

/** Timeline cells whose text is cut (an ellipsis) or that stick out of the table's visible area, as "column: text". */
export async function cutCells(page: Page, column: string): Promise<string[]> {
  return page.evaluate((col) => {
    const scroller = document.querySelector<HTMLElement>('.tl-scroll')!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>(`[data-event-id] [data-col="${col}"]`)]
      .filter((cell) => cell.getBoundingClientRect().bottom <= scroller.bottom && cell.innerText.trim() !== '—')
      .filter((cell) => {
        const inner = cell.querySelector<HTMLElement>('button, span, em') ?? cell;
        const r = cell.getBoundingClientRect();
        return inner.scrollWidth > inner.clientWidth + 1 || cell.scrollWidth > cell.clientWidth + 1 || r.right > scroller.right + 1;
      })
      .map((cell) => `${col}: ${cell.innerText}`);
  }, column);
}

/** Timeline column headings entirely inside the table's visible area (not scrolled away, not under the panel). */
export async function columnsInView(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const box = document.querySelector<HTMLElement>('.tl-scroll')!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>('.tl-head [role="columnheader"]')]
      .filter((h) => {
        const r = h.getBoundingClientRect();
        return r.left >= box.left - 1 && r.right <= box.right + 1 && r.width > 0;
      })
      .map((h) => h.getAttribute('title') ?? h.innerText);
  });
}

/**
 * Identifiers (ARNs, instance ids, IPv4 addresses) inside `container` whose element cuts them: its text is wider
 * than its box and the overflow is hidden (an ellipsis), or it sticks out of the container.
 */
export async function cutTexts(page: Page, container: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const root = document.querySelector<HTMLElement>(sel);
    if (!root) return [`${sel} is not on the page`];
    const box = root.getBoundingClientRect();
    const id = /arn:aws[\w:/.-]*|\bi-[0-9a-f]{8,17}\b|\b\d{1,3}(\.\d{1,3}){3}\b/;
    return [...root.querySelectorAll<HTMLElement>('*')]
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && id.test(n.textContent ?? '')))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        const hidden = getComputedStyle(el).overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1;
        return hidden || r.right > box.right + 1;
      })
      .map((el) => el.innerText.slice(0, 120));
  }, container);
}
