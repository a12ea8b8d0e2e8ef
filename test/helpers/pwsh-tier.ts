import { findPwsh } from './exchange-sim.ts';

/**
 * The PowerShell tier: tests that need a real pwsh. They run when pwsh is found ($PWSH, or pwsh on PATH); otherwise
 * the file runs none of them and says `skipped N PowerShell tests: pwsh not found` — unless REQUIRE_PWSH=1 (set by
 * .ci/run), where a missing pwsh fails the run instead of skipping.
 */
export function pwshForTier(file: string): string | undefined {
  const pwsh = findPwsh();
  if (!pwsh && process.env.REQUIRE_PWSH === '1') {
    throw new Error(`REQUIRE_PWSH=1 but ${why()} (${file}): install PowerShell 7 or set PWSH to its path`);
  }
  return pwsh;
}

export function reportSkipped(count: number, file: string): void {
  console.log(`skipped ${count} PowerShell tests: ${why()} (${file})`);
}

const why = () => (process.env.PWSH ? `PWSH=${process.env.PWSH} does not exist` : 'pwsh not found');
