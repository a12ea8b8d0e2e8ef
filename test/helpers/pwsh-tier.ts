import { suite } from 'uvu';
import { findPwsh } from './exchange-sim.ts';

/**
 * The PowerShell tier: tests that need a real pwsh. They run when pwsh is found ($PWSH, or pwsh on PATH); otherwise
 * the file runs none of them and says `skipped N PowerShell tests: pwsh not found` — unless REQUIRE_PWSH=1 (set by
 * .ci/run), where a missing pwsh is a failing test instead of a skip (the other test files still run).
 */
export function pwshForTier(file: string): string | undefined {
  const pwsh = findPwsh();
  if (!pwsh && process.env.REQUIRE_PWSH === '1') {
    const required = suite(`PowerShell tier (${file})`);
    required('pwsh is found', () => {
      throw new Error(`REQUIRE_PWSH=1 but ${why()}: install PowerShell 7 or set PWSH to its path`);
    });
    required.run();
  }
  return pwsh;
}

/** Said once per file when the tier is skipped; a no-op when REQUIRE_PWSH=1 already failed it. */
export function reportSkipped(count: number, file: string): void {
  if (process.env.REQUIRE_PWSH !== '1') console.log(`skipped ${count} PowerShell tests: ${why()} (${file})`);
}

const why = () => (process.env.PWSH ? `PWSH=${process.env.PWSH} does not exist` : 'pwsh not found');
