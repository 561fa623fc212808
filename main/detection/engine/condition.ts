import { RuleError } from './types';

/**
 * Sigma's `condition`: identifiers combined with `and`, `or`, `not` and
 * parentheses (not binds tighter than and, and tighter than or), plus
 * `1 of x*`, `all of x*`, `1 of them`, `all of them`. `them` leaves out
 * identifiers starting with `_`, as the specification says. The old
 * aggregation syntax (`| count() > 5`) is refused: correlation rules replace it.
 */
export type Cond =
  | { op: 'id'; name: string }
  | { op: 'and' | 'or'; args: Cond[] }
  | { op: 'not'; arg: Cond }
  | { op: 'of'; quantifier: 'one' | 'all'; names: string[] };

type Tok = { t: 'word'; v: string } | { t: '(' } | { t: ')' };

function lex(text: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(\()|(\))|([A-Za-z0-9_*?.-]+)|(\S))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[1]) out.push({ t: '(' });
    else if (m[2]) out.push({ t: ')' });
    else if (m[3]) out.push({ t: 'word', v: m[3] });
    else if (m[4] === '|')
      throw new RuleError(`condition "${text}": the aggregation syntax (| count() ...) is not supported; write a correlation rule`);
    else if (m[4]) throw new RuleError(`condition "${text}": unexpected "${m[4]}"`);
    if (re.lastIndex >= text.length) break;
  }
  return out;
}

const globRe = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** Parses a condition against the rule's search identifiers; every name it uses must exist. */
export function parseCondition(text: string, identifiers: string[]): Cond {
  const toks = lex(text);
  let i = 0;
  const peekWord = (): string | null => {
    const t = toks[i];
    return t && t.t === 'word' ? t.v.toLowerCase() : null;
  };
  const fail = (what: string): never => {
    throw new RuleError(`condition "${text}": ${what}`);
  };

  const parseOr = (): Cond => {
    const args = [parseAnd()];
    while (peekWord() === 'or') {
      i++;
      args.push(parseAnd());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  const parseAnd = (): Cond => {
    const args = [parseNot()];
    while (peekWord() === 'and') {
      i++;
      args.push(parseNot());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  const parseNot = (): Cond => {
    if (peekWord() === 'not') {
      i++;
      return { op: 'not', arg: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): Cond => {
    const t = toks[i];
    if (!t) return fail('ends too early');
    if (t.t === '(') {
      i++;
      const inner = parseOr();
      if (toks[i]?.t !== ')') fail('a parenthesis is not closed');
      i++;
      return inner;
    }
    if (t.t === ')') return fail('unexpected ")"');
    const w = t.v;
    const lw = w.toLowerCase();
    if (lw === 'and' || lw === 'or') return fail(`"${w}" without a left-hand side`);
    if (
      (lw === '1' || lw === 'all' || lw === 'any') &&
      toks[i + 1]?.t === 'word' &&
      (toks[i + 1] as { v: string }).v.toLowerCase() === 'of'
    ) {
      const target = toks[i + 2];
      if (!target || target.t !== 'word') return fail(`"${w} of" needs a name pattern or "them"`);
      i += 3;
      const names =
        target.v.toLowerCase() === 'them'
          ? identifiers.filter((n) => !n.startsWith('_'))
          : identifiers.filter((n) => globRe(target.v).test(n));
      if (names.length === 0) fail(`"${w} of ${target.v}" matches no search identifier`);
      return { op: 'of', quantifier: lw === 'all' ? 'all' : 'one', names };
    }
    if (/^\d+$/.test(w)) return fail(`"${w} of" with a number other than 1 is not supported`);
    if (!identifiers.includes(w)) return fail(`"${w}" is not a search identifier of this rule`);
    i++;
    return { op: 'id', name: w };
  };

  const cond = parseOr();
  if (i < toks.length) fail(`unexpected "${(toks[i] as { v?: string }).v ?? toks[i]!.t}"`);
  return cond;
}
