import { useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';

const KEY = 'lariat.timeline.panelWidth';
const MIN = 280;

const stored = (): number => {
  try {
    const w = Number(window.localStorage.getItem(KEY));
    return Number.isFinite(w) && w >= MIN ? w : 0;
  } catch {
    return 0;
  }
};

/**
 * The event panel's frame beside the table: resizable from its left edge (drag, or arrow keys on the
 * handle), never wider than 45% of the timeline so the table keeps its leading columns. Its default is
 * narrower in a small window.
 */
export function SidePanel({ children }: { children: ReactNode }) {
  const [width, setWidth] = useState(() => stored() || (window.innerWidth < 1200 ? 280 : 380));
  const set = (w: number) => {
    const next = Math.round(Math.max(MIN, Math.min(900, w)));
    setWidth(next);
    try {
      window.localStorage.setItem(KEY, String(next));
    } catch {
      // Storage refused (private window): the width lasts for this view only.
    }
  };
  const drag = (down: ReactPointerEvent<HTMLDivElement>) => {
    down.preventDefault();
    const x0 = down.clientX;
    const w0 = width;
    const handle = down.currentTarget;
    handle.setPointerCapture(down.pointerId);
    const move = (m: PointerEvent) => set(w0 - (m.clientX - x0));
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };
  return (
    <div className="tl-side-wrap" style={{ width }}>
      <div
        role="separator"
        tabIndex={0}
        aria-orientation="vertical"
        aria-label="Resize event details"
        aria-valuenow={width}
        aria-valuemin={MIN}
        aria-valuemax={900}
        className="tl-side-resize"
        onPointerDown={drag}
        onKeyDown={(k) => {
          if (k.key === 'ArrowLeft' || k.key === 'ArrowRight') {
            k.preventDefault();
            set(width + (k.key === 'ArrowLeft' ? 20 : -20));
          }
        }}
      />
      {children}
    </div>
  );
}
