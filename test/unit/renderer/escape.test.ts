import { describe, expect, it } from 'vitest';
import { createEscapeStack, type EscapeKeyEvent } from '../../../renderer/lib/escape';

/** A keydown as the window sees it; `preventDefault` marks it handled like the DOM does. */
function key(k: string, mods: Partial<Pick<EscapeKeyEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'defaultPrevented'>> = {}) {
  const e = {
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    defaultPrevented: false,
    ...mods,
    preventDefault() {
      e.defaultPrevented = true;
    },
  };
  return e;
}

function setup(modal = { open: false }) {
  const log: string[] = [];
  const deferred: (() => void)[] = [];
  const stack = createEscapeStack({ modalOpen: () => modal.open, defer: (run) => deferred.push(run) });
  const panel = (name: string, row?: string) =>
    stack.push({
      close: () => log.push(`close ${name}`),
      returnFocus: row ? () => ({ focus: () => log.push(`focus ${row}`) }) : undefined,
    });
  const flush = () => deferred.splice(0).forEach((run) => run());
  return { stack, log, panel, flush, modal };
}

describe('Esc closes side panels (renderer/lib/escape.ts)', () => {
  it('closes the open panel, then gives focus back to the row it came from once the close has rendered', () => {
    const { stack, log, panel, flush } = setup();
    panel('event 42', 'row 42');
    const e = key('Escape');
    expect(stack.handle(e)).toBe(true);
    expect(e.defaultPrevented).toBe(true);
    expect(log).toEqual(['close event 42']);
    flush();
    expect(log).toEqual(['close event 42', 'focus row 42']);
    // Nothing left open: the next Esc is not claimed (the page's other handlers still get it).
    const again = key('Escape');
    expect(stack.handle(again)).toBe(false);
    expect(again.defaultPrevented).toBe(false);
    expect(log).toHaveLength(2);
  });

  it('closes the panel opened last first, one per Esc', () => {
    const { stack, log, panel, flush } = setup();
    panel('finding 7', 'finding row 7');
    panel('jobs drawer', 'jobs button');
    stack.handle(key('Escape'));
    flush();
    expect(log).toEqual(['close jobs drawer', 'focus jobs button']);
    stack.handle(key('Escape'));
    flush();
    expect(log).toEqual(['close jobs drawer', 'focus jobs button', 'close finding 7', 'focus finding row 7']);
  });

  it('leaves Esc to an open modal dialog, to other keys, to modified Esc and to handlers that already used it', () => {
    const { stack, log, panel, modal } = setup({ open: true });
    panel('event 1', 'row 1');
    expect(stack.handle(key('Escape'))).toBe(false); // the native <dialog> closes itself; the panel behind it stays
    modal.open = false;
    expect(stack.handle(key('Enter'))).toBe(false);
    expect(stack.handle(key('Escape', { shiftKey: true }))).toBe(false);
    expect(stack.handle(key('Escape', { ctrlKey: true }))).toBe(false);
    expect(stack.handle(key('Escape', { defaultPrevented: true }))).toBe(false); // e.g. the histogram dropped its brush
    expect(log).toEqual([]);
    expect(stack.handle(key('Escape'))).toBe(true);
    expect(log).toEqual(['close event 1']);
  });

  it('forgets a panel closed some other way (its Close button), so Esc does not close it twice', () => {
    const { stack, log, panel } = setup();
    panel('event 1');
    const unmount = panel('event 2');
    unmount();
    stack.handle(key('Escape'));
    expect(log).toEqual(['close event 1']);
  });
});
