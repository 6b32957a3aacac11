// The analysis' public entry: the functions that read a Dockerfile's text or describe a base image,
// for the server, the CLI, the bench, the corpus scripts and the tests. It loads the language
// registry before anything else, which hands the languages' image descriptions to the image facts
// (languages/images.ts): a caller that parses through here cannot describe an image before the
// languages are registered, and needs to know nothing about it. Modules inside the analysis import
// each other directly and never this entry (it sits above the registry, which sits above them);
// test/unit/layers.test.ts holds callers outside the analysis to it.
import './languages/registry';

export { parseDockerfile } from './model';
export { minimize, minimizeSteps } from './fixes/minimize';
export { describeBase } from './baseImage';
export { languageLineHover, measuredBuilds, manifestDocumentNamed, manifestDocuments, requestedChangeFlags, requestedChanges, requestedRefactors } from './languages/hooks';
