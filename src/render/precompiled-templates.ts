/**
 * The bundled templates, precompiled. Under development (tests run from src/) there are none and templates are
 * compiled from templates/ at run time; the build (build.ts) replaces this module with the precompiled specs, so the
 * installed CLI loads only the small Handlebars runtime.
 */
export const precompiledTemplates: Record<string, { path: string; spec: unknown }> | null = null;
