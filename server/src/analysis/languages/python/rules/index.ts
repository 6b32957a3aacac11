// The Python rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'python'`, so it runs only on files that build Python.
import type { Rule } from '../../../findings';
import { pythonFullImage } from './python-full-image';
import { pythonAlpineSourceBuilds } from './python-alpine-source-builds';
import { pipCacheInImage } from './python-pip-cache-in-image';

export const PYTHON_RULES: readonly Rule[] = [pythonFullImage, pythonAlpineSourceBuilds, pipCacheInImage];
