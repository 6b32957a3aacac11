// `go get` in GOPATH mode (GO111MODULE=off) on a Go that no longer has it: since Go 1.22 the
// command refuses outside a module, so the image does not build. Other go commands keep working
// in GOPATH mode, which is why only `go get` is reported.
import type { Fix, Rule } from '../../../findings';
import { goMessages } from '../messages';
import { builderGo } from '../builderGo';
import { goVersionParts } from '../gomod';
import { commandName } from '../../../shell';
import { replaceBaseImage } from '../../../fixes/edits';

/** The last Go release whose `go get` works in GOPATH mode (Go 1.22 release notes). */
const LAST_GOPATH_GET = '1.21';

export const goGetGopathMode: Rule = {
  id: 'go-get-gopath-mode',
  defaultSeverity: 'error',
  summary: 'go get in GOPATH mode (GO111MODULE=off) fails on Go 1.22 and later.',
  check({ model }) {
    const out = [];
    for (const stage of model.stages) {
      const go = builderGo(model, stage);
      const parts = goVersionParts(go?.version);
      if (!go || !parts || parts[0] !== 1 || parts[1] < 22) continue;
      for (const run of stage.runs) {
        const get = run.commands.find(
          (c) => commandName(c) === 'go' && c.argv[1] === 'get' && (c.assignments.get('GO111MODULE') ?? c.exported.get('GO111MODULE') ?? run.env.get('GO111MODULE')) === 'off',
        );
        if (!get) continue;
        const fixes: Fix[] = [];
        // Only a golang image can be pinned by its tag; the release is older, so it is offered for review.
        const ref = stage.base.reference;
        if (ref && ref.familiar === 'golang' && stage.base.stage === undefined) {
          const variant = /-(bookworm|bullseye|alpine)/.exec(ref.tag ?? '')?.[1];
          const suffix = variant ? `-${variant}` : '';
          fixes.push({ title: `Build with golang:${LAST_GOPATH_GET}${suffix} (review: an older Go)`, edits: [replaceBaseImage(stage, `golang:${LAST_GOPATH_GET}${suffix}`)], safe: false });
        }
        out.push({ message: goMessages.goGetGopathMode(go.version, go.source), range: run.range, related: [], fixes });
      }
    }
    return out;
  },
};
