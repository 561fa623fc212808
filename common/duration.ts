/** "2 h 5 min", "45 s", "3 d 4 h": how long, for people. Shared by the CLI, the report and the Analysis tab, so a metric reads the same everywhere. */
export function formatDuration(s: number | null): string {
  if (s === null) return 'not recorded';
  const neg = s < 0;
  let v = Math.abs(s);
  const d = Math.floor(v / 86_400);
  v -= d * 86_400;
  const h = Math.floor(v / 3600);
  v -= h * 3600;
  const m = Math.floor(v / 60);
  const sec = v - m * 60;
  const parts = d
    ? [`${d} d`, h ? `${h} h` : '']
    : h
      ? [`${h} h`, m ? `${m} min` : '']
      : m
        ? [`${m} min`, sec ? `${sec} s` : '']
        : [`${sec} s`];
  return `${neg ? '-' : ''}${parts.filter(Boolean).join(' ')}`;
}
