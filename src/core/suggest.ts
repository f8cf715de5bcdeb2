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
 * Candidates close to `wanted`, best first: those containing it (or contained in it) and those
 * within a third of its length in edits.
 */
export function closestNames(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const n = name.toLowerCase();
    const tail = n.split('.').pop() ?? n;
    const distance = Math.min(editDistance(w, n), editDistance(w, tail));
    const contains = n.includes(w) || w.includes(tail);
    if (contains || distance <= Math.max(2, Math.floor(w.length / 3))) scored.push({ name, score: contains ? distance / 10 : distance });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}
