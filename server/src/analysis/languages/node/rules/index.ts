// The Node rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'node'`, so it runs only on files that build Node.
import type { Rule } from '../../../findings';
import { nodeFrontendBuildInRuntime } from './node-frontend-build-in-runtime';
import { nodeFullImage } from './node-full-image';
import { nodeDevDependenciesInImage } from './node-dev-dependencies-in-image';
import { npmCacheInImage } from './node-package-cache-in-image';

export const NODE_RULES: readonly Rule[] = [nodeFrontendBuildInRuntime, nodeFullImage, nodeDevDependenciesInImage, npmCacheInImage];
