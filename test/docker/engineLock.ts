// One engine run at a time may touch the stand-in images' tags. The https-client test in
// examples.test.ts swaps base tags for copies that carry a test CA; a second run started in that
// window found the set-up check failing and rebuilt the distroless stand-ins from the swapped
// golang image (2026-12-06, two engine runs at once). The swap and the set-up both hold this lock.
// proper-lockfile is a lock directory whose mtime the holder keeps fresh, so the lock of a run that
// was killed goes stale and the next run takes it over; a run that exits normally releases it.
import * as os from 'node:os';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';

export interface EngineLockOptions {
  /** The lock's path; one per machine by default, since the engine and its tags are the machine's. */
  readonly lockPath?: string;
  /** How long (ms) an unrefreshed lock is taken for a dead holder's; proper-lockfile's floor is 2000. */
  readonly staleMs?: number;
  /** How long (ms) to wait for the holder before giving up with a message. */
  readonly waitMs?: number;
  /** Where the waiting is said; stderr by default. */
  readonly say?: (line: string) => void;
}

const DEFAULT_LOCK = path.join(os.tmpdir(), 'slimfile-engine-tags');

/** Waits for and takes the lock on the stand-in tags; resolves with its release. */
export async function holdEngineTags(what: string, options: EngineLockOptions = {}): Promise<() => Promise<void>> {
  const file = options.lockPath ?? DEFAULT_LOCK;
  const stale = options.staleMs ?? 30_000;
  const base = {
    realpath: false,
    stale,
    onCompromised: (error: Error) => (options.say ?? console.error)(`engine lock ${file}: ${error.message}`),
  };
  try {
    return await lockfile.lock(file, base);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
  }
  (options.say ?? console.error)(`${what}: waiting for another engine run that holds ${file}.lock`);
  const waitMs = options.waitMs ?? 90 * 60_000;
  const step = 1000;
  try {
    return await lockfile.lock(file, { ...base, retries: { retries: Math.ceil(waitMs / step), factor: 1, minTimeout: step, maxTimeout: step } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new Error(`${what}: another engine run still holds ${file}.lock after ${Math.round(waitMs / 1000)} s`);
  }
}
