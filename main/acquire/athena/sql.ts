import { AppError } from '../../core/errors';
import type { LogKind } from '../../../common/contract/acquire';
import { days } from '../s3/layout';

export const quoteSql = (v: string): string => `'${v.replace(/'/g, "''")}'`;

export interface RenderContext {
  logKind: LogKind;
  database: string;
  table: string;
  window: { from: string; to: string };
  accounts: string[];
  regions: string[];
  params: Record<string, string>;
}

/**
 * The partition predicate of a window: the days it touches (with the hour
 * CloudTrail may deliver late), and the accounts and regions chosen. With
 * partition projection Athena then lists and reads only those prefixes.
 */
export function partitionPredicate(c: RenderContext): string {
  const list = days(Date.parse(c.window.from), Date.parse(c.window.to) + 3600_000);
  const parts = [`day BETWEEN ${quoteSql(list[0]!)} AND ${quoteSql(list.at(-1)!)}`];
  if (c.accounts.length) parts.push(`accid IN (${c.accounts.map(quoteSql).join(', ')})`);
  if (c.regions.length) parts.push(`region IN (${c.regions.map(quoteSql).join(', ')})`);
  return `(${parts.join(' AND ')})`;
}

/** The exact times: CloudTrail's eventtime is ISO-8601 text; a flow record's start is epoch seconds. */
export function windowPredicate(c: RenderContext): string {
  if (c.logKind === 'cloudtrail')
    return `(eventtime >= ${quoteSql(c.window.from.replace(/\.\d{3}Z$/, 'Z'))} AND eventtime < ${quoteSql(c.window.to.replace(/\.\d{3}Z$/, 'Z'))})`;
  return `(start >= ${Math.floor(Date.parse(c.window.from) / 1000)} AND start < ${Math.ceil(Date.parse(c.window.to) / 1000)})`;
}

/** Fills `{{table}}`, `{{partitions}}`, `{{window}}` and `{{param:name}}`; every parameter must be given. */
export function renderSql(template: string, c: RenderContext): string {
  return template.replace(/\{\{\s*(table|partitions|window|param:([A-Za-z]\w*))\s*\}\}/g, (_m, what: string, name?: string) => {
    if (what === 'table') return `"${c.database}"."${c.table}"`;
    if (what === 'partitions') return partitionPredicate(c);
    if (what === 'window') return windowPredicate(c);
    const v = c.params[name!];
    if (v === undefined)
      throw new AppError('athena-missing-param', `The query needs the parameter ${name}.`, `Give it with --param ${name}=VALUE.`);
    return quoteSql(v);
  });
}

/**
 * The investigator's own SQL must be one read-only SELECT (or WITH ... SELECT):
 * Lariat runs it in the account, so DDL, INSERT, UNLOAD or a second
 * statement are refused. Unless a full scan is accepted on purpose, it must
 * restrict the partitions with {{partitions}}, so it reads only the window.
 */
export function checkOwnSql(sql: string, fullScan: boolean): void {
  const body = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .trim()
    .replace(/;\s*$/, '');
  if (!/^(select|with)\b/i.test(body))
    throw new AppError(
      'athena-not-select',
      'Only a SELECT query (or WITH ... SELECT) can be run from a case.',
      'Create tables with `lariat athena setup`; write your query as SELECT ... FROM {{table}} WHERE {{partitions}} AND ...',
    );
  if (body.replace(/'(?:[^']|'')*'/g, "''").includes(';'))
    throw new AppError('athena-several-statements', 'The query holds more than one statement.', 'Run one SELECT at a time.');
  if (/\b(unload|insert|create|drop|alter|delete|update|merge|msck)\b/i.test(body.replace(/'(?:[^']|'')*'/g, "''")))
    throw new AppError('athena-not-select', 'The query would change data or tables.', 'Only read-only SELECT queries run from a case.');
  if (!fullScan && !/\{\{\s*partitions\s*\}\}/.test(sql))
    throw new AppError(
      'athena-full-scan',
      'The query does not restrict the partitions, so Athena would read every log in the table (and bill for it).',
      'Add {{partitions}} to its WHERE clause (Lariat fills in the days, accounts and regions of the window), or pass --full-scan to accept reading everything.',
    );
}
