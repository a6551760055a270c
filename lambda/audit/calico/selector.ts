/**
 * Calico's selector language (POLICY-APIS.md §4.3; docs.tigera.io, NetworkPolicy "Selectors"): the expressions that
 * `selector`, `namespaceSelector` and `serviceAccountSelector` of Calico policies are written in. Not Kubernetes'
 * LabelSelector: `k == "v"`, `k != "v"`, `k in {"a", "b"}`, `k not in {…}`, `has(k)`, `k contains "s"`,
 * `k starts with "s"`, `k ends with "s"`, `all()`, `global()`, `!`, `&&`, `||` and parentheses; the empty selector is
 * `all()`. Strings are quoted with `"` or `'`, without escapes (Calico has none). Parsed once into an AST, evaluated
 * over labels, and printed back in one canonical spelling for messages.
 */

/** The comparisons of one label with a string. */
export const Comparison = {
  Equals: '==',
  NotEquals: '!=',
  Contains: 'contains',
  StartsWith: 'starts with',
  EndsWith: 'ends with',
} as const;
export type Comparison = (typeof Comparison)[keyof typeof Comparison];

/** A parsed Calico selector. */
export type CalicoSelector =
  | { op: 'all' }
  /** `global()`: non-namespaced resources only (host endpoints, global network sets); never a pod or a namespace. */
  | { op: 'global' }
  | { op: 'has'; key: string }
  | { op: Comparison; key: string; value: string }
  | { op: 'in' | 'not in'; key: string; values: string[] }
  | { op: 'not'; operand: CalicoSelector }
  | { op: 'and' | 'or'; left: CalicoSelector; right: CalicoSelector };

/** The outcome of parsing: the selector, or why it is not one, naming the 0-based character position. */
export type ParsedSelector = { ok: true; selector: CalicoSelector } | { ok: false; problem: string; position: number };

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'string'; text: string; at: number }
  | { type: 'symbol'; text: string; at: number }
  | { type: 'end'; at: number };

// A label key or keyword: letters, digits and the punctuation label keys use (`app.kubernetes.io/name`).
const WORD = /[A-Za-z0-9_./-]/;
const SYMBOLS = ['==', '!=', '&&', '||', '!', '(', ')', '{', '}', ','] as const;

class ParseError extends Error {
  constructor(
    readonly problem: string,
    readonly position: number,
  ) {
    super(problem);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === '"' || char === "'") {
      const close = text.indexOf(char, at + 1);
      if (close < 0) throw new ParseError(`the string opened with ${char} is not closed`, at);
      tokens.push({ type: 'string', text: text.slice(at + 1, close), at });
      at = close + 1;
    } else if (WORD.test(char)) {
      const start = at;
      while (at < text.length && WORD.test(text[at] as string)) at += 1;
      tokens.push({ type: 'word', text: text.slice(start, at), at: start });
    } else {
      const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, at));
      if (symbol === undefined) throw new ParseError(`unexpected character ${JSON.stringify(char)}`, at);
      tokens.push({ type: 'symbol', text: symbol, at });
      at += symbol.length;
    }
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}

function shownToken(token: Token): string {
  if (token.type === 'end') return 'the end of the selector';
  return token.type === 'string' ? `the string ${JSON.stringify(token.text)}` : `"${token.text}"`;
}

/** A recursive-descent parser: `or := and ('||' and)*`, `and := unary ('&&' unary)*`, `unary := '!' unary | primary`. */
class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index += 1;
    return token;
  }

  private isSymbol(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'symbol' && token.text === text;
  }

  private isWord(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'word' && token.text === text;
  }

  private fail(expected: string): never {
    const token = this.peek();
    throw new ParseError(`expected ${expected}, found ${shownToken(token)}`, token.at);
  }

  private expectSymbol(text: string): void {
    if (!this.isSymbol(text)) this.fail(`"${text}"`);
    this.next();
  }

  private string(): string {
    const token = this.peek();
    if (token.type !== 'string') this.fail('a quoted string');
    this.next();
    return token.text;
  }

  selector(): CalicoSelector {
    if (this.peek().type === 'end') return { op: 'all' };
    const selector = this.or();
    if (this.peek().type !== 'end') this.fail('"&&", "||" or the end of the selector');
    return selector;
  }

  private or(): CalicoSelector {
    let left = this.and();
    while (this.isSymbol('||')) {
      this.next();
      left = { op: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): CalicoSelector {
    let left = this.unary();
    while (this.isSymbol('&&')) {
      this.next();
      left = { op: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): CalicoSelector {
    if (this.isSymbol('!')) {
      this.next();
      return { op: 'not', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): CalicoSelector {
    if (this.isSymbol('(')) {
      this.next();
      const inner = this.or();
      this.expectSymbol(')');
      return inner;
    }
    const token = this.peek();
    if (token.type !== 'word') this.fail('a label name, has(), all(), global(), "!" or "("');
    // Function names are words followed by "(": a label may still be called "has" or "all".
    if (this.isSymbol('(', 1) && ['has', 'all', 'global'].includes(token.text)) return this.call(token.text);
    this.next();
    return this.comparison(token.text);
  }

  private call(name: string): CalicoSelector {
    this.next();
    this.next();
    if (name === 'has') {
      const key = this.peek();
      if (key.type !== 'word') this.fail('a label name');
      this.next();
      this.expectSymbol(')');
      return { op: 'has', key: key.text };
    }
    this.expectSymbol(')');
    return name === 'all' ? { op: 'all' } : { op: 'global' };
  }

  private comparison(key: string): CalicoSelector {
    if (this.isSymbol('==') || this.isSymbol('!=')) {
      const op = this.isSymbol('==') ? Comparison.Equals : Comparison.NotEquals;
      this.next();
      return { op, key, value: this.string() };
    }
    if (this.isWord('in')) {
      this.next();
      return { op: 'in', key, values: this.set() };
    }
    if (this.isWord('not') && this.isWord('in', 1)) {
      this.next();
      this.next();
      return { op: 'not in', key, values: this.set() };
    }
    if (this.isWord('contains')) {
      this.next();
      return { op: Comparison.Contains, key, value: this.string() };
    }
    for (const [first, op] of [['starts', Comparison.StartsWith], ['ends', Comparison.EndsWith]] as const) {
      if (this.isWord(first) && this.isWord('with', 1)) {
        this.next();
        this.next();
        return { op, key, value: this.string() };
      }
    }
    return this.fail(`"==", "!=", "in", "not in", "contains", "starts with" or "ends with" after label ${JSON.stringify(key)}`);
  }

  private set(): string[] {
    this.expectSymbol('{');
    const values: string[] = [];
    if (this.isSymbol('}')) {
      this.next();
      return values;
    }
    values.push(this.string());
    while (this.isSymbol(',')) {
      this.next();
      values.push(this.string());
    }
    this.expectSymbol('}');
    return values;
  }
}

/** Parses a Calico selector; `undefined`, empty and blank selectors are `all()`, as Calico reads them. */
export function parseCalicoSelector(text: string | undefined): ParsedSelector {
  try {
    return { ok: true, selector: new Parser(tokenize(text ?? '')).selector() };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, problem: error.problem, position: error.position };
    throw error;
  }
}

/** Why a selector cannot be parsed, as a message clause (`expected a quoted string, found "web" at position 7`). */
export function describeParseProblem(parsed: Extract<ParsedSelector, { ok: false }>): string {
  return `${parsed.problem} at position ${parsed.position}`;
}

/**
 * True when `labels` satisfy `selector`. A missing label fails `==`, `in`, `has()`, `contains`, `starts with` and
 * `ends with`, and satisfies `!=` and `not in` (Calico's documented semantics). `global()` is false: the labels are
 * those of a pod or a namespace, never of a non-namespaced resource.
 */
export function matchesCalicoSelector(selector: CalicoSelector, labels: Readonly<Record<string, string>>): boolean {
  const value = (key: string) => (Object.hasOwn(labels, key) ? labels[key] : undefined);
  switch (selector.op) {
    case 'all':
      return true;
    case 'global':
      return false;
    case 'has':
      return value(selector.key) !== undefined;
    case Comparison.Equals:
      return value(selector.key) === selector.value;
    case Comparison.NotEquals:
      return value(selector.key) !== selector.value;
    case Comparison.Contains:
      return value(selector.key)?.includes(selector.value) ?? false;
    case Comparison.StartsWith:
      return value(selector.key)?.startsWith(selector.value) ?? false;
    case Comparison.EndsWith:
      return value(selector.key)?.endsWith(selector.value) ?? false;
    case 'in':
    case 'not in': {
      const found = value(selector.key);
      const listed = found !== undefined && selector.values.includes(found);
      return selector.op === 'in' ? listed : !listed;
    }
    case 'not':
      return !matchesCalicoSelector(selector.operand, labels);
    case 'and':
      return matchesCalicoSelector(selector.left, labels) && matchesCalicoSelector(selector.right, labels);
    case 'or':
      return matchesCalicoSelector(selector.left, labels) || matchesCalicoSelector(selector.right, labels);
  }
}

/** True when the selector is `all()` (or empty): it selects every endpoint, present or future. */
export function selectsAll(selector: CalicoSelector): boolean {
  return selector.op === 'all';
}

// Calico strings have no escapes: a value is quoted with whichever quote it does not contain.
function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

function printOperand(selector: CalicoSelector, parenthesize: boolean): string {
  const printed = printCalicoSelector(selector);
  return parenthesize ? `(${printed})` : printed;
}

/**
 * The selector in one canonical spelling (`app == "web" && !has(legacy)`), which parses back to the same AST:
 * parentheses only where precedence (`!` over `&&` over `||`, both left-associative) needs them.
 */
export function printCalicoSelector(selector: CalicoSelector): string {
  switch (selector.op) {
    case 'all':
    case 'global':
      return `${selector.op}()`;
    case 'has':
      return `has(${selector.key})`;
    case 'in':
    case 'not in':
      return `${selector.key} ${selector.op} {${selector.values.map(quote).join(', ')}}`;
    case 'not':
      return `!${printOperand(selector.operand, selector.operand.op === 'and' || selector.operand.op === 'or')}`;
    case 'and':
      return `${printOperand(selector.left, selector.left.op === 'or')} && ${printOperand(selector.right, selector.right.op === 'or' || selector.right.op === 'and')}`;
    case 'or':
      return `${printCalicoSelector(selector.left)} || ${printOperand(selector.right, selector.right.op === 'or')}`;
    default:
      return `${selector.key} ${selector.op} ${quote(selector.value)}`;
  }
}

/** The label keys a selector reads, for telling whether it asks about labels the audit does not know. */
export function selectorKeys(selector: CalicoSelector): string[] {
  switch (selector.op) {
    case 'all':
    case 'global':
      return [];
    case 'not':
      return selectorKeys(selector.operand);
    case 'and':
    case 'or':
      return [...selectorKeys(selector.left), ...selectorKeys(selector.right)];
    default:
      return [selector.key];
  }
}
