// The Java rules, in the order Minimize tries their fixes (structure first, then polish). Each rule
// sets `language: 'java'`, so it runs only on files that build Java.
import type { Rule } from '../../../findings';
import { jdkInFinalImage } from './java-jdk-in-final-image';
import { javaReleaseNewerThanRuntime } from './java-release-newer-than-runtime';
import { deprecatedJavaImage } from './java-deprecated-image';

export const JAVA_RULES: readonly Rule[] = [jdkInFinalImage, javaReleaseNewerThanRuntime, deprecatedJavaImage];
