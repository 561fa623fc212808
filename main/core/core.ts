import type { Db } from '../db/database';
import type { Clock } from './clock';
import type { Paths } from './paths';
import type { EventBus } from './events';
import type { Actor } from './actor';
import type { Dialogs } from './dialogs';
import type { FileGrants } from './file-grants';
import type { Logger } from './logger';

/** The part of Electron's `safeStorage` Lariat uses, injected so services never import Electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}
import type { ActivityService } from '../activity/activity-service';
import type { CaseService } from '../cases/case-service';
import type { JobService } from '../jobs/job-service';
import type { SettingsService } from '../settings/settings-service';
import type { AssetService } from '../assets/asset-service';

/**
 * What every feature receives: the shared infrastructure and the foundation
 * services. Features are built from this in `main/services.ts`; none of them
 * import Electron.
 */
export interface Core {
  db: Db;
  clock: Clock;
  paths: Paths;
  events: EventBus;
  dialogs: Dialogs;
  /** Locations the investigator chose, as single-use tokens: the only way a file path reaches an operation. */
  grants: FileGrants;
  env: NodeJS.ProcessEnv;
  /** The rotating log file of the data folder (logs/lariat.log): one line per operation and failure, redacted. */
  log: Logger;
  /** Tells the investigator something Lariat repaired or found at start (the CLI's stderr; the app's console). */
  warn: (message: string) => void;
  /** Lariat's version, recorded as the tool version in custody entries and reports. */
  version: string;
  /** True inside Electron, false in the CLI and tests. */
  electron: boolean;
  /** Electron's safeStorage (OS keychain encryption) inside the app; null in the CLI and tests. */
  safeStorage: SafeStorageLike | null;
  /**
   * Renders self-contained HTML to PDF with Electron's printToPDF inside the app;
   * null in the CLI and tests, where the reports feature uses Chromium instead.
   */
  printToPdf: ((html: string, options: { footerHtml: string }) => Promise<Uint8Array>) | null;
  actor(): Actor;
  /** Lets the identity feature take over attribution once an investigator identity exists. */
  setActorSource(source: () => Actor): void;
  activity: ActivityService;
  cases: CaseService;
  jobs: JobService;
  settings: SettingsService;
  assets: AssetService;
}
