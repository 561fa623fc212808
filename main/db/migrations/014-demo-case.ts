import type { Migration } from './types';

/**
 * The demo can never sign a real case. `lariat demo` (and the app's demo button) may create an identity
 * named "Demo investigator (not a real person)" so a newcomer sees custody work without typing their own;
 * its key must never sign anything outside the case the demo built. So:
 *
 * - a case records whether it is the demo case (`cases.demo`), set when it is created and frozen after;
 * - a custody entry whose signer or counter-signer is a demo identity is refused in any other case, by
 *   the database itself, whatever code path tries (import, transfer, verification, report, bundle).
 *
 * The services check first and refuse with a hint (CaseService.requireWritable); this trigger is the
 * backstop. Its message has the `lariat:<code>|<message>|<hint>` form that `toErrorInfo` passes on.
 */
export const m014DemoCase: Migration = {
  version: 14,
  name: 'demo-case',
  up(db) {
    db.exec(`
      ALTER TABLE cases ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0,1));
      CREATE TRIGGER cases_demo_frozen BEFORE UPDATE OF demo ON cases
        WHEN NEW.demo IS NOT OLD.demo
        BEGIN SELECT RAISE(ABORT, 'lariat:demo-flag-frozen|Whether a case is the demo case is set when it is created and cannot change.|Open a new case instead.'); END;
      CREATE TRIGGER custody_demo_signer_only_in_demo BEFORE INSERT ON custody_entries
        WHEN (SELECT demo FROM cases WHERE id = NEW.case_id) = 0
         AND EXISTS (SELECT 1 FROM investigators WHERE demo = 1 AND fingerprint IN (NEW.actor_fp, NEW.counter_fp))
        BEGIN SELECT RAISE(ABORT, 'lariat:demo-identity|The demo investigator (not a real person) can only sign in the demo case; nothing was recorded in this case.|Create your own investigator identity first (app: Settings, Investigator identity; CLI: lariat identity init --name "..."), then try again.'); END;
    `);
  },
};
