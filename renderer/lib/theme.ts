import { useEffect } from 'react';
import { useCall } from './api';

/** Applies the saved theme (system, light or dark) to the document. */
export function useTheme(): void {
  const settings = useCall('getSettings', {});
  const theme = settings.data?.theme ?? 'system';
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      const dark = theme === 'dark' || (theme === 'system' && media.matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
