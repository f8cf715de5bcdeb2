import { describe, expect, it } from 'vitest';
import { lagOf, parseProgress } from './streams.js';

// A progress report as Spark 4.2 sends it for a Kafka source (trimmed of fields lhctl does not read).
const REPORT = JSON.stringify({
  id: 'q',
  runId: 'r',
  name: 'stream_sales_transactions_live',
  timestamp: '2026-12-03T13:39:19.707Z',
  batchId: 4,
  durationMs: { triggerExecution: 1730, addBatch: 1525 },
  sources: [
    {
      description: 'KafkaV2[Subscribe[pos]]',
      startOffset: '{"pos":{"0":100,"1":90}}',
      endOffset: '{"pos":{"0":300,"1":250}}',
      latestOffset: '{"pos":{"0":320,"1":250}}',
      numInputRows: 360,
      inputRowsPerSecond: 120.5,
      processedRowsPerSecond: 208.1,
    },
  ],
});

describe('streaming query progress', () => {
  it('reads the counts a Spark 4 source reports, and each partition from where to where', () => {
    expect(parseProgress(REPORT)).toEqual({
      batchId: 4,
      timestamp: '2026-12-03T13:39:19.707Z',
      numInputRows: 360,
      inputRowsPerSecond: 120.5,
      processedRowsPerSecond: 208.1,
      durationMs: 1730,
      offsets: [
        { partition: 'pos/0', start: 100, end: 300, latest: 320 },
        { partition: 'pos/1', start: 90, end: 250, latest: 250 },
      ],
    });
  });

  it('counts the lag as the records the topic holds beyond the batch, and has none to tell without the latest offsets', () => {
    expect(lagOf(parseProgress(REPORT))).toBe(20);
    const first = JSON.parse(REPORT) as { sources: { latestOffset: unknown; startOffset: unknown }[] };
    first.sources[0]!.latestOffset = null;
    first.sources[0]!.startOffset = null;
    const parsed = parseProgress(JSON.stringify(first));
    expect(parsed.offsets[0]).toEqual({ partition: 'pos/0', start: undefined, end: 300, latest: undefined });
    expect(lagOf(parsed)).toBeUndefined();
  });
});
