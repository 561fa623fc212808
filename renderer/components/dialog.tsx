import { useEffect, useRef, type ReactNode } from 'react';

/** The first thing to type into: a field marked `data-autofocus`, else the first enabled field, else the first button of the body. */
const FIRST_FIELD = [
  '[data-autofocus]',
  'input:not([type=hidden]):not([disabled])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'button:not([disabled])',
];

/**
 * A modal dialog on the native <dialog> element: focus trapped by the browser, Esc closes. On opening, focus
 * goes to the first field of the body, never to the header's close button: after `n`, typing "Miner on web"
 * fills the title (a space on a focused close button would close the dialog).
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide,
}: {
  open: boolean;
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      const body = d.querySelector('.dialog-body');
      const first = FIRST_FIELD.map((sel) => body?.querySelector<HTMLElement>(sel)).find(Boolean);
      first?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className={`dialog${wide ? ' dialog-wide' : ''}`} onClose={onClose} onCancel={onClose} aria-label={title}>
      {open && (
        <>
          <header className="dialog-header">
            <h2>{title}</h2>
            <button type="button" className="btn btn-ghost btn-xs" onClick={onClose} aria-label="Close dialog">
              Esc
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}
