// The packages of a Go program as the value analysis needs them: every name resolved through Go's
// block scopes, every definition of a local variable that can reach each use (if/else, switch,
// loops, reassignment), every assignment of a package-level variable, and who calls each function.
import type { Node } from './parser';
import { walk, walkInside, type GoFile } from './source';

/** A place a variable gets its value. */
export type Def =
  | { readonly kind: 'value'; readonly expr: Node; readonly file: GoFile }
  /** `var x string`: "" until assigned. */
  | { readonly kind: 'zero' }
  | { readonly kind: 'param'; readonly func: Func; readonly index: number; readonly variadic: boolean }
  /** Anything not followed: a receiver, `x += y`, `&x` handed on, a channel receive. */
  | { readonly kind: 'opaque' }
  /** The value variable of `for _, v := range expr`: each element of expr. */
  | { readonly kind: 'elements'; readonly expr: Node; readonly file: GoFile }
  /** The index-th result of a call with several results (`f, err := os.CreateTemp(...)`). */
  | { readonly kind: 'result'; readonly call: Node; readonly index: number; readonly file: GoFile }
  /** flag.StringVar(&x, name, default, usage): the default. */
  | { readonly kind: 'flagVar'; readonly expr: Node; readonly file: GoFile }
  /** `v, ok := os.LookupEnv("NAME")`: v is `${NAME}`, ok says it is set. */
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'envSet'; readonly name: string };

export class Variable {
  /** Every definition, wherever it is. */
  readonly defs = new Set<Def>();
  /** Definitions that may happen at any time (in a closure, through a pointer): they reach every use. */
  readonly weak: Def[] = [];
  /** `x.Field = value` anywhere. */
  readonly fieldAssigns: Array<{ readonly field: string; readonly value: Def }> = [];
  /** `x[key] = value` anywhere. */
  readonly elementAssigns: Def[] = [];
  /** Used other than as the operand of a field read: handed on whole, or a method called on it. */
  escapes = false;
  /** `v(args)`: calls of a function value held in the variable. */
  readonly calls: CallSite[] = [];
  /** Used other than as the callee of a call: a function it holds may be called from anywhere. */
  usedAsValue = false;
  constructor(
    readonly name: string,
    /** The function declaring it; undefined at package level. */
    readonly owner: Func | undefined,
  ) {}
}

export interface Func {
  readonly node: Node;
  readonly kind: 'func' | 'method' | 'literal';
  /** Undefined for a literal. */
  readonly name: string | undefined;
  readonly file: GoFile;
  readonly pkg: GoPackage;
  readonly params: ReadonlyArray<{ readonly name: string; readonly index: number; readonly variadic: boolean }>;
  readonly resultCount: number;
  /** A literal assigned to a variable (`load := func(…) {…}`): called through it. */
  holder?: Variable;
}

/** How a use of a name resolves: the definitions that reach it, or all of the variable's. */
export interface Use {
  readonly variable: Variable;
  readonly defs: Set<Def> | 'all';
}

export interface CallSite {
  readonly file: GoFile;
  readonly pkg: GoPackage;
  readonly args: readonly Node[];
}

export interface GoPackage {
  /** "" for the context root. */
  readonly folder: string;
  /** The package clause's name, when every file agrees. */
  readonly name: string | undefined;
  readonly files: readonly GoFile[];
  readonly isMain: boolean;
  /** Package-level variables and constants. */
  readonly scope: Map<string, Variable>;
  /** Top-level functions by name (more than one only in a broken build). */
  readonly functions: Map<string, Func[]>;
  /** Methods by name, whatever their receiver. */
  readonly methods: Map<string, Func[]>;
  /** Calls of package functions and (unexported) methods by name; undefined: the name is also used as a value. */
  readonly callSites: Map<string, CallSite[] | undefined>;
  /** Functions named by //export or //go:linkname: called from outside Go's sight. */
  externallyCalled?: Set<string>;
}

export interface Importers {
  /** Some importer's calls cannot be followed: a dot import, or an import path more than one folder could be. */
  unfollowed: boolean;
  /** `alias.Func(...)` calls by function name; undefined when `alias.Func` is also used as a value. */
  readonly uses: Map<string, CallSite[] | undefined>;
}

export class Program {
  readonly packages = new Map<string, GoPackage>();
  /** Per file, per identifier node id: how the name resolves. */
  private readonly uses = new Map<GoFile, Map<number, Use>>();
  private readonly funcsByNode = new Map<GoFile, Map<number, Func>>();
  private importers?: Map<GoPackage, Importers>;
  /** Definitions in the order the walk met them (source order): values come out in that order. */
  private readonly defOrder = new Map<Def, number>();
  /**
   * Parameter values already followed (values.ts), per function and parameter: derived from this
   * program, so they live exactly as long as it does.
   */
  readonly parameterAnswers = new Map<Func, Map<string, string[] | undefined>>();

  constructor(
    readonly files: readonly GoFile[],
    /** go.mod's module path. */
    readonly module: string | undefined,
    /** Every source was read, so a function no file calls is never called. */
    readonly complete: boolean,
  ) {
    const byFolder = new Map<string, GoFile[]>();
    for (const file of files) {
      const list = byFolder.get(file.folder);
      if (list) list.push(file);
      else byFolder.set(file.folder, [file]);
    }
    for (const [folder, list] of byFolder) {
      const names = new Set(list.map((f) => f.packageName));
      const name = names.size === 1 ? list[0]!.packageName : undefined;
      const pkg: GoPackage = { folder, name, files: list, isMain: name === 'main', scope: new Map(), functions: new Map(), methods: new Map(), callSites: new Map() };
      this.packages.set(folder, pkg);
      new PackageWalker(this, pkg).run();
    }
  }

  packageOf(file: GoFile): GoPackage {
    return this.packages.get(file.folder) as GoPackage;
  }

  /** @internal for the walker */
  usesOf(file: GoFile): Map<number, Use> {
    let map = this.uses.get(file);
    if (!map) this.uses.set(file, (map = new Map()));
    return map;
  }

  /** @internal for the walker */
  registerFunc(func: Func): void {
    let map = this.funcsByNode.get(func.file);
    if (!map) this.funcsByNode.set(func.file, (map = new Map()));
    map.set(func.node.id, func);
  }

  funcOfNode(file: GoFile, node: Node): Func | undefined {
    return this.funcsByNode.get(file)?.get(node.id);
  }

  /** How the identifier `node` resolves: a local's reaching definitions, or a package-level name's. */
  resolve(file: GoFile, node: Node): Use | undefined {
    const use = this.uses.get(file)?.get(node.id);
    if (use) return use;
    const variable = this.packageOf(file).scope.get(node.text);
    return variable && { variable, defs: 'all' };
  }

  /** Notes a definition the walk made, in walk order. */
  noted<T extends Def>(def: T): T {
    if (!this.defOrder.has(def)) this.defOrder.set(def, this.defOrder.size);
    return def;
  }

  /** The definitions that reach a use. */
  reaching(use: Use): Def[] {
    const defs = use.defs === 'all' ? [...use.variable.defs] : [...use.defs, ...use.variable.weak];
    const unique = [...new Set(defs)].sort((a, b) => (this.defOrder.get(a) ?? Infinity) - (this.defOrder.get(b) ?? Infinity));
    // `var x string` followed by an assignment (or flag.StringVar) is that assignment.
    return unique.some((d) => d.kind !== 'zero') ? unique.filter((d) => d.kind !== 'zero') : unique;
  }

  /** Whether the identifier is a local or package variable (not a package, function or type). */
  isVariable(file: GoFile, node: Node): boolean {
    return this.uses.get(file)?.has(node.id) === true || this.packageOf(file).scope.has(node.text);
  }

  /** The outermost function declaration around `node`. */
  topFunc(file: GoFile, node: Node): Func | undefined {
    let top: Func | undefined;
    for (let n: Node | null = node; n; n = n.parent) {
      if (n.type === 'function_declaration' || n.type === 'method_declaration') top = this.funcOfNode(file, n);
    }
    return top;
  }

  /** The innermost function (declaration or literal) around `node`. */
  innerFunc(file: GoFile, node: Node): Func | undefined {
    for (let n: Node | null = node.parent; n; n = n.parent) {
      if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') return this.funcOfNode(file, n);
    }
    return undefined;
  }

  /**
   * Every call of a package function: unqualified in its package, and `alias.Func(...)` in the
   * importers of an exported one. Undefined when the name is also used as a value, or when a call
   * may come from where the analysis cannot see.
   */
  callSitesOf(func: Func): CallSite[] | undefined {
    const pkg = func.pkg;
    const name = func.name;
    if (!name) return undefined;
    const local = pkg.callSites.has(name) ? pkg.callSites.get(name) : [];
    // An exported method may be called through an interface from anywhere, the standard library included.
    if (func.kind === 'method') return isExported(name) ? undefined : local;
    if (!local || !isExported(name) || pkg.isMain) return local;
    const importers = this.importersOf(pkg);
    if (!importers || importers.unfollowed) return undefined;
    const remote = importers.uses.has(name) ? importers.uses.get(name) : [];
    return remote && [...local, ...remote];
  }

  /**
   * Whether the top-level function around `node` never runs: no file calls it or uses it as a
   * value (nor names it in //export or //go:linkname), and it is not main, init or a method. An
   * exported function of a package that no file imports may be called from a module that was not
   * read, so it counts as called.
   */
  neverRuns(file: GoFile, node: Node): boolean {
    if (!this.complete) return false;
    const fn = this.topFunc(file, node);
    if (!fn || fn.kind !== 'func' || !fn.name || fn.name === 'main' || fn.name === 'init') return false;
    const pkg = fn.pkg;
    pkg.externallyCalled ??= externallyCalled(pkg);
    if (pkg.callSites.has(fn.name) || pkg.externallyCalled.has(fn.name)) return false;
    if (!isExported(fn.name) || pkg.isMain) return true;
    const importers = this.importersOf(pkg);
    return importers !== undefined && !importers.unfollowed && !importers.uses.has(fn.name);
  }

  /** The package of the module an import name of `file` stands for, if it is one. */
  modulePackage(file: GoFile, alias: string): GoPackage | undefined {
    const importPath = file.importNames.get(alias);
    if (importPath === undefined || !this.module) return undefined;
    const rest = importPath === this.module ? '' : importPath.startsWith(`${this.module}/`) ? importPath.slice(this.module.length + 1) : undefined;
    if (rest === undefined) return undefined;
    const targets = this.packagesAt(rest);
    return targets.length === 1 ? targets[0] : undefined;
  }

  private importersOf(pkg: GoPackage): Importers | undefined {
    this.importers ??= this.indexImporters();
    return this.importers.get(pkg);
  }

  /**
   * One pass over the files that import packages of the module, for their qualified uses. An import
   * path `<module>/<rest>` is the folder `<rest>` (go.mod at the context root) or, when there is
   * none, the one folder ending in `/<rest>` (go.mod further down).
   */
  private indexImporters(): Map<GoPackage, Importers> {
    const index = new Map<GoPackage, Importers>();
    const module = this.module;
    if (!module) return index;
    const entryOf = (target: GoPackage): Importers => {
      let entry = index.get(target);
      if (!entry) index.set(target, (entry = { unfollowed: false, uses: new Map() }));
      return entry;
    };
    for (const file of this.files) {
      const aliases = new Map<string, GoPackage>();
      for (const site of file.imports) {
        const rest = site.path === module ? '' : site.path.startsWith(`${module}/`) ? site.path.slice(module.length + 1) : undefined;
        if (rest === undefined) continue;
        const targets = this.packagesAt(rest);
        for (const target of targets) if (targets.length > 1 || site.alias === '.') entryOf(target).unfollowed = true;
        const target = targets[0];
        if (targets.length === 1 && target && site.alias !== '_' && site.alias !== '.') aliases.set(site.alias ?? target.name ?? rest, target);
      }
      if (aliases.size === 0) continue;
      const from = this.packageOf(file);
      walk(file.root, SELECTORS, (node) => {
        const operand = node.childForFieldName('operand');
        const field = node.childForFieldName('field');
        const target = operand?.type === 'identifier' && !this.isVariable(file, operand) ? aliases.get(operand.text) : undefined;
        if (!target || !field || !target.functions.has(field.text)) return true;
        const uses = entryOf(target).uses;
        const name = field.text;
        if (uses.has(name) && uses.get(name) === undefined) return true;
        const parent = node.parent;
        const called = parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id;
        if (!called) uses.set(name, undefined);
        else {
          const site = { file, pkg: from, args: argumentsOf(parent) };
          const sites = uses.get(name);
          if (sites) sites.push(site);
          else uses.set(name, [site]);
        }
        return true;
      });
    }
    return index;
  }

  /** The importable packages an import path's `<rest>` can be; a main package cannot be imported. */
  private packagesAt(rest: string): GoPackage[] {
    const exact = this.packages.get(rest);
    if (exact) return exact.isMain ? [] : [exact];
    if (rest === '') return [];
    return [...this.packages.values()].filter((p) => !p.isMain && p.folder.endsWith(`/${rest}`));
  }
}

const SELECTORS = new Set(['selector_expression']);
/** What expr() handles itself; every other node is only passed through. */
const EXPRESSIONS = new Set([
  'identifier', 'func_literal', 'unary_expression', 'call_expression', 'binary_expression', 'type_conversion_expression',
  'selector_expression', 'keyed_element',
]);
const SPECS = new Set(['var_spec', 'const_spec']);

export function isExported(name: string): boolean {
  return /^[A-Z]/.test(name);
}

function externallyCalled(pkg: GoPackage): Set<string> {
  const names = new Set<string>();
  for (const file of pkg.files) {
    for (const d of file.directives) {
      const m = /^\/\/(?:export|go:linkname)[ \t]+(\w+)/.exec(d.text);
      if (m) names.add(m[1] as string);
    }
  }
  return names;
}

/** A call's arguments (a spread `x...` stays a variadic_argument node). */
export function argumentsOf(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  return list ? (list.namedChildren.filter((n) => n !== null && n.type !== 'comment') as Node[]) : [];
}

/** The expressions of an expression_list (or the one expression). */
export function listItems(node: Node | null): Node[] {
  if (!node) return [];
  if (node.type !== 'expression_list') return [node];
  return node.namedChildren.filter((n) => n !== null && n.type !== 'comment') as Node[];
}

// ---------------------------------------------------------------------------------------------
// Reaching definitions: a walk over each function's statements in order, forking at branches and
// merging where they join. A loop body is walked twice, so what its end assigns reaches its start.

type State = Map<Variable, Set<Def>> | undefined;

class Scope {
  readonly vars = new Map<string, Variable>();
  constructor(readonly parent: Scope | undefined) {}
  lookup(name: string): Variable | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    return undefined;
  }
}

interface Jumps {
  readonly breaks: State[];
  readonly continues: State[] | undefined;
}

function merge(a: State, b: State): State {
  if (!a) return b && new Map(b);
  if (!b) return new Map(a);
  const out = new Map(a);
  for (const [v, defs] of b) {
    const mine = out.get(v);
    out.set(v, mine ? new Set([...mine, ...defs]) : defs);
  }
  return out;
}

const PATH_RESULT_CALLS = new Set(['Glob', 'CreateTemp', 'TempFile', 'MkdirTemp', 'TempDir']);

class PackageWalker {
  private readonly pkgScope: Scope;
  /** Definitions made once per node, so walking a loop twice does not double them. */
  private readonly made = new Map<string, Def>();
  private readonly sitesSeen = new Set<string>();
  private readonly declared = new Map<string, Variable>();
  private func: Func | undefined;
  private file!: GoFile;
  private uses!: Map<number, Use>;
  private jumps: Jumps[] = [];
  /** The function has goto: its uses see every definition. */
  private unstructured = false;

  constructor(
    private readonly program: Program,
    private readonly pkg: GoPackage,
  ) {
    this.pkgScope = new Scope(undefined);
    // The package scope is the map the package shares.
    (this.pkgScope as { vars: Map<string, Variable> }).vars = pkg.scope;
  }

  run(): void {
    // Names first (a function may use a variable declared in a later file), then bodies.
    for (const file of this.pkg.files) {
      for (const decl of file.root.namedChildren) {
        if (!decl) continue;
        if (decl.type === 'var_declaration' || decl.type === 'const_declaration') {
          this.file = file;
          this.uses = this.program.usesOf(file);
          this.declaration(decl, this.pkgScope, undefined, true);
        } else if (decl.type === 'function_declaration' || decl.type === 'method_declaration') {
          const func = this.makeFunc(decl, file, decl.type === 'function_declaration' ? 'func' : 'method');
          const table = func.kind === 'func' ? this.pkg.functions : this.pkg.methods;
          if (func.name && func.name !== '_') {
            const same = table.get(func.name);
            if (same) same.push(func);
            else table.set(func.name, [func]);
          }
        }
      }
    }
    for (const file of this.pkg.files) {
      this.file = file;
      this.uses = this.program.usesOf(file);
      for (const decl of file.root.namedChildren) {
        if (!decl) continue;
        if (decl.type === 'var_declaration' || decl.type === 'const_declaration') {
          // Initializers: uses in them see every definition (package initialisation order is not followed).
          walk(decl, SPECS, (spec) => {
            const value = spec.childForFieldName('value');
            if (value) this.expr(value, this.pkgScope, undefined);
            return false;
          });
        } else if (decl.type === 'function_declaration' || decl.type === 'method_declaration') {
          const func = this.program.funcOfNode(file, decl) as Func;
          this.unstructured = decl.descendantsOfType('goto_statement').length > 0;
          this.body(func, this.pkgScope, decl.type === 'method_declaration' ? decl.childForFieldName('receiver') : null);
        }
      }
    }
  }

  private makeFunc(node: Node, file: GoFile, kind: Func['kind']): Func {
    const params: Array<{ name: string; index: number; variadic: boolean }> = [];
    let index = 0;
    for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
      if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
      const names = p.childrenForFieldName('name').filter((n) => n !== null) as Node[];
      if (names.length === 0) index++;
      for (const n of names) params.push({ name: n.text, index: index++, variadic: p.type === 'variadic_parameter_declaration' });
    }
    const result = node.childForFieldName('result');
    let resultCount = result ? 1 : 0;
    if (result?.type === 'parameter_list') {
      resultCount = 0;
      for (const r of result.namedChildren) {
        if (r?.type === 'parameter_declaration') resultCount += Math.max(1, r.childrenForFieldName('name').filter((n) => n !== null).length);
      }
    }
    const func: Func = { node, kind, name: kind === 'literal' ? undefined : node.childForFieldName('name')?.text, file, pkg: this.pkg, params, resultCount };
    this.program.registerFunc(func);
    return func;
  }

  /** A function's parameters, receiver and named results, then its body, in a fresh flow. */
  private body(func: Func, outer: Scope, receiver: Node | null): void {
    const saved = { func: this.func, jumps: this.jumps };
    this.func = func;
    this.jumps = [];
    const scope = new Scope(outer);
    let state: State = new Map();
    const declare = (name: string, def: Def): void => {
      if (name === '_' || name === '') return;
      this.program.noted(def);
      const v = new Variable(name, func);
      scope.vars.set(name, v);
      v.defs.add(def);
      state!.set(v, new Set([def]));
    };
    for (const r of receiver?.namedChildren ?? []) for (const n of r?.childrenForFieldName('name') ?? []) if (n) declare(n.text, { kind: 'opaque' });
    for (const p of func.params) declare(p.name, { kind: 'param', func, index: p.index, variadic: p.variadic });
    const result = func.node.childForFieldName('result');
    if (result?.type === 'parameter_list') {
      for (const r of result.namedChildren) for (const n of r?.childrenForFieldName('name') ?? []) if (n) declare(n.text, { kind: 'zero' });
    }
    const block = func.node.childForFieldName('body');
    if (block) state = this.block(block, scope, state);
    this.func = saved.func;
    this.jumps = saved.jumps;
  }

  private def(node: Node, slot: number, make: () => Def): Def {
    const key = `${this.file.order}:${node.id}:${slot}`;
    let def = this.made.get(key);
    if (!def) this.made.set(key, (def = this.program.noted(make())));
    return def;
  }

  private block(node: Node, scope: Scope, state: State): State {
    return this.statements(node.namedChildren, new Scope(scope), state);
  }

  private statements(nodes: ReadonlyArray<Node | null>, scope: Scope, state: State): State {
    for (const s of nodes) if (s) state = this.stmt(s, scope, state);
    return state;
  }

  private stmt(node: Node, scope: Scope, state: State): State {
    switch (node.type) {
      case 'statement_list':
        return this.statements(node.namedChildren, scope, state);
      case 'block':
        return this.block(node, scope, state);
      case 'comment':
      case 'empty_statement':
      case 'type_declaration':
        return state;
      case 'short_var_declaration':
        return this.assign(node, listItems(node.childForFieldName('left')), listItems(node.childForFieldName('right')), ':=', scope, state);
      case 'assignment_statement': {
        const operator = node.childForFieldName('operator')?.text ?? '=';
        return this.assign(node, listItems(node.childForFieldName('left')), listItems(node.childForFieldName('right')), operator, scope, state);
      }
      case 'var_declaration':
      case 'const_declaration':
        return this.declaration(node, scope, state, false);
      case 'inc_statement':
      case 'dec_statement': {
        const target = node.namedChildren[0];
        if (target) this.assign(node, [target], [], '+=', scope, state);
        return state;
      }
      case 'if_statement': {
        const inner = new Scope(scope);
        const init = node.childForFieldName('initializer');
        if (init) state = this.stmt(init, inner, state);
        const condition = node.childForFieldName('condition');
        if (condition) this.expr(condition, inner, state);
        const consequence = node.childForFieldName('consequence');
        // Each branch gets its own copy: a definition in one must not leak into the other.
        const then = consequence ? this.block(consequence, inner, state && new Map(state)) : state;
        const alternative = node.childForFieldName('alternative');
        const otherwise = alternative ? this.stmt(alternative, inner, state && new Map(state)) : state;
        return merge(then, otherwise);
      }
      case 'for_statement':
        return this.loop(node, scope, state);
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement':
        return this.switchStatement(node, scope, state);
      case 'labeled_statement': {
        const inner = node.namedChildren.find((c) => c !== null && c.type !== 'label_name');
        return inner ? this.stmt(inner, scope, state) : state;
      }
      case 'return_statement':
        for (const c of node.namedChildren) if (c) this.expr(c, scope, state);
        return undefined;
      case 'break_statement':
        this.jumps[this.jumps.length - 1]?.breaks.push(state);
        return undefined;
      case 'continue_statement': {
        for (let i = this.jumps.length - 1; i >= 0; i--) {
          const continues = this.jumps[i]!.continues;
          if (continues) {
            continues.push(state);
            break;
          }
        }
        return undefined;
      }
      case 'goto_statement':
        return undefined;
      default:
        // expression_statement, send_statement, go/defer statements, fallthrough and the rest.
        for (const c of node.namedChildren) if (c) this.expr(c, scope, state);
        return state;
    }
  }

  private loop(node: Node, scope: Scope, state: State): State {
    const inner = new Scope(scope);
    const clause = node.namedChildren.find((c) => c?.type === 'for_clause' || c?.type === 'range_clause') ?? null;
    const body = node.childForFieldName('body');
    let rangeVars: Array<{ v: Variable; def: Def }> = [];
    if (clause?.type === 'for_clause') {
      const init = clause.childForFieldName('initializer');
      if (init) state = this.stmt(init, inner, state);
    } else if (clause?.type === 'range_clause') {
      const right = clause.childForFieldName('right');
      if (right) this.expr(right, inner, state);
      const left = listItems(clause.childForFieldName('left'));
      const declares = clause.children.some((c) => c?.type === ':=');
      rangeVars = left.flatMap((item, k) => {
        if (item.type !== 'identifier' || item.text === '_') {
          if (item.type !== 'identifier') this.expr(item, inner, state);
          return [];
        }
        const def = this.def(item, 0, (): Def => (k === 1 && right ? { kind: 'elements', expr: right, file: this.file } : { kind: 'opaque' }));
        const v = declares ? this.declareVar(item, inner) : this.lookupForAssign(item, inner);
        if (!v) return [];
        v.defs.add(def);
        return [{ v, def }];
      });
    } else {
      const condition = node.namedChildren.find((c) => c !== null && c.id !== body?.id);
      if (condition) this.expr(condition, inner, state);
    }
    const entry = state;
    let head = entry;
    let exit: State = undefined;
    for (let pass = 0; pass < 2; pass++) {
      let s: State = head && new Map(head);
      if (s) for (const { v, def } of rangeVars) this.setDef(v, def, s);
      if (clause?.type === 'for_clause') {
        const condition = clause.childForFieldName('condition');
        if (condition) this.expr(condition, inner, s);
      }
      const jumps: Jumps = { breaks: [], continues: [] };
      this.jumps.push(jumps);
      s = body ? this.block(body, inner, s) : s;
      this.jumps.pop();
      for (const c of jumps.continues ?? []) s = merge(s, c);
      if (clause?.type === 'for_clause') {
        const update = clause.childForFieldName('update');
        if (update) s = this.stmt(update, inner, s);
      }
      head = merge(entry, s);
      exit = head;
      for (const b of jumps.breaks) exit = merge(exit, b);
    }
    // `for { }` without a condition leaves only by break (or return).
    const infinite = clause === null && node.namedChildren.every((c) => c === null || c.id === body?.id);
    if (infinite) {
      exit = undefined;
      const jumps: Jumps = { breaks: [], continues: [] };
      this.jumps.push(jumps);
      if (body) this.block(body, inner, head && new Map(head));
      this.jumps.pop();
      for (const b of jumps.breaks) exit = merge(exit, b);
    }
    return exit;
  }

  private switchStatement(node: Node, scope: Scope, state: State): State {
    const inner = new Scope(scope);
    const init = node.childForFieldName('initializer');
    if (init) state = this.stmt(init, inner, state);
    const value = node.childForFieldName('value');
    if (value) this.expr(value, inner, state);
    const alias = node.type === 'type_switch_statement' ? listItems(node.childForFieldName('alias'))[0] : undefined;
    const jumps: Jumps = { breaks: [], continues: undefined };
    this.jumps.push(jumps);
    let out: State = undefined;
    let hasDefault = false;
    let fallthrough: State = undefined;
    for (const clause of node.namedChildren) {
      if (!clause || !/_case$/.test(clause.type)) continue;
      if (clause.type === 'default_case') hasDefault = true;
      const caseScope = new Scope(inner);
      let s = merge(state, fallthrough);
      if (alias && value && s) {
        // switch v := x.(type): v is x in every clause.
        const v = this.declareVar(alias, caseScope, clause);
        const def = this.def(alias, 0, (): Def => ({ kind: 'value', expr: value.type === 'type_assertion_expression' ? (value.childForFieldName('operand') ?? value) : value, file: this.file }));
        v.defs.add(def);
        s.set(v, new Set([def]));
      }
      for (const c of clause.namedChildren) {
        if (!c) continue;
        const field = clause.childForFieldName('value')?.id === c.id || clause.childForFieldName('type')?.id === c.id;
        if (clause.type === 'communication_case' && clause.childForFieldName('communication')?.id === c.id) s = this.stmt(c, caseScope, s);
        else if (field) this.expr(c, caseScope, s);
        else s = this.stmt(c, caseScope, s);
      }
      const falls = clause.descendantsOfType('fallthrough_statement').length > 0;
      fallthrough = falls ? s : undefined;
      if (!falls) out = merge(out, s);
    }
    this.jumps.pop();
    if (!hasDefault) out = merge(out, state);
    for (const b of jumps.breaks) out = merge(out, b);
    return out;
  }

  /**
   * The variable a declaration introduces: the same object each time a loop body is walked again,
   * so what the first walk recorded on it (calls, field assignments) is not lost.
   */
  private declareVar(name: Node, scope: Scope, clause?: Node): Variable {
    const key = `${this.file.order}:${name.id}:${clause?.id ?? ''}`;
    let v = this.declared.get(key);
    if (!v) this.declared.set(key, (v = new Variable(name.text, this.func)));
    scope.vars.set(name.text, v);
    return v;
  }

  private lookupForAssign(node: Node, scope: Scope): Variable | undefined {
    return scope.lookup(node.text);
  }

  /** A definition of `v` at this point: it replaces what reached here, or joins every use when it may happen any time. */
  private setDef(v: Variable, def: Def, state: State): void {
    v.defs.add(def);
    const local = v.owner !== undefined && v.owner === this.func && !this.unstructured;
    if (!local) {
      if (!v.weak.includes(def)) v.weak.push(def);
      return;
    }
    state?.set(v, new Set([def]));
  }

  private assign(node: Node, left: Node[], right: Node[], operator: string, scope: Scope, state: State): State {
    for (const r of right) this.expr(r, scope, state);
    const declares = operator === ':=';
    const single = right.length === 1 && left.length > 1 ? right[0] : undefined;
    const newNames = new Set<string>();
    left.forEach((target, k) => {
      if (target.type !== 'identifier') {
        this.target(target, right.length === left.length ? right[k] : undefined, scope, state);
        return;
      }
      if (target.text === '_') return;
      const def = this.def(target, 0, (): Def => {
        if (operator !== '=' && operator !== ':=') return { kind: 'opaque' };
        if (right.length === left.length) return { kind: 'value', expr: right[k] as Node, file: this.file };
        if (single?.type === 'call_expression') return this.callResult(single, k);
        return { kind: 'opaque' };
      });
      let v: Variable | undefined;
      if (declares && !scope.vars.has(target.text)) {
        v = this.declareVar(target, scope);
        newNames.add(target.text);
      } else v = scope.lookup(target.text);
      if (!v) return;
      this.setDef(v, def, state);
      if (right.length === left.length) this.holds(v, right[k] as Node);
    });
    return state;
  }

  /** A function literal stored in a variable is called through it. */
  private holds(v: Variable, value: Node): void {
    if (value.type !== 'func_literal') return;
    const func = this.program.funcOfNode(this.file, value);
    if (func) func.holder = v;
  }

  /** The k-th result of `call` when it has several: os.LookupEnv's are the variable and whether it is set. */
  private callResult(call: Node, k: number): Def {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'selector_expression') {
      const operand = fn.childForFieldName('operand');
      const field = fn.childForFieldName('field')?.text ?? '';
      const importPath = operand?.type === 'identifier' ? this.file.importNames.get(operand.text) : undefined;
      if (importPath === 'os' && field === 'LookupEnv') {
        const arg = argumentsOf(call)[0];
        const name = arg && (arg.type === 'interpreted_string_literal' || arg.type === 'raw_string_literal') ? arg.text.slice(1, -1) : undefined;
        if (name && /^\w+$/.test(name)) return k === 0 ? { kind: 'env', name } : { kind: 'envSet', name };
        return { kind: 'opaque' };
      }
      if (k === 0 && PATH_RESULT_CALLS.has(field) && importPath !== undefined) return { kind: 'result', call, index: 0, file: this.file };
    }
    return { kind: 'result', call, index: k, file: this.file };
  }

  /** `x.f = v`, `m[k] = v`, `*p = v`: recorded on the variable they change. */
  private target(target: Node, value: Node | undefined, scope: Scope, state: State): void {
    const def = (): Def => (value ? { kind: 'value', expr: value, file: this.file } : { kind: 'opaque' });
    if (target.type === 'selector_expression') {
      const operand = target.childForFieldName('operand');
      const field = target.childForFieldName('field');
      const v = operand?.type === 'identifier' ? scope.lookup(operand.text) : undefined;
      if (v && field) v.fieldAssigns.push({ field: field.text, value: this.def(target, 1, def) });
      if (operand) this.expr(operand, scope, state);
      return;
    }
    if (target.type === 'index_expression') {
      const operand = target.childForFieldName('operand');
      const v = operand?.type === 'identifier' ? scope.lookup(operand.text) : undefined;
      if (v) v.elementAssigns.push(this.def(target, 1, def));
      const index = target.childForFieldName('index');
      if (index) this.expr(index, scope, state);
      return;
    }
    if (target.type === 'unary_expression' || target.type === 'parenthesized_expression') {
      const operand = target.childForFieldName('operand') ?? target.namedChildren[0];
      const v = operand?.type === 'identifier' ? scope.lookup(operand.text) : undefined;
      if (v) {
        const opaque = this.def(target, 1, (): Def => ({ kind: 'opaque' }));
        v.defs.add(opaque);
        if (!v.weak.includes(opaque)) v.weak.push(opaque);
      }
      return;
    }
    this.expr(target, scope, state);
  }

  /** var and const declarations; a const spec without values repeats the previous spec's. */
  private declaration(node: Node, scope: Scope, state: State, packageLevel: boolean): State {
    let previous: Node[] = [];
    const isConst = node.type === 'const_declaration';
    walk(node, SPECS, (spec) => {
      const names = spec.childrenForFieldName('name').filter((n) => n !== null) as Node[];
      const valueList = spec.childForFieldName('value');
      let values = listItems(valueList);
      if (isConst && !valueList) values = previous;
      else if (isConst) previous = values;
      if (!packageLevel) for (const v of values) if (valueList) this.expr(v, scope, state);
      const single = values.length === 1 && names.length > 1 ? values[0] : undefined;
      names.forEach((name, k) => {
        if (name.text === '_') return;
        const def = this.def(name, 0, (): Def => {
          if (values.length === names.length) return { kind: 'value', expr: values[k] as Node, file: this.file };
          if (values.length === 0) return { kind: 'zero' };
          if (single?.type === 'call_expression') return this.callResult(single, k);
          return { kind: 'opaque' };
        });
        const v = packageLevel ? (scope.vars.get(name.text) ?? this.declareVar(name, scope)) : this.declareVar(name, scope);
        if (packageLevel) v.defs.add(def);
        else this.setDef(v, def, state);
        if (values.length === names.length) this.holds(v, values[k] as Node);
      });
      return false;
    });
    return state;
  }

  /** An expression: every name in it is a use; `&x` and closures change what later uses see. */
  private expr(node: Node, scope: Scope, state: State): void {
    switch (node.type) {
      case 'identifier':
        // A package function named other than as the callee of a call is a value: it may be called with anything.
        if (!scope.lookup(node.text) && this.pkg.functions.has(node.text)) this.site(node.text, undefined);
        else this.use(node, scope, state);
        return;
      case 'func_literal': {
        // A loop body is walked twice: the literal stays one function.
        const func = this.program.funcOfNode(this.file, node) ?? this.makeFunc(node, this.file, 'literal');
        this.body(func, scope, null);
        return;
      }
      case 'unary_expression': {
        const operand = node.childForFieldName('operand');
        const operator = node.childForFieldName('operator')?.text ?? node.child(0)?.text;
        if (operator === '&' && operand?.type === 'identifier') {
          const v = scope.lookup(operand.text);
          if (v && !this.flagTarget(node)) {
            const opaque = this.def(node, 1, (): Def => ({ kind: 'opaque' }));
            v.defs.add(opaque);
            if (!v.weak.includes(opaque)) v.weak.push(opaque);
          }
          if (v) v.escapes = true;
          return;
        }
        break;
      }
      case 'call_expression': {
        this.flagVar(node, scope);
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        const method = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : undefined;
        if (fn?.type === 'identifier' && !scope.lookup(fn.text) && this.pkg.functions.has(fn.text)) {
          this.site(fn.text, { file: this.file, pkg: this.pkg, args: argumentsOf(node) }, node);
        } else if (fn && method !== undefined && this.pkg.methods.has(method) && !isExported(method)) {
          this.site(method, { file: this.file, pkg: this.pkg, args: argumentsOf(node) }, node);
          const operand = fn.childForFieldName('operand');
          if (operand) this.expr(operand, scope, state);
        } else if (fn?.type === 'identifier' && scope.lookup(fn.text)) {
          // A function value called through its variable: `load := func(p string) {…}; load("x")`.
          const v = scope.lookup(fn.text) as Variable;
          const key = `${this.file.order}:${node.id}`;
          if (!this.sitesSeen.has(key)) {
            this.sitesSeen.add(key);
            v.calls.push({ file: this.file, pkg: this.pkg, args: argumentsOf(node) });
          }
          this.use(fn, scope, state, true);
        } else if (fn) this.expr(fn, scope, state);
        if (args) this.expr(args, scope, state);
        return;
      }
      case 'type_conversion_expression': {
        // f[int](x): a call of a generic function the grammar reads as a conversion.
        const type = node.childForFieldName('type');
        const name = type?.type === 'generic_type' ? type.childForFieldName('type')?.text : undefined;
        const operand = node.childForFieldName('operand');
        if (name !== undefined && !scope.lookup(name) && this.pkg.functions.has(name) && operand) this.site(name, { file: this.file, pkg: this.pkg, args: [operand] }, node);
        if (operand) this.expr(operand, scope, state);
        return;
      }
      case 'binary_expression': {
        // `a + b + … + z` nests to the left as deep as it is long: walked as a list, not recursively.
        const rights: Node[] = [];
        let left: Node | null = node;
        while (left?.type === 'binary_expression') {
          const right = left.childForFieldName('right');
          if (right) rights.push(right);
          left = left.childForFieldName('left');
        }
        if (left) this.expr(left, scope, state);
        for (let i = rights.length - 1; i >= 0; i--) this.expr(rights[i] as Node, scope, state);
        return;
      }
      case 'selector_expression': {
        // x.method not called is a method value: it may be called with anything.
        const field = node.childForFieldName('field')?.text;
        if (field !== undefined && this.pkg.methods.has(field) && !isExported(field)) this.site(field, undefined);
        const operand = node.childForFieldName('operand');
        if (operand) this.expr(operand, scope, state);
        return;
      }
      case 'keyed_element': {
        // The key of a struct literal names a field.
        const [key, value] = node.namedChildren;
        if (key && key.namedChildren[0]?.type !== 'identifier') this.expr(key, scope, state);
        if (value) this.expr(value, scope, state);
        return;
      }
      case 'interpreted_string_literal':
      case 'raw_string_literal':
      case 'int_literal':
      case 'comment':
      case 'field_identifier':
      case 'type_identifier':
        return;
      default:
        break;
    }
    // Only the nodes expr() treats specially become Node objects; the rest stay on the cursor.
    walkInside(node, EXPRESSIONS, (inner) => {
      this.expr(inner, scope, state);
      return false;
    });
  }

  /** A call of a package function or method, or (undefined) a use of it as a value. */
  private site(name: string, site: CallSite | undefined, call?: Node): void {
    const index = this.pkg.callSites;
    if (index.has(name) && index.get(name) === undefined) return;
    // A loop body is walked twice: each call is one site.
    if (call) {
      const key = `${this.file.order}:${call.id}`;
      if (this.sitesSeen.has(key)) return;
      this.sitesSeen.add(key);
    }
    if (!site) index.set(name, undefined);
    else {
      const sites = index.get(name);
      if (sites) sites.push(site);
      else index.set(name, [site]);
    }
  }

  private use(node: Node, scope: Scope, state: State, callee = false): void {
    const v = scope.lookup(node.text);
    if (!v) return;
    if (!callee) v.usedAsValue = true;
    if (!v.escapes) {
      const parent = node.parent;
      const fieldRead = parent?.type === 'selector_expression' && parent.childForFieldName('operand')?.id === node.id && parent.parent?.type !== 'call_expression';
      const indexed = parent?.type === 'index_expression' && parent.childForFieldName('operand')?.id === node.id;
      if (!fieldRead && !indexed) v.escapes = true;
    }
    const local = v.owner !== undefined && v.owner === this.func && !this.unstructured;
    const existing = this.uses.get(node.id);
    if (!local || !state) {
      if (!local) this.uses.set(node.id, { variable: v, defs: 'all' });
      else if (!existing) this.uses.set(node.id, { variable: v, defs: new Set() });
      return;
    }
    const reaching = state.get(v) ?? new Set<Def>();
    if (existing && existing.defs !== 'all') for (const d of reaching) existing.defs.add(d);
    else this.uses.set(node.id, { variable: v, defs: new Set(reaching) });
  }

  /** Whether `&x` is the first argument of flag.StringVar (or a flag set's StringVar). */
  private flagTarget(address: Node): boolean {
    const list = address.parent;
    const call = list?.parent;
    if (list?.type !== 'argument_list' || call?.type !== 'call_expression' || list.namedChildren[0]?.id !== address.id) return false;
    const fn = call.childForFieldName('function');
    return fn?.type === 'selector_expression' && fn.childForFieldName('field')?.text === 'StringVar' && this.file.importNames.get(fn.childForFieldName('operand')?.text ?? '') === 'flag';
  }

  /** flag.StringVar(&x, name, default, usage) defines x as its default. */
  private flagVar(call: Node, scope: Scope): void {
    const args = argumentsOf(call);
    const first = args[0];
    if (!first || first.type !== 'unary_expression' || !this.flagTarget(first)) return;
    const operand = first.childForFieldName('operand');
    const v = operand ? scope.lookup(operand.text) : undefined;
    const defaultArg = args[2];
    if (!v || !defaultArg || args.length !== 4) return;
    const def = this.def(call, 2, (): Def => ({ kind: 'flagVar', expr: defaultArg, file: this.file }));
    v.defs.add(def);
    if (!v.weak.includes(def)) v.weak.push(def);
  }
}
