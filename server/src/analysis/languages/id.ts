// The languages the analysis knows, by id. Each language's folder adds its own id to LanguageIds
// (languages/<id>/index.ts: `declare module '../id'`), so the type lists exactly the folders the
// compiler sees and no file lists them all; the registry test holds it to the registry's list.
// A module of its own, below everything, so that the image facts (baseFacts.ts) and the findings
// can name a language without importing the languages.

/** One property per language, added by the language's own folder; the values mean nothing. */
export interface LanguageIds {}

export type LanguageId = keyof LanguageIds;
