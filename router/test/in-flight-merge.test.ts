import { describe, expect, it } from 'vitest';
import { CallerGoneError, InFlightMerge, runAlone, type AbortableCall } from '../src/balancing/in-flight-merge.js';
import { WriteEpoch } from '../src/balancing/write-epoch.js';

/** A call the test settles by hand, recording whether it was aborted. */
function manualCall<T>() {
  let resolve!: (value: T) => void;
  const answer = new Promise<T>((done) => (resolve = done));
  const call = { answer, aborted: undefined as Error | undefined, resolve, abort: (reason: Error) => (call.aborted = reason) };
  return call;
}

describe('InFlightMerge', () => {
  it('sends identical requests in flight once and gives every caller the answer', async () => {
    const merge = new InFlightMerge<string>();
    const calls: ReturnType<typeof manualCall<string>>[] = [];
    const start = (): AbortableCall<string> => {
      const call = manualCall<string>();
      calls.push(call);
      return call;
    };
    const answers = [merge.run('user-1\nbody', undefined, start), merge.run('user-1\nbody', undefined, start), merge.run('user-1\nbody', undefined, start)];
    expect(calls).toHaveLength(1);
    expect(merge.merged).toBe(2);
    calls[0]!.resolve('answer');
    expect(await Promise.all(answers)).toEqual(['answer', 'answer', 'answer']);
  });

  it('never lets a read join a fetch sent before a write answered before the read arrived', async () => {
    const writes = new WriteEpoch();
    const merge = new InFlightMerge<string>(() => writes.current);
    const calls: ReturnType<typeof manualCall<string>>[] = [];
    const start = (): AbortableCall<string> => {
      const call = manualCall<string>();
      calls.push(call);
      return call;
    };
    const first = merge.run('user-1\nbody', undefined, start, writes.current);
    // Arrived in the same epoch (no write answered in between): shares the fetch.
    const together = merge.run('user-1\nbody', undefined, start, writes.current);
    expect(calls).toHaveLength(1);
    writes.advance(); // a rating was answered
    // Arrived after the write: the fetch in flight may predate it, so it gets a fetch of its own...
    const afterWrite = merge.run('user-1\nbody', undefined, start, writes.current);
    expect(calls).toHaveLength(2);
    // ...which the reads after it share, while a read that arrived before the write may still join either.
    const next = merge.run('user-1\nbody', undefined, start, writes.current);
    const old = merge.run('user-1\nbody', undefined, start, 0);
    expect(calls).toHaveLength(2);
    calls[0]!.resolve('before the write');
    calls[1]!.resolve('after the write');
    expect(await Promise.all([first, together, afterWrite, next, old])).toEqual([
      'before the write',
      'before the write',
      'after the write',
      'after the write',
      'after the write',
    ]);
    expect(merge.merged).toBe(3);
  });

  it('never merges across keys: another caller or another body is another request', () => {
    const merge = new InFlightMerge<string>();
    let started = 0;
    const start = () => {
      started += 1;
      return manualCall<string>();
    };
    void merge.run('user-1\nbody', undefined, start);
    void merge.run('user-2\nbody', undefined, start);
    void merge.run('\nbody', undefined, start);
    void merge.run('user-1\nother body', undefined, start);
    expect(started).toBe(4);
    expect(merge.merged).toBe(0);
  });

  it('forgets a request once it is answered: a later identical request is sent again', async () => {
    const merge = new InFlightMerge<string>();
    const first = manualCall<string>();
    const answer = merge.run('k', undefined, () => first);
    first.resolve('one');
    await answer;
    const second = manualCall<string>();
    void merge.run('k', undefined, () => second);
    expect(merge.merged).toBe(0);
    expect(merge.size).toBe(1);
  });

  it('shares a failure with every caller, then forgets it', async () => {
    const merge = new InFlightMerge<string>();
    const failing: AbortableCall<string> = { answer: Promise.reject(new Error('subgraph down')), abort: () => {} };
    const results = await Promise.allSettled([merge.run('k', undefined, () => failing), merge.run('k', undefined, () => failing)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(merge.size).toBe(0);
  });

  it('lets a caller whose client left stop waiting, and aborts the request only when no caller waits any more', async () => {
    const merge = new InFlightMerge<string>();
    const call = manualCall<string>();
    const [a, b] = [new AbortController(), new AbortController()];
    const first = merge.run('k', a.signal, () => call);
    const second = merge.run('k', b.signal, () => call);
    a.abort();
    await expect(first).rejects.toBeInstanceOf(CallerGoneError);
    expect(call.aborted).toBeUndefined();
    b.abort();
    await expect(second).rejects.toBeInstanceOf(CallerGoneError);
    expect(call.aborted).toBeInstanceOf(CallerGoneError);
    // Abandoned: the next identical request is sent afresh.
    expect(merge.size).toBe(0);
  });

  it('never aborts a request a caller without a signal waits for', async () => {
    const merge = new InFlightMerge<string>();
    const call = manualCall<string>();
    const gone = new AbortController();
    const leaving = merge.run('k', gone.signal, () => call);
    const staying = merge.run('k', undefined, () => call);
    gone.abort();
    await expect(leaving).rejects.toBeInstanceOf(CallerGoneError);
    expect(call.aborted).toBeUndefined();
    call.resolve('still wanted');
    expect(await staying).toBe('still wanted');
  });

  it('aborts a request sent alone when its caller leaves, even one that had already left', async () => {
    const call = manualCall<string>();
    const gone = new AbortController();
    const answer = runAlone(gone.signal, call);
    gone.abort();
    await expect(answer).rejects.toBeInstanceOf(CallerGoneError);
    expect(call.aborted).toBeInstanceOf(CallerGoneError);

    const late = manualCall<string>();
    await expect(runAlone(AbortSignal.abort(), late)).rejects.toBeInstanceOf(CallerGoneError);
    expect(late.aborted).toBeInstanceOf(CallerGoneError);
  });
});
