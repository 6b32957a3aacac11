// Loads that run in the background, one per key: the estimate and the hover ask for what is known
// now and never wait, and a load that ends later tells its owner. The Debian and Alpine package
// knowledge (packageKnowledge.ts, alpineKnowledge.ts) load their indexes and base images this way.

/** Every load started, so that the CLI and the tests can wait for them all. */
export class LoadTracker {
  private readonly inFlight = new Set<Promise<void>>();

  track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Resolves when every load started so far has ended. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

/**
 * One value per key (a release's or a branch's index), loaded the first time it is asked for.
 * A failed load keeps its message for the hover and is started again on a later ask, once
 * `retryAfterMs` has passed: the analysis asks on every keystroke, and a mirror that is down must
 * not get a request each time.
 */
export class KeyedLoads<V> {
  private readonly values = new Map<string, V | null>();
  private readonly problems = new Map<string, string>();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly tracker: LoadTracker,
    private readonly retryAfterMs: number,
  ) {}

  /** The value as loaded now; `load` is started when there is none and none under way. Undefined from `load`: it cannot be had. */
  get(key: string, load: () => Promise<V> | undefined, loaded: (value: V) => void): V | undefined {
    if (!this.values.has(key) && !(Date.now() - (this.failedAt.get(key) ?? -Infinity) < this.retryAfterMs)) {
      this.values.set(key, null);
      const work = load();
      if (work) {
        this.tracker.track(
          work.then(
            (value) => {
              this.values.set(key, value);
              loaded(value);
            },
            (error: unknown) => {
              this.problems.set(key, (error as Error).message);
              this.failedAt.set(key, Date.now());
              this.values.delete(key);
            },
          ),
        );
      }
    }
    return this.values.get(key) ?? undefined;
  }

  /** Why the key's value could not be had, for the hover. */
  problem(key: string): string | undefined {
    return this.problems.get(key);
  }

  /** The way to the values changed (offline mode): a key that failed is asked again at once. */
  retryFailed(): void {
    this.failedAt.clear();
  }
}
