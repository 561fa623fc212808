import type { Db } from '../db/database';
import type { Settings } from '../../common/contract/cases';

const defaults: Settings = { theme: 'system' };

/** Small key/value settings in the case database, so they travel with the data folder. */
export class SettingsService {
  constructor(private readonly deps: { db: Db }) {}

  getRaw<T>(key: string): T | undefined {
    const row = this.deps.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setRaw(key: string, value: unknown): void {
    this.deps.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  get(): Settings {
    return { theme: this.getRaw<Settings['theme']>('theme') ?? defaults.theme };
  }

  update(patch: Partial<Settings>): Settings {
    if (patch.theme) this.setRaw('theme', patch.theme);
    return this.get();
  }
}
