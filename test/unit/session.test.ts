// One session per document version: what it computes once, and a Minimize cancelled between two
// fixes, which leaves nothing behind.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../../server/src/workspace/project';
import { DocumentSession, MinimizeCancelled } from '../../server/src/session';
import { minimize } from '../../server/src/analysis';
import type { SizeKnowledge } from '../../server/src/analysis/estimate/sizes';
import { ImageKnowledge } from '../../server/src/images/knowledge';

const HELLO = path.join(__dirname, '..', '..', 'examples', 'hello');

async function helloSession(): Promise<DocumentSession> {
  const text = await fs.readFile(path.join(HELLO, 'Dockerfile'), 'utf8');
  return new DocumentSession({ text, version: 1, project: await loadProject(HELLO, { maxGoFiles: 100 }), settings: { rules: {} } });
}

test('a Minimize cancelled after its first fix throws, keeps nothing, and the next one runs in full', async () => {
  const session = await helloSession();
  const cancel = { isCancellationRequested: false };
  const heard: string[][] = [];
  await assert.rejects(
    session.minimizedCancellable(cancel, (applied) => {
      heard.push([...applied]);
      // The user cancels as soon as the first fix is reported.
      cancel.isCancellationRequested = true;
    }),
    MinimizeCancelled,
  );
  assert.deepStrictEqual(heard, [['Convert to multi-stage build']], 'cancelled between the first and the second fix');
  // Nothing of the cancelled run is the version's result: Minimize runs again, to the end.
  const whole = minimize(session.text, session.project);
  assert.deepStrictEqual(session.minimized().applied, whole.applied);
  assert.equal(session.minimized().text, whole.text);
  assert.ok(whole.applied.length > 1, `hello's Minimize applies more than one fix: ${whole.applied.join('; ')}`);
});

test('the session computes the parse, the findings, Minimize and the estimate once per version', async () => {
  const session = await helloSession();
  assert.equal(session.model, session.model);
  assert.equal(session.findings, session.findings);
  assert.equal(session.minimized(), session.minimized());
  const images = new ImageKnowledge({ engine: () => undefined, registry: () => undefined }, () => undefined);
  const knowledge: SizeKnowledge = { baseImage: (ref) => images.catalog(ref) };
  const first = session.estimate(knowledge);
  assert.equal(session.estimate(knowledge), first);
  // A size learned: the next estimate is made again, from the same Minimize.
  session.forgetEstimate();
  const again = session.estimate(knowledge);
  assert.notEqual(again, first);
  assert.deepStrictEqual(again.now.bytes, first.now.bytes);
  assert.equal(again.minimizedText, first.minimizedText);
});
