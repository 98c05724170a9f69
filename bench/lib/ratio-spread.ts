/** How much a ratio measured round by round moved (the 200-vs-50 rule cost of the rule benchmarks). */
export interface RatioSpread {
  min: number;
  median: number;
  max: number;
}

/** x to 2 decimals */
export const round2 = (x: number): number => Number(x.toFixed(2));

/** The min, median and max of per-round ratios, to 2 decimals. */
export function ratioSpread(ratios: readonly number[]): RatioSpread {
  const sorted = [...ratios].sort((a, b) => a - b);
  return { min: round2(sorted[0]!), median: round2(sorted[Math.floor(sorted.length / 2)]!), max: round2(sorted[sorted.length - 1]!) };
}
