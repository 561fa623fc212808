import type { Db } from '../db/database';
import { Contact, type Plan } from '../../common/contract/plan-schema';
import { validatePlan } from './plan-codec';

interface PlanRow {
  name: string;
  body: string;
  origin: 'local' | 'incident-manager';
  origin_arn: string | null;
}

interface ContactRow {
  alias: string;
  body: string;
  origin: 'local' | 'ssm-contacts';
}

/**
 * Plans and contacts stored in this data folder. Bodies are re-validated when
 * read, so a row edited behind Lariat's back is refused like a hostile file.
 */
export class PlanStore {
  constructor(private readonly db: Db) {}

  list(): { plan: Plan; origin: 'local' | 'incident-manager' }[] {
    return this.db
      .prepare<[], PlanRow>('SELECT name, body, origin, origin_arn FROM plans ORDER BY name')
      .all()
      .map((r) => ({ plan: validatePlan(JSON.parse(r.body), `Stored plan ${r.name}`), origin: r.origin }));
  }

  has(name: string): boolean {
    return Boolean(this.db.prepare<[string], { n: number }>('SELECT 1 AS n FROM plans WHERE name = ?').get(name));
  }

  /** Inserts or (with `replace`) overwrites; returns false when the name exists and replace was not asked. */
  put(plan: Plan, origin: 'local' | 'incident-manager', originArn: string | null, now: string, replace: boolean): boolean {
    if (this.has(plan.name)) {
      if (!replace) return false;
      this.db
        .prepare('UPDATE plans SET kind = ?, body = ?, origin = ?, origin_arn = ?, updated_at = ? WHERE name = ?')
        .run(plan.kind, JSON.stringify(plan), origin, originArn, now, plan.name);
      return true;
    }
    this.db
      .prepare('INSERT INTO plans (name, kind, body, origin, origin_arn, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(plan.name, plan.kind, JSON.stringify(plan), origin, originArn, now, now);
    return true;
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM plans WHERE name = ?').run(name).changes > 0;
  }

  contacts(): { contact: Contact; origin: 'local' | 'ssm-contacts' }[] {
    return this.db
      .prepare<[], ContactRow>('SELECT alias, body, origin FROM plan_contacts ORDER BY alias')
      .all()
      .flatMap((r) => {
        const parsed = Contact.safeParse(JSON.parse(r.body));
        return parsed.success ? [{ contact: parsed.data, origin: r.origin }] : [];
      });
  }

  putContact(contact: Contact, origin: 'local' | 'ssm-contacts', now: string): void {
    this.db
      .prepare(
        `INSERT INTO plan_contacts (alias, body, origin, arn, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(alias) DO UPDATE SET body = excluded.body, origin = excluded.origin, arn = excluded.arn, updated_at = excluded.updated_at`,
      )
      .run(contact.alias, JSON.stringify(contact), origin, contact.arn ?? null, now);
  }
}
