import type { AddAction } from './deltaLog.js';

/** One node of the protocol's JSON predicate hints (`jsonPredicateHints`). */
interface PredicateNode {
  op: string;
  children?: PredicateNode[];
  name?: string;
  value?: string;
  valueType?: string;
}

interface FileStats {
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, number>;
  numRecords?: number;
}

export function fileStats(add: AddAction): FileStats {
  if (!add.stats) return {};
  try {
    return JSON.parse(add.stats) as FileStats;
  } catch {
    return {};
  }
}

type Range = { min: unknown; max: unknown } | undefined;

const NUMERIC = new Set(['int', 'long', 'short', 'byte', 'float', 'double']);

function typed(value: unknown, valueType: string | undefined): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  return NUMERIC.has(valueType ?? '') ? Number(value) : String(value);
}

/** A column's value range in one file: its partition value, or its stats' min and max. */
function rangeOf(add: AddAction, stats: FileStats, column: string, valueType: string | undefined): Range {
  if (column in add.partitionValues) {
    const value = typed(add.partitionValues[column], valueType);
    return { min: value, max: value };
  }
  const min = typed(stats.minValues?.[column], valueType);
  const max = typed(stats.maxValues?.[column], valueType);
  return min === undefined || max === undefined ? undefined : { min, max };
}

/**
 * Whether a file may hold rows matching the hint. Hints are a best-effort filter (the client filters
 * again), so anything this does not understand keeps the file.
 */
function mayMatch(node: PredicateNode, add: AddAction, stats: FileStats): boolean {
  const children = node.children ?? [];
  switch (node.op) {
    case 'and':
      return children.every((child) => mayMatch(child, add, stats));
    case 'or':
      return children.some((child) => mayMatch(child, add, stats));
    case 'equal':
    case 'lessThan':
    case 'lessThanOrEqual':
    case 'greaterThan':
    case 'greaterThanOrEqual': {
      const [column, literal] = children;
      if (column?.op !== 'column' || literal?.op !== 'literal' || !column.name) return true;
      const range = rangeOf(add, stats, column.name, column.valueType);
      const value = typed(literal.value, literal.valueType);
      if (!range || value === undefined) return true;
      const { min, max } = range as { min: number | string; max: number | string };
      if (node.op === 'equal') return min <= value && value <= max;
      if (node.op === 'lessThan') return min < value;
      if (node.op === 'lessThanOrEqual') return min <= value;
      if (node.op === 'greaterThan') return max > value;
      return max >= value;
    }
    default:
      return true;
  }
}

/** The files the JSON predicate hints cannot rule out; undefined or unreadable hints keep them all. */
export function skipByHints(files: AddAction[], jsonPredicateHints: string | undefined): AddAction[] {
  if (!jsonPredicateHints) return files;
  let root: PredicateNode;
  try {
    root = JSON.parse(jsonPredicateHints) as PredicateNode;
  } catch {
    return files;
  }
  return files.filter((add) => mayMatch(root, add, fileStats(add)));
}

/** Enough files to hold `limitHint` rows, when every file's stats count its rows. */
export function applyLimitHint(files: AddAction[], limitHint: number | undefined): AddAction[] {
  if (limitHint === undefined) return files;
  const kept: AddAction[] = [];
  let rows = 0;
  for (const add of files) {
    if (rows >= limitHint) break;
    const count = fileStats(add).numRecords;
    if (count === undefined) return files;
    kept.push(add);
    rows += count;
  }
  return kept;
}
