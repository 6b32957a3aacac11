// The analysis context: every fact the analysis derives and keeps (a stage's cargo builds, the
// parsed package.json, the context's files per folder, RUN scripts split into commands) lives in
// one of these, so what is remembered and for how long is decided in one place, not by module
// globals that outlive every document.
//
// Lifetime. One context per document version: the language server's DocumentSession makes one
// when a version arrives and drops it with the version, passing the previous version's context
// to the constructor. What is derived from the model (memo) dies with the version. What depends
// only on data that outlives a keystroke carries over: answers about project facts (memoProject),
// which the next version reuses while the workspace hands it the same ProjectFacts object and
// misses as soon as it hands a new one, and RUN scripts split into commands, keyed by their text.
// Minimize and the estimate parse intermediate texts in contexts made from the caller's the same way.
//
//   const context = new AnalysisContext(previous);            // previous: the last version's, or none
//   const model = parseDockerfile(text, context);             // model.context === context
//   const findings = analyze(model, project, settings);       // reads model.context
//   const minimized = minimize(text, project, settings, { model, findings }, {}, context);
//   const pair = estimateNowAndMinimized(model, project, knowledge, () => minimized);
//
// The model carries its context (`model.context`), so what takes a model (analyze, the estimate,
// every rule and query) needs no context of its own; what parses text takes one as its optional
// last parameter (parseDockerfile, minimize, addUpx) and makes a new one when absent, so a caller
// that never names a context gets the same results as before, remembered while it holds the model.
// A query that has no model at hand (a package.json read from project facts) is handed the
// context by its caller, always the model's. Pure data in, data out: a context holds no disk,
// engine or LSP state and needs no disposal.
import { splitCommands, type SimpleCommand } from './shell';
import { ArgumentScans } from './astParse';

/** A memoized query's key: its name, for reading a heap snapshot, and the type of what it returns. */
export interface Query<V> {
  readonly name: string;
  /** Never set: carries V so memo() returns the query's own type. */
  readonly value?: V;
}

export function query<V>(name: string): Query<V> {
  return { name };
}

/** Answers per owner object (a model, project facts, a listing), then per the next owner, and so on. */
interface MemoNode {
  readonly answers: Map<Query<unknown>, unknown>;
  readonly next: WeakMap<object, MemoNode>;
}

/** Split scripts kept before the cache starts again empty (a large file has a few hundred). */
const MAX_SPLIT_SCRIPTS = 5000;

/**
 * RUN scripts split into commands, by escape character and then by text. Not one key of both: a
 * key made as escape character + script is a second copy of every script (made, hashed and kept
 * beside the script the RUN step holds).
 */
class SplitScripts {
  private readonly byEscape = new Map<string, Map<string, readonly SimpleCommand[]>>();
  private size = 0;

  commands(script: string, escapeChar: string): readonly SimpleCommand[] {
    let scripts = this.byEscape.get(escapeChar);
    if (!scripts) this.byEscape.set(escapeChar, (scripts = new Map()));
    let commands = scripts.get(script);
    if (!commands) {
      commands = splitCommands(script, escapeChar);
      if (this.size >= MAX_SPLIT_SCRIPTS) {
        for (const kept of this.byEscape.values()) kept.clear();
        this.size = 0;
      }
      scripts.set(script, commands);
      this.size++;
    }
    return commands;
  }
}

function newNode(): MemoNode {
  return { answers: new Map(), next: new WeakMap() };
}

export class AnalysisContext {
  /** Answers about this version's model (and what it is combined with). */
  private readonly versionAnswers = newNode();
  /** Answers about project facts alone: shared along the chain of contexts. */
  private readonly projectAnswers: MemoNode;
  /** RUN scripts split into commands, by escape character and text: true of any version. */
  private readonly scripts: SplitScripts;
  /** dockerfile-ast's argument scans of this context's parses; the next context's parse reuses the unchanged ones. */
  readonly argumentScans: ArgumentScans;

  /** `previous`: the context of the document's last version (or of the text a new one derives from). */
  constructor(previous?: AnalysisContext) {
    this.projectAnswers = previous ? previous.projectAnswers : newNode();
    this.scripts = previous ? previous.scripts : new SplitScripts();
    this.argumentScans = new ArgumentScans(previous?.argumentScans);
  }

  /**
   * The query's answer for a model (and the objects after it, such as project facts), computed on
   * the first call and remembered for this context's life. Owners are held weakly.
   */
  memo<V>(q: Query<V>, owners: readonly [object, ...object[]], compute: () => V): V {
    return answer(this.versionAnswers, q, owners, compute);
  }

  /**
   * The query's answer for project facts (or part of them, such as the context listing), which
   * must depend on nothing else: kept for as long as those objects live, across versions.
   */
  memoProject<V>(q: Query<V>, owners: readonly [object, ...object[]], compute: () => V): V {
    return answer(this.projectAnswers, q, owners, compute);
  }


  /** A RUN script's commands, split once per text for this context and the versions after it. */
  splitScript(script: string, escapeChar: string): readonly SimpleCommand[] {
    return this.scripts.commands(script, escapeChar);
  }
}

function answer<V>(root: MemoNode, q: Query<V>, owners: readonly object[], compute: () => V): V {
  let node = root;
  for (const owner of owners) {
    let next = node.next.get(owner);
    if (!next) node.next.set(owner, (next = newNode()));
    node = next;
  }
  const answers = node.answers as Map<Query<V>, V>;
  if (answers.has(q)) return answers.get(q) as V;
  const value = compute();
  answers.set(q, value);
  return value;
}
