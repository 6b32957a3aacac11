// The languages the analysis knows, by id: its own module so that the image facts (baseFacts.ts),
// which name a language image's language, sit below the language modules.
export type LanguageId = 'go' | 'rust' | 'c' | 'java' | 'node' | 'python';
