/** Edit distance (Levenshtein), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[t.length]!;
}

/**
 * Candidates close to `wanted`, best first. Qualified names (`schema.table`) are compared whole
 * and by their last part, so `dim_custmer` finds `local_gold.dim_customer`.
 */
export function closestNames(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  const wTail = w.split('.').pop() ?? w;
  const limit = Math.max(2, Math.floor(wTail.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const n = name.toLowerCase();
    const tail = n.split('.').pop() ?? n;
    const distance = Math.min(editDistance(w, n), editDistance(wTail, tail));
    // Containment counts only for parts long enough to mean something (not `t` inside everything).
    const contains = Math.min(tail.length, wTail.length) >= 3 && (tail.includes(wTail) || wTail.includes(tail));
    if (distance <= limit || contains) scored.push({ name, score: contains ? Math.min(distance, 1) : distance });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}
