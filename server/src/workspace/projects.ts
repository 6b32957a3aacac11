// Project facts per build context: loaded once, then kept up to date file by file as the watcher
// reports changes (a save reads that file again; see ContextState).
import * as path from 'node:path';
import { contextRootNames, ContextState, findBuildContext, type FileChange } from './project';
import type { LanguageLoadLimits, ProjectFacts } from '../analysis/project';

/** A build context that takes longer than this to read is analysed with what was read by then. */
const LOAD_BUDGET_MS = 10_000;

/** A context's state and its facts after the last change told (each change waits for the one before). */
interface Loaded {
  readonly state: ContextState;
  facts: Promise<ProjectFacts>;
}

export class ProjectCache {
  private readonly byContext = new Map<string, Loaded>();
  /**
   * Build contexts found, per Dockerfile, root and setting: finding one looks for a root file (go.mod) on disk,
   * which every keystroke would otherwise wait for (a thread-pool round trip each, slow under load).
   */
  private readonly contexts = new Map<string, Promise<string>>();

  /** The build context of a Dockerfile on disk (see findBuildContext); kept until a root file (go.mod) changes. */
  contextOf(dockerfilePath: string, workspaceRoot: string | undefined, configured: string): Promise<string> {
    const key = `${dockerfilePath}\0${workspaceRoot ?? ''}\0${configured}`;
    let context = this.contexts.get(key);
    if (!context) {
      const explicit = configured ? path.resolve(workspaceRoot ?? path.dirname(dockerfilePath), configured) : undefined;
      context = findBuildContext(dockerfilePath, workspaceRoot, explicit);
      this.contexts.set(key, context);
      context.catch(() => this.contexts.delete(key));
    }
    return context;
  }

  get(contextDir: string, limits: LanguageLoadLimits, openText?: (absolutePath: string) => string | undefined): Promise<ProjectFacts> {
    // Other limits, another load.
    const key = `${contextDir}\0${JSON.stringify(limits)}`;
    const known = this.byContext.get(key);
    if (known) return known.facts;
    const state = new ContextState(contextDir, { ...limits, openText, budgetMs: LOAD_BUDGET_MS });
    const loaded: Loaded = { state, facts: state.load() };
    this.byContext.set(key, loaded);
    this.forgetOnFailure(key, loaded);
    return loaded.facts;
  }

  /**
   * Files changed on disk (a watcher's report): every context holding one takes the changes after
   * what it was doing. Returns whether any context holds one, or a build context may have moved.
   */
  changed(changes: readonly FileChange[]): boolean {
    let touched = false;
    // A root file (go.mod) made, moved or deleted anywhere may change which folder is a Dockerfile's context.
    const roots = contextRootNames();
    if (changes.some((c) => roots.has(path.basename(c.path))) && this.contexts.size > 0) {
      this.contexts.clear();
      touched = true;
    }
    for (const [key, loaded] of this.byContext) {
      const dir = key.slice(0, key.indexOf('\0'));
      const inside = changes.filter((c) => {
        const rel = path.relative(dir, c.path);
        return !rel.startsWith('..') && !path.isAbsolute(rel);
      });
      if (inside.length === 0) continue;
      touched = true;
      loaded.facts = loaded.facts.then(() => loaded.state.changed(inside));
      this.forgetOnFailure(key, loaded);
    }
    return touched;
  }

  /** A failed load or update is not kept: the next request reads the context again. */
  private forgetOnFailure(key: string, loaded: Loaded): void {
    const facts = loaded.facts;
    facts.catch(() => {
      if (this.byContext.get(key) === loaded && loaded.facts === facts) this.drop(key, loaded);
    });
  }

  private drop(key: string, loaded: Loaded): void {
    this.byContext.delete(key);
    // After what it was doing: its parse trees may be in use until then.
    void loaded.facts.finally(() => loaded.state.dispose()).catch(() => undefined);
  }

  clear(): void {
    for (const [key, loaded] of [...this.byContext]) this.drop(key, loaded);
    this.contexts.clear();
  }
}
