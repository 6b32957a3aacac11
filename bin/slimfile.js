#!/usr/bin/env node
// The CLI's launcher; the code is bundled in dist/cli.js (npm run build).
require('../dist/cli.js').main();
