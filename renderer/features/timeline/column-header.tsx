import type { PointerEvent as ReactPointerEvent } from 'react';
import type { ColumnDef, ColumnId } from './columns';

/**
 * A column heading with its resize handle: drag it, or focus it and use the arrow keys (10 px a press,
 * 50 with Shift). The handle is a focusable separator, as ARIA describes a splitter.
 */
export function ColumnHeader({ def, width, onResize }: { def: ColumnDef; width: number; onResize(id: ColumnId, w: number): void }) {
  const drag = (down: ReactPointerEvent<HTMLSpanElement>) => {
    down.preventDefault();
    down.stopPropagation();
    const x0 = down.clientX;
    const handle = down.currentTarget;
    handle.setPointerCapture(down.pointerId);
    const move = (m: PointerEvent) => onResize(def.id, width + m.clientX - x0);
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };
  return (
    <div role="columnheader" className="tl-th" aria-label={def.id === 'flag' ? 'Flagged' : undefined} title={def.label}>
      <span className="tl-th-label">{def.id === 'flag' ? '⚑' : def.label}</span>
      {def.id !== 'flag' && (
        <span
          role="separator"
          tabIndex={0}
          aria-orientation="vertical"
          aria-label={`Resize column ${def.label}`}
          aria-valuenow={width}
          aria-valuemin={def.min}
          aria-valuemax={2000}
          className="tl-resize"
          onPointerDown={drag}
          onKeyDown={(k) => {
            const step = k.shiftKey ? 50 : 10;
            if (k.key === 'ArrowLeft' || k.key === 'ArrowRight') {
              k.preventDefault();
              onResize(def.id, width + (k.key === 'ArrowRight' ? step : -step));
            }
          }}
        />
      )}
    </div>
  );
}
