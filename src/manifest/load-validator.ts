import type { ValidateFunction } from 'ajv';
import { precompiledValidator } from './precompiled-validator.ts';
import { formats } from './formats.ts';
import { manifestSchema } from './schema.ts';

/** Options shared by the run-time compile and the build's standalone code, so both validate alike. */
// Editor-only annotations (yaml-language-server's markdownDescription and readable messages) are known keywords, so
// strict mode still catches a misspelt real one.
export const ajvOptions = {
  allErrors: true,
  verbose: true,
  strict: true,
  keywords: ['markdownDescription', 'patternErrorMessage', 'errorMessage'],
};

let compiled: ValidateFunction | undefined;

export async function loadValidator(): Promise<ValidateFunction> {
  if (precompiledValidator) return precompiledValidator;
  // Only when running from src/: the bundle always has the precompiled validator, and the constant lets esbuild
  // leave ajv's compiler out of dist/.
  if (typeof BUNDLED === 'undefined') {
    if (compiled) return compiled;
    const { default: AjvModule } = await import('ajv/dist/2020.js');
    const ajv = new AjvModule.default({ ...ajvOptions, formats });
    return (compiled = ajv.compile(manifestSchema));
  }
  throw new Error('the bundle has no precompiled validator');
}

declare const BUNDLED: boolean;
