import { useEffect, useState } from 'react';

/** Anything that announces changes and counts them: result buffers and models, the session. */
export interface Versioned {
  version: number;
  subscribe(listener: () => void): () => void;
}

/** Re-renders the caller whenever `source` changes; returns its version. */
export function useVersion(source: Versioned | undefined): number {
  const [version, setVersion] = useState(source?.version ?? 0);
  useEffect(() => {
    if (!source) return;
    setVersion(source.version);
    return source.subscribe(() => setVersion(source.version));
  }, [source]);
  return version;
}
