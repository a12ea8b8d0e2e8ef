// The document languages: each is a catalogue of the same type. Adding one is a row here and its catalogue file (and
// template overlays for the templates' own prose).
import type { Catalogue } from './catalogue.ts';
import { en } from './en.ts';

export const catalogues = { en } as const satisfies Record<string, Catalogue>;
export type Language = keyof typeof catalogues;
export const languages = Object.keys(catalogues) as Language[];
export const defaultLanguage: Language = 'en';

export const catalogueFor = (language: Language): Catalogue => catalogues[language];
