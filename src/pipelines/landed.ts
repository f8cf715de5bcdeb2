import { rmSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { generateBatch, landedBatches, readManifest } from './generator/generate.js';
import type { BatchManifest } from './generator/manifest.js';
import { World } from './generator/world.js';

export interface LandingRequest {
  landingDir: string;
  /** How many new batches to land after those already there. */
  batches: number;
  seed?: string;
  scale?: number;
  /** Remove what was landed before and start again at batch 1. */
  reset?: boolean;
  onBatch?: (manifest: BatchManifest) => void;
}

export const DEFAULT_SEED = 'lhctl';

/** A new landing's id: when it started, in base 36 milliseconds (8 characters, sorting by time). */
function newLandingId(): string {
  return Date.now().toString(36);
}

/**
 * Lands the next batches. Later batches continue the world the first ones started (customers change,
 * orders ship), so seed and scale are those of the batches already landed unless the zone is reset.
 */
export async function landNextBatches(request: LandingRequest): Promise<BatchManifest[]> {
  if (request.reset) rmSync(request.landingDir, { recursive: true, force: true });
  const landed = landedBatches(request.landingDir);
  const previous = landed.length ? readManifest(request.landingDir, landed[landed.length - 1]!) : undefined;
  const seed = request.seed ?? previous?.seed ?? DEFAULT_SEED;
  const scale = request.scale ?? previous?.scale ?? 1;
  if (previous && (previous.seed !== seed || previous.scale !== scale)) {
    throw new UsageError(`batches 1–${previous.batch} were landed with seed ${previous.seed} and scale ${previous.scale}`, {
      hint: 'Drop --seed/--scale to continue them, or pass --reset to start the landing zone again.',
    });
  }
  const landing = previous?.landing ?? newLandingId();
  const world = new World(seed, scale);
  const first = (landed[landed.length - 1] ?? 0) + 1;
  const manifests: BatchManifest[] = [];
  for (let batch = first; batch < first + request.batches; batch++) {
    const manifest = await generateBatch({ landingDir: request.landingDir, seed, scale, landing }, batch, world);
    request.onBatch?.(manifest);
    manifests.push(manifest);
  }
  return manifests;
}
