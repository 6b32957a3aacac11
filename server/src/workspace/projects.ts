// Project facts per build context, loaded once and dropped when a file under the context changes.
import * as path from 'node:path';
import { loadProject, findBuildContext } from './project';
import type { ProjectFacts } from '../analysis/project';

/** A build context that takes longer than this to read is analysed with what was read by then. */
const LOAD_BUDGET_MS = 10_000;

export class ProjectCache {
  private readonly byContext = new Map<string, Promise<ProjectFacts>>();
  /**
   * Build contexts found, per Dockerfile, root and setting: finding one looks for go.mod on disk,
   * which every keystroke would otherwise wait for (a thread-pool round trip each, slow under load).
   */
  private readonly contexts = new Map<string, Promise<string>>();

  /** The build context of a Dockerfile on disk (see findBuildContext); kept until a go.mod changes. */
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

  get(contextDir: string, maxGoFiles: number, openText?: (absolutePath: string) => string | undefined): Promise<ProjectFacts> {
    const key = `${contextDir}\0${maxGoFiles}`;
    let facts = this.byContext.get(key);
    if (!facts) {
      facts = loadProject(contextDir, { maxGoFiles, openText, signal: AbortSignal.timeout(LOAD_BUDGET_MS) });
      this.byContext.set(key, facts);
      // A failed load is not cached: the next request tries again.
      facts.catch(() => this.byContext.delete(key));
    }
    return facts;
  }

  /** Drops every context that holds `changedPath`; returns whether any was dropped. */
  invalidate(changedPath: string): boolean {
    let dropped = false;
    // A go.mod made, moved or deleted anywhere may change which folder is a Dockerfile's context.
    if (path.basename(changedPath) === 'go.mod' && this.contexts.size > 0) {
      this.contexts.clear();
      dropped = true;
    }
    for (const key of [...this.byContext.keys()]) {
      const dir = key.slice(0, key.indexOf('\0'));
      const rel = path.relative(dir, changedPath);
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
        this.byContext.delete(key);
        dropped = true;
      }
    }
    return dropped;
  }

  clear(): void {
    this.byContext.clear();
    this.contexts.clear();
  }
}
