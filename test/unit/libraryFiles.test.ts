// What an imported package may do with the image's files, as the file plan asks before it drops
// an entry nothing in the program's own code reads.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { libraryAccess, unreadImports } from '../../server/src/analysis/languages/go/source/libraryFiles';
import { parseGoMod } from '../../server/src/analysis/languages/go/gomod';
import { emptyListing, emptyProject, type ProjectFacts } from '../../server/src/analysis/project';
import { unknownNeeds } from '../../server/src/analysis/languages/go/source/needs';
import { emptyGoFacts } from '../../server/src/analysis/languages/go/source/facts';

test('a package is looked up by its longest listed prefix, major versions left out', () => {
  assert.equal(libraryAccess('github.com/labstack/echo/v4').kind, 'none');
  assert.equal(libraryAccess('github.com/labstack/echo/v4/middleware').kind, 'reads');
  assert.equal(libraryAccess('github.com/gofiber/fiber/v2/middleware/cors').kind, 'none');
  assert.equal(libraryAccess('github.com/gofiber/fiber/v2/middleware/filesystem').kind, 'reads');
  assert.equal(libraryAccess('gopkg.in/yaml.v3').kind, 'none');
  assert.equal(libraryAccess('golang.org/x/crypto/bcrypt').kind, 'none');
  // acme/autocert writes its certificate cache wherever the program says: not under x/crypto's entries.
  assert.equal(libraryAccess('golang.org/x/crypto/acme/autocert').kind, 'unknown');
  assert.equal(libraryAccess('golang.org/x/net/webdav').kind, 'unknown');
  const pq = libraryAccess('github.com/lib/pq');
  assert.ok(pq.kind === 'formats' && pq.formats.test('certs/root.crt') && !pq.formats.test('templates/index.html'));
  assert.equal(libraryAccess('github.com/uadmin/uadmin').kind, 'unknown');
});

test('the packages not read are the third-party imports, without the module\'s own, a replaced context folder, or a GOPATH folder', () => {
  const project = (goMod: string | undefined, imports: string[], files: string[] = []): ProjectFacts => ({
    ...emptyProject(),
    own: { go: { ...emptyGoFacts(), goMod: goMod === undefined ? undefined : parseGoMod(goMod), goModPath: goMod === undefined ? undefined : 'go.mod', needs: { ...unknownNeeds(), imports: new Set(imports) } } },
    contextListing: { ...emptyListing(), files: new Map(files.map((f) => [f, 1])) },
  });
  const goMod = 'module example.com/app\n\ngo 1.22\n\nreplace github.com/acme/lib => ./lib\n\nreplace github.com/acme/far => ../far\n';
  assert.deepEqual(unreadImports(project(goMod, ['fmt', 'example.com/app/internal/db', 'github.com/acme/lib/x', 'github.com/acme/far', 'github.com/uadmin/uadmin'])), ['github.com/acme/far', 'github.com/uadmin/uadmin']);
  const gopath = project(undefined, ['github.com/me/app/controllers', 'github.com/acme/log', 'github.com/gorilla/mux'], ['controllers/users.go', 'log/log.go', 'vendor/github.com/gorilla/mux/mux.go']);
  assert.deepEqual(unreadImports(gopath), ['github.com/acme/log', 'github.com/gorilla/mux']);
});
