import { useEffect, useRef } from 'react';

/** The parts of a keydown event the Esc handling reads (a DOM KeyboardEvent has them all). */
export interface EscapeKeyEvent {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
  preventDefault(): void;
}

/** A side panel that Esc closes: how to close it, and where the keyboard goes back to afterwards. */
export interface EscapeCloser {
  close(): void;
  /** The element to focus once the panel is gone (the row it was opened from); looked up after the close renders. */
  returnFocus?(): { focus(): void } | null | undefined;
}

export interface EscapeStack {
  /** Registers an open panel; the returned function unregisters it (the panel closed some other way). */
  push(closer: EscapeCloser): () => void;
  /** Handles one keydown; true when it closed a panel (and then the event's default is prevented). */
  handle(e: EscapeKeyEvent): boolean;
}

/**
 * Side panels that Esc closes, newest first: with the finding panel and the jobs drawer both open, one Esc closes
 * the one opened last. Esc is left alone while a modal dialog is open (the native <dialog> closes itself, and
 * a panel behind it must not close too), when a modifier is held, and when something already handled it
 * (the histogram's brush, a field that clears itself). After closing, focus goes back to where the panel was
 * opened from, so a keyboard user keeps their place in the table; `defer` runs that once the close rendered.
 */
export function createEscapeStack(options: { modalOpen(): boolean; defer(run: () => void): void }): EscapeStack {
  const stack: EscapeCloser[] = [];
  return {
    push(closer) {
      stack.push(closer);
      return () => {
        const i = stack.lastIndexOf(closer);
        if (i >= 0) stack.splice(i, 1);
      };
    },
    handle(e) {
      if (e.key !== 'Escape' || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey || e.defaultPrevented) return false;
      const top = stack.at(-1);
      if (!top || options.modalOpen()) return false;
      e.preventDefault();
      stack.pop();
      top.close();
      if (top.returnFocus) options.defer(() => top.returnFocus?.()?.focus());
      return true;
    },
  };
}

let shared: EscapeStack | undefined;

/** The app's one stack, listening on the window (bubbling, so handlers inside the page can claim Esc first). */
function appStack(): EscapeStack {
  if (!shared) {
    const stack = createEscapeStack({
      modalOpen: () => document.querySelector('dialog[open]') !== null,
      defer: (run) => requestAnimationFrame(() => requestAnimationFrame(run)),
    });
    window.addEventListener('keydown', (e) => stack.handle(e));
    shared = stack;
  }
  return shared;
}

/**
 * Makes Esc close this panel while it is mounted, then focus `returnFocus()` (e.g. the table row it came from).
 * The callbacks are read when Esc is pressed, so they may change on every render.
 */
export function useEscapeToClose(close: () => void, returnFocus?: () => HTMLElement | null | undefined): void {
  const latest = useRef({ close, returnFocus });
  latest.current = { close, returnFocus };
  useEffect(
    () =>
      appStack().push({
        close: () => latest.current.close(),
        returnFocus: () => latest.current.returnFocus?.(),
      }),
    [],
  );
}

/** The table row of an item (`[data-<attr>="<id>"]`), as the place focus returns to. */
export function rowOf(attribute: string, id: string | number): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[${attribute}="${CSS.escape(String(id))}"]`);
}
