import { AppError } from './errors';

export type Next = () => Promise<void>;
export type Step<C> = (ctx: C, next: Next) => Promise<void>;

/**
 * Compose steps into one, in the shape grammY and botbuilder use. Calling `next` twice from one
 * step is a bug (it would run the rest of the turn twice) and fails loudly.
 */
export function compose<C>(steps: readonly Step<C>[]): Step<C> {
  return (ctx, last) => {
    const run = async (index: number): Promise<void> => {
      const step = steps[index];
      if (!step) return last();
      let called = false;
      await step(ctx, async () => {
        if (called) throw new AppError('PIPELINE_NEXT_TWICE', `step ${index} called next() twice`);
        called = true;
        await run(index + 1);
      });
    };
    return run(0);
  };
}
