import { useEffect } from 'react';

/** True when the user is typing in a field, so single-key shortcuts must not fire. */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

/**
 * Keyboard-first habits: `/` focuses the current view's search field
 * (any element with `data-search`), `n` asks the current tab for a new item
 * (it listens with `useNewItemShortcut`). Esc closes dialogs natively.
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
      if (e.key === '/') {
        const el = document.querySelector<HTMLElement>('[data-search]');
        if (el) {
          e.preventDefault();
          el.focus();
        }
      } else if (e.key === 'n') {
        e.preventDefault();
        window.dispatchEvent(new CustomEvent('lariat:new-item'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Lets a view respond to the `n` shortcut. */
export function useNewItemShortcut(handler: () => void): void {
  useEffect(() => {
    window.addEventListener('lariat:new-item', handler);
    return () => window.removeEventListener('lariat:new-item', handler);
  }, [handler]);
}
