// The strings a Go expression can be at run time, followed through the program: literals,
// constants and variables (every definition that reaches the use), struct fields, map and slice
// literals, filepath.Join, fmt.Sprintf and `+`, os.Getenv as `${NAME}`, flag defaults, the
// parameters of the module's functions (at every call, any depth) and what its functions return.
// Anything else is unknown (undefined), never guessed.
//
// A value is written in one small language: `${NAME}` is the environment variable NAME, `*` a
// name chosen at run time (filepath.Join(dir, id)), and a literal's own `\`, `$`, `*`, `?` and `[`
// stand behind a `\`, so "prices/$list.txt" is the file of that name, not a variable. A value
// is thus a filepath.Match pattern (where `\` escapes) with variables in it; the helpers below
// read it.
import type { Node } from './parser';
import { argumentsOf, listItems, type Def, type Func, type Program } from './program';
import { isStringLiteral, unquote, walk, type GoFile } from './source';

/** At most this many values for one expression (a parameter called with several paths, Join of those). */
export const MAX_VALUES = 32;
/** How many calls deep a parameter is followed. */
const MAX_CALL_DEPTH = 8;

export interface EvalContext {
  readonly program: Program;
  /** Steps left for this value: parameters called from many places, many calls deep, could multiply without end. */
  readonly budget: { steps: number };
  readonly depth: number;
  readonly callDepth: number;
  /** Definitions and functions being evaluated: a cycle is unknown. */
  readonly visiting: ReadonlySet<unknown>;
}

/** How many expressions one value may look at before it is unknown. */
const STEPS_PER_VALUE = 20_000;

/** A fresh context for one value. */
export function evalContext(program: Program): EvalContext {
  return { program, budget: { steps: STEPS_PER_VALUE }, depth: 0, callDepth: 0, visiting: new Set() };
}

/** An imported package's member named at `node`: `alias.Name`, a dot-imported `Name`, or a variable holding one (`read := os.ReadFile`). */
export function importedMember(program: Program, file: GoFile, node: Node, depth = 0): { importPath: string; name: string } | undefined {
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return importedMember(program, file, node.namedChildren[0], depth);
  if (node.type === 'selector_expression') {
    const operand = node.childForFieldName('operand');
    const field = node.childForFieldName('field');
    if (operand?.type !== 'identifier' || !field || program.isVariable(file, operand)) return undefined;
    const importPath = file.importNames.get(operand.text);
    return importPath === undefined ? undefined : { importPath, name: field.text };
  }
  if (node.type !== 'identifier') return undefined;
  const use = program.resolve(file, node);
  if (use) {
    // A method value: every definition that reaches the call names the same member.
    const defs = program.reaching(use);
    if (depth > 4 || defs.length === 0) return undefined;
    let member: { importPath: string; name: string } | undefined;
    for (const def of defs) {
      const m = def.kind === 'value' ? importedMember(program, def.file, def.expr, depth + 1) : undefined;
      if (!m || (member && (member.importPath !== m.importPath || member.name !== m.name))) return undefined;
      member = m;
    }
    return member;
  }
  if (program.packageOf(file).functions.has(node.text)) return undefined;
  // A bare name from a dot import: the package that has a member of that name the analysis reads.
  const known = file.dotImports.find((p) => DOT_IMPORTABLE.get(p)?.has(node.text));
  return known === undefined ? undefined : { importPath: known, name: node.text };
}

/** Members read by name when their package is dot-imported. */
const DOT_IMPORTABLE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    os: 'Open OpenFile ReadFile ReadDir Stat Lstat DirFS Create WriteFile Remove RemoveAll Rename Mkdir MkdirAll MkdirTemp CreateTemp Getenv LookupEnv ExpandEnv TempDir StartProcess',
    'io/ioutil': 'ReadFile ReadDir WriteFile TempDir TempFile',
    'path/filepath': 'Join Dir Clean FromSlash ToSlash Glob Walk WalkDir',
    path: 'Join Dir Clean',
    fmt: 'Sprintf',
    'os/exec': 'Command CommandContext LookPath',
    syscall: 'Exec',
    flag: 'String StringVar',
  }).map(([path, names]) => [path, new Set(names.split(' '))]),
);

export function evaluate(file: GoFile, node: Node, ctx: EvalContext, deref = false): string[] | undefined {
  if (ctx.depth > 48 || --ctx.budget.steps < 0) return undefined;
  const next: EvalContext = { ...ctx, depth: ctx.depth + 1 };
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return inner ? evaluate(file, inner, next, deref) : undefined;
    }
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return deref ? undefined : [literalValue(unquote(node.text))];
    case 'binary_expression': {
      if (deref || node.childForFieldName('operator')?.text !== '+') return undefined;
      return concatenate(terms(node).map((t) => () => evaluate(file, t, next)));
    }
    case 'unary_expression': {
      const operand = node.childForFieldName('operand');
      const operator = node.childForFieldName('operator')?.text;
      return operator === '*' && operand && !deref ? evaluate(file, operand, next, true) : undefined;
    }
    case 'identifier':
      return resolveName(file, node, next, deref);
    case 'call_expression':
      return evaluateCall(file, node, next, deref);
    case 'selector_expression':
      return deref ? undefined : evaluateSelector(file, node, next);
    case 'index_expression':
      return deref ? undefined : evaluateIndex(file, node, next);
    default:
      return undefined;
  }
}

/** The terms of `a + b + c` (the grammar nests them to the left, as deep as the sum is long). */
function terms(node: Node): Node[] {
  const rights: Node[] = [];
  let left: Node | null = node;
  while (left?.type === 'binary_expression' && left.childForFieldName('operator')?.text === '+') {
    const right = left.childForFieldName('right');
    if (right) rights.push(right);
    left = left.childForFieldName('left');
  }
  return [...(left ? [left] : []), ...rights.reverse()];
}

function resolveName(file: GoFile, node: Node, ctx: EvalContext, deref: boolean): string[] | undefined {
  const use = ctx.program.resolve(file, node);
  if (!use) return undefined;
  return evaluateDefs(ctx.program.reaching(use), ctx, deref);
}

/** Every value the definitions give; unknown when any of them is. */
export function evaluateDefs(defs: readonly Def[], ctx: EvalContext, deref = false): string[] | undefined {
  if (defs.length === 0) return undefined;
  const values: string[] = [];
  for (const def of defs) {
    const v = evaluateDef(def, ctx, deref);
    if (!v) return undefined;
    values.push(...v);
  }
  return unique(values);
}

function evaluateDef(def: Def, ctx: EvalContext, deref: boolean): string[] | undefined {
  if (ctx.visiting.has(def)) return undefined;
  const inner: EvalContext = { ...ctx, visiting: new Set([...ctx.visiting, def]) };
  switch (def.kind) {
    case 'value':
      return evaluate(def.file, def.expr, inner, deref);
    case 'zero':
      return deref ? undefined : [''];
    case 'flagVar':
      return deref ? undefined : evaluate(def.file, def.expr, inner);
    case 'env':
      return deref ? undefined : [`\${${def.name}}`];
    case 'param':
      return parameterValues(def.func, def.index, def.variadic, inner, deref);
    case 'elements':
      return deref ? undefined : elementsOf(def.file, def.expr, inner);
    case 'result':
      return deref ? undefined : resultValues(def.file, def.call, def.index, inner);
    default:
      return undefined;
  }
}

/**
 * A parameter's values: what every call passes, in the package and, for an exported function of
 * an imported package, in its importers. A function used as a value may be called with anything,
 * and so may an exported method (through an interface): both are unknown.
 */
function parameterValues(func: Func, index: number, variadic: boolean, ctx: EvalContext, deref: boolean): string[] | undefined {
  // A known answer is complete whatever the context (a cycle cut or a spent budget makes the whole
  // answer unknown, never a smaller set), so one answer per parameter serves every caller: a
  // helper called from many places many calls deep is followed once, not once per path.
  let answers = ctx.program.parameterAnswers.get(func);
  if (!answers) ctx.program.parameterAnswers.set(func, (answers = new Map()));
  const key = `${index}:${deref}`;
  if (answers.has(key)) return answers.get(key);
  const values = followParameter(func, index, variadic, ctx, deref);
  answers.set(key, values);
  return values;
}

function followParameter(func: Func, index: number, variadic: boolean, ctx: EvalContext, deref: boolean): string[] | undefined {
  if (variadic || ctx.callDepth >= MAX_CALL_DEPTH) return undefined;
  if (func.kind === 'func' && func.pkg.functions.get(func.name ?? '')?.length !== 1) return undefined;
  // A literal is followed only through the variable holding it, when that variable is only ever called.
  const sites = func.kind === 'literal' ? (func.holder && !func.holder.usedAsValue ? func.holder.calls : undefined) : ctx.program.callSitesOf(func);
  if (!sites || sites.length === 0) return undefined;
  const values: string[] = [];
  for (const site of sites) {
    const arg = site.args[index];
    if (!arg || site.args.some((a) => a.type === 'variadic_argument')) return undefined;
    const value = evaluate(site.file, arg, { ...ctx, callDepth: ctx.callDepth + 1 }, deref);
    if (!value) return undefined;
    values.push(...value);
  }
  return unique(values);
}

/** Calls whose first result is a path (or paths): the key is `<import path>.<name>`. */
const PATH_RESULTS = new Set(['path/filepath.Glob', 'os.CreateTemp', 'io/ioutil.TempFile', 'os.MkdirTemp', 'io/ioutil.TempDir']);

/** The index-th result of a call: a Glob's pattern, a temporary file under its folder, or what a function of the module returns. */
function resultValues(file: GoFile, call: Node, index: number, ctx: EvalContext): string[] | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const member = importedMember(ctx.program, file, fn);
  if (member) {
    const key = `${member.importPath}.${member.name}`;
    const first = argumentsOf(call)[0];
    if (index !== 0 || !PATH_RESULTS.has(key) || !first) return undefined;
    const pattern = evaluate(file, first, ctx);
    if (key === 'path/filepath.Glob') return pattern?.map(globValue);
    return pattern?.map((dir) => joinPaths([dir === '' ? '/tmp' : dir, '*']));
  }
  return returnedBy(file, call, index, ctx);
}

/** What the module's function (or unexported method) called at `call` returns as its index-th result. */
function returnedBy(file: GoFile, call: Node, index: number, ctx: EvalContext): string[] | undefined {
  const fn = call.childForFieldName('function');
  let funcs: readonly Func[] | undefined;
  const pkg = ctx.program.packageOf(file);
  if (fn?.type === 'identifier' && !ctx.program.isVariable(file, fn)) funcs = pkg.functions.get(fn.text);
  else if (fn?.type === 'selector_expression') {
    const operand = fn.childForFieldName('operand');
    const field = fn.childForFieldName('field')?.text ?? '';
    const target = operand?.type === 'identifier' && !ctx.program.isVariable(file, operand) ? ctx.program.modulePackage(file, operand.text) : undefined;
    if (target) funcs = target.functions.get(field);
    else if (/^[a-z_]/.test(field)) funcs = pkg.methods.get(field);
  }
  if (!funcs || funcs.length === 0) return undefined;
  const values: string[] = [];
  for (const func of funcs) {
    const v = returnValues(func, index, ctx);
    if (!v) return undefined;
    values.push(...v);
  }
  return unique(values);
}

/** Return statements, not those of function literals inside. */
const RETURNS = new Set(['return_statement', 'func_literal']);

function returnValues(func: Func, index: number, ctx: EvalContext): string[] | undefined {
  if (ctx.visiting.has(func) || index >= func.resultCount) return undefined;
  const inner: EvalContext = { ...ctx, visiting: new Set([...ctx.visiting, func]) };
  const body = func.node.childForFieldName('body');
  if (!body) return undefined;
  const returns: Node[] = [];
  walk(body, RETURNS, (n) => {
    if (n.type === 'func_literal') return false;
    returns.push(n);
    return true;
  });
  if (returns.length === 0) return undefined;
  const values: string[] = [];
  for (const r of returns) {
    const items = listItems(r.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null);
    const item = items.length === func.resultCount ? items[index] : undefined;
    const v = item ? evaluate(func.file, item, inner) : undefined;
    if (!v) return undefined;
    values.push(...v);
  }
  return unique(values);
}

/** Each element of a literal list (`range []string{a, b}`), or each path a Glob matches (`range files`). */
function elementsOf(file: GoFile, node: Node, ctx: EvalContext): string[] | undefined {
  if (node.type === 'composite_literal') return literalValues(file, node, ctx);
  if (node.type !== 'identifier') return undefined;
  const use = ctx.program.resolve(file, node);
  if (!use) return undefined;
  const values: string[] = [];
  for (const def of ctx.program.reaching(use)) {
    let v: string[] | undefined;
    if (def.kind === 'result' && def.index === 0) {
      const fn = def.call.childForFieldName('function');
      const member = fn ? importedMember(ctx.program, def.file, fn) : undefined;
      v = member?.importPath === 'path/filepath' && member.name === 'Glob' ? resultValues(def.file, def.call, 0, ctx) : undefined;
    } else if (def.kind === 'value' && def.expr.type === 'composite_literal' && !use.variable.escapes) {
      v = literalValues(def.file, def.expr, ctx);
    }
    if (!v) return undefined;
    values.push(...v);
  }
  return values.length > 0 ? unique(values) : undefined;
}

/** Every element value of a map, slice or array literal. */
function literalValues(file: GoFile, literal: Node, ctx: EvalContext): string[] | undefined {
  const body = literal.childForFieldName('body');
  if (!body) return undefined;
  const values: string[] = [];
  for (const item of body.namedChildren) {
    if (!item || item.type === 'comment') continue;
    const valueNode = item.type === 'keyed_element' ? item.namedChildren[1] : item;
    const expr = valueNode?.type === 'literal_element' ? valueNode.namedChildren[0] : valueNode;
    const v = expr ? evaluate(file, expr, ctx) : undefined;
    if (!v) return undefined;
    values.push(...v);
  }
  return unique(values);
}

/** `m[key]` of a map or slice literal the program never hands on: any of its values. */
function evaluateIndex(file: GoFile, node: Node, ctx: EvalContext): string[] | undefined {
  const operand = node.childForFieldName('operand');
  if (!operand) return undefined;
  if (operand.type === 'composite_literal') return literalValues(file, operand, ctx);
  if (operand.type !== 'identifier') return undefined;
  const use = ctx.program.resolve(file, operand);
  if (!use || use.variable.escapes) return undefined;
  const values: string[] = [];
  for (const def of ctx.program.reaching(use)) {
    const v = def.kind === 'value' && def.expr.type === 'composite_literal' ? literalValues(def.file, def.expr, ctx) : undefined;
    if (!v) return undefined;
    values.push(...v);
  }
  for (const def of use.variable.elementAssigns) {
    const v = evaluateDef(def, ctx, false);
    if (!v) return undefined;
    values.push(...v);
  }
  return values.length > 0 ? unique(values) : undefined;
}

/** `pkg.Name` of another package of the module, or `x.Field` of a struct literal the program never hands on. */
function evaluateSelector(file: GoFile, node: Node, ctx: EvalContext): string[] | undefined {
  const operand = node.childForFieldName('operand');
  const field = node.childForFieldName('field')?.text;
  if (operand?.type !== 'identifier' || !field) return undefined;
  if (!ctx.program.isVariable(file, operand)) {
    const target = ctx.program.modulePackage(file, operand.text);
    const variable = target?.scope.get(field);
    return variable ? evaluateDefs([...variable.defs], ctx) : undefined;
  }
  const use = ctx.program.resolve(file, operand);
  if (!use || use.variable.escapes) return undefined;
  const values: string[] = [];
  for (const def of ctx.program.reaching(use)) {
    if (def.kind !== 'value') return undefined;
    let literal = def.expr;
    if (literal.type === 'unary_expression' && literal.childForFieldName('operator')?.text === '&') literal = literal.childForFieldName('operand') ?? literal;
    if (literal.type !== 'composite_literal') return undefined;
    const v = fieldOf(def.file, literal, field, ctx);
    if (!v) return undefined;
    values.push(...v);
  }
  for (const assign of use.variable.fieldAssigns) {
    if (assign.field !== field) continue;
    const v = evaluateDef(assign.value, ctx, false);
    if (!v) return undefined;
    values.push(...v);
  }
  return values.length > 0 ? unique(values) : undefined;
}

/** A keyed struct literal's field; one it does not set is its zero value. */
function fieldOf(file: GoFile, literal: Node, field: string, ctx: EvalContext): string[] | undefined {
  const body = literal.childForFieldName('body');
  if (!body) return undefined;
  const items = body.namedChildren.filter((c) => c !== null && c.type !== 'comment') as Node[];
  if (items.some((i) => i.type !== 'keyed_element')) return items.length === 0 ? [''] : undefined;
  for (const item of items) {
    const [key, value] = item.namedChildren;
    if (key?.text !== field) continue;
    const expr = value?.type === 'literal_element' ? value.namedChildren[0] : value;
    return expr ? evaluate(file, expr, ctx) : undefined;
  }
  return [''];
}

function evaluateCall(file: GoFile, call: Node, ctx: EvalContext, deref: boolean): string[] | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const args = argumentsOf(call);
  if (args.some((a) => a.type === 'variadic_argument')) return undefined;
  const arg = (i: number): string[] | undefined => (args[i] ? evaluate(file, args[i] as Node, ctx) : undefined);
  const member = importedMember(ctx.program, file, fn);
  if (!member) {
    // f.Name() of a file from os.CreateTemp is that file's path.
    const operand = fn.type === 'selector_expression' ? fn.childForFieldName('operand') : null;
    if (operand?.type === 'identifier' && ctx.program.isVariable(file, operand) && fn.childForFieldName('field')?.text === 'Name' && args.length === 0 && !deref) {
      const made = evaluate(file, operand, ctx);
      return made?.every((p) => p.endsWith('/*')) ? made : undefined;
    }
    return deref ? undefined : returnedBy(file, call, 0, ctx);
  }
  const name = `${member.importPath}.${member.name}`;
  if (deref) return name === 'flag.String' && args.length === 3 ? arg(1) : undefined;
  switch (name) {
    case 'path/filepath.Join':
    case 'path.Join': {
      const parts = args.map((a) => evaluate(file, a, ctx));
      const known = combine(parts, joinPaths);
      if (known) return known;
      // Join(dataDir, id+".json"): the folder is known and the name is chosen at run time; `*`
      // stands for that name, so the folder is still read or made writable, and nothing is guessed.
      const firstUnknown = parts.findIndex((p) => p === undefined);
      if (firstUnknown <= 0) return undefined;
      return combine([...parts.slice(0, firstUnknown), ['*']], joinPaths);
    }
    case 'path/filepath.Dir':
    case 'path.Dir':
      return arg(0)?.map(parentFolder);
    case 'path/filepath.Clean':
    case 'path.Clean':
    case 'path/filepath.FromSlash':
    case 'path/filepath.ToSlash':
      return arg(0)?.map(cleanPath);
    case 'os.Getenv': {
      const env = arg(0);
      return env?.length === 1 && /^\w+$/.test(env[0] as string) ? [`\${${env[0]}}`] : undefined;
    }
    case 'os.ExpandEnv':
      return arg(0)?.map(expandEnvMarkers);
    case 'os.TempDir':
      return ['/tmp'];
    case 'fmt.Sprintf': {
      const results: string[] = [];
      for (const format of arg(0) ?? []) {
        const result = sprintf(format, args.slice(1), (a) => evaluate(file, a, ctx));
        if (!result) return undefined;
        results.push(...result);
      }
      return results.length > 0 ? unique(results) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The resolved leading folder of a path that is unknown as a whole (`filepath.Join("/etc", parts...)`
 * -> "/etc/"): a known start up to its last `/`. A URL or DSN start is no folder.
 */
export function knownPrefix(file: GoFile, node: Node, ctx: EvalContext): string | undefined {
  const start = leadingValue(file, node, ctx);
  if (start === undefined) return undefined;
  const slash = start.lastIndexOf('/');
  if (slash < 0 || /^[A-Za-z][\w+.-]*:/.test(start)) return undefined;
  return start.slice(0, slash + 1);
}

function leadingValue(file: GoFile, node: Node, ctx: EvalContext): string | undefined {
  const single = (n: Node): string | undefined => {
    const v = evaluate(file, n, ctx);
    return v?.length === 1 ? v[0] : undefined;
  };
  if (node.type === 'binary_expression') {
    let start = '';
    for (const t of terms(node)) {
      const v = single(t);
      if (v === undefined) return start === '' ? leadingValue(file, t, ctx) : start;
      start += v;
    }
    return start;
  }
  if (node.type !== 'call_expression') return undefined;
  const fn = node.childForFieldName('function');
  const member = fn ? importedMember(ctx.program, file, fn) : undefined;
  if (!member || !((member.importPath === 'path/filepath' || member.importPath === 'path') && member.name === 'Join')) return undefined;
  const known: string[] = [];
  for (const a of argumentsOf(node)) {
    const v = a.type === 'variadic_argument' ? undefined : single(a);
    if (v === undefined) break;
    known.push(v);
  }
  return known.length > 0 ? `${joinPaths(known)}/` : undefined;
}

/**
 * `a + b + …`: every term known is their concatenation; an unknown term after a known part that
 * names a folder (`"uploads/" + name`, `dir + "/log_" + day`) is a name chosen at run time in that
 * folder, `uploads/*`. Terms are evaluated only up to the first unknown one.
 */
function concatenate(parts: ReadonlyArray<() => string[] | undefined>): string[] | undefined {
  let prefixes: string[] | undefined = [''];
  for (const term of parts) {
    const values = term();
    if (!values) return runTimeName(prefixes);
    prefixes = combine([prefixes, values], (p) => p.join(''));
    if (!prefixes) return undefined;
  }
  return prefixes;
}

/**
 * fmt.Sprintf's result: `%s` and `%v` of known arguments are written in, `%%` is `%`; at the first
 * verb that is not (`%d`, a width, an unknown argument) the rest is a name chosen at run time in the
 * folder written so far, and there is no folder in `"out-%d.txt"`.
 */
function sprintf(format: string, args: readonly Node[], value: (arg: Node) => string[] | undefined): string[] | undefined {
  let prefixes: string[] | undefined = [''];
  let next = 0;
  const verb = /%(%|[^a-zA-Z%]*[a-zA-Z])/g;
  let literalFrom = 0;
  for (let m = verb.exec(format); m; m = verb.exec(format)) {
    const literal = format.slice(literalFrom, m.index);
    literalFrom = m.index + m[0].length;
    if (m[1] === '%') {
      prefixes = prefixes.map((p) => `${p}${literal}%`);
      continue;
    }
    prefixes = prefixes.map((p) => p + literal);
    const arg = args[next++];
    const values = (m[1] === 's' || m[1] === 'v') && arg ? value(arg) : undefined;
    if (!values) return runTimeName(prefixes);
    prefixes = combine([prefixes, values], (parts) => parts.join(''));
    if (!prefixes) return undefined;
  }
  return prefixes.map((p) => p + format.slice(literalFrom));
}

/**
 * A path whose known start is `prefixes` and whose rest is chosen at run time: `*` in the folder
 * the start names (up to its last `/`). No folder, or a URL or DSN (`file:`, `http://`), is unknown.
 */
function runTimeName(prefixes: readonly string[] | undefined): string[] | undefined {
  if (!prefixes) return undefined;
  const paths: string[] = [];
  for (const prefix of prefixes) {
    const slash = prefix.lastIndexOf('/');
    if (slash < 0 || /^[A-Za-z][\w+.-]*:/.test(prefix)) return undefined;
    paths.push(joinPaths([prefix.slice(0, slash + 1), '*']));
  }
  return unique(paths);
}

function combine(parts: ReadonlyArray<string[] | undefined>, join: (values: string[]) => string): string[] | undefined {
  let results: string[][] = [[]];
  for (const values of parts) {
    if (!values) return undefined;
    // One value (the usual case) extends every result in place: a long `a + b + ...` stays linear.
    if (values.length === 1) for (const r of results) r.push(values[0] as string);
    else results = results.flatMap((prefix) => values.map((v) => [...prefix, v]));
    if (results.length > MAX_VALUES) return undefined;
  }
  return unique(results.map(join));
}

export function unique(values: string[]): string[] | undefined {
  const set = [...new Set(values)];
  return set.length > MAX_VALUES ? undefined : set;
}

/**
 * Go's path.Clean, without making relative paths absolute: "./a/../b/" -> "b", "" -> ".". A `${NAME}`
 * segment may stand for several folders, so `..` never removes it.
 */
export function cleanPath(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const segment of p.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      const last = out[out.length - 1];
      if (last !== undefined && last !== '..' && !last.includes('${')) out.pop();
      else if (!absolute || last !== undefined) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** filepath.Join: empty parts are skipped, the result is cleaned, all empty is "". */
export function joinPaths(parts: string[]): string {
  const kept = parts.filter((p) => p !== '');
  return kept.length === 0 ? '' : cleanPath(kept.join('/'));
}

/** os.ExpandEnv: a literal `$NAME` or `${NAME}` in the value becomes the variable NAME. */
export function expandEnvMarkers(value: string): string {
  return value.replace(/\\(.)(\{?)([A-Za-z_]\w*)?(\}?)/g, (all: string, ch: string, open: string, name: string | undefined, close: string) =>
    ch === '$' && name !== undefined && open.length === close.length ? `\${${name}}` : all,
  );
}

/** Characters the value language reads otherwise than as themselves. */
const VALUE_SPECIAL = /[\\$*?[]/;

/** A Go string as a value: each character the value language reads specially behind a `\`. */
export function literalValue(text: string): string {
  return text.replace(/[\\$*?[]/g, (c) => `\\${c}`);
}

/**
 * A value handed to filepath.Glob or a template glob: its literal `*`, `?` and `[` now mean a
 * pattern, and its literal `\` escapes the character after it, as filepath.Match reads them; a `$`
 * stays literal.
 */
export function globValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const literal = value[++i] ?? '';
    if (literal === '*' || literal === '?' || literal === '[') out += literal;
    else if (literal === '\\') {
      // filepath.Match's escape: the next character is itself, whatever it is.
      const next = value[i + 1] === '\\' ? (value[(i += 2)] ?? '') : (value[++i] ?? '');
      out += VALUE_SPECIAL.test(next) ? `\\${next}` : next;
    } else out += `\\${literal}`;
  }
  return out;
}

/** Whether a value is a pattern: a `*`, `?` or `[` not behind a `\`. */
export function isPattern(value: string): boolean {
  return /(^|[^\\])(\\\\)*[*?[]/.test(value);
}

/** Where the value's first environment variable (a `${` not behind a `\`) starts; -1 when it names none. */
export function variableStart(value: string): number {
  const variable = /(^|[^\\])(\\\\)*\$\{/.exec(value);
  return variable ? variable.index + variable[0].length - 2 : -1;
}

/** Whether a value names an environment variable: a `${` not behind a `\`. */
export function hasVariable(value: string): boolean {
  return variableStart(value) >= 0;
}

/** The text a value with no pattern or variable in it stands for: its escapes taken away. */
export function plainValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/**
 * The value with its variables replaced by what `lookup` gives (each as a literal), and the
 * names it gives nothing for, whose `${NAME}` stays.
 */
export function expandValue(value: string, lookup: (name: string) => string | undefined): { readonly value: string; readonly unset: readonly string[] } {
  const unset: string[] = [];
  const expanded = value.replace(/\\.|\$\{(\w+)\}/g, (all: string, name: string | undefined) => {
    if (name === undefined) return all;
    const set = lookup(name);
    if (set === undefined) unset.push(name);
    return set === undefined ? all : literalValue(set);
  });
  return { value: expanded, unset };
}

export function parentFolder(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
}

export { isStringLiteral };
