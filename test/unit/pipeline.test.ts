import { compose } from '../../src/core/pipeline';

describe('compose', () => {
  it('runs steps in order, then the final continuation', async () => {
    const seen: string[] = [];
    const run = compose<string[]>([
      async (ctx, next) => {
        ctx.push('a');
        await next();
        ctx.push('a-after');
      },
      async (ctx, next) => {
        ctx.push('b');
        await next();
      },
    ]);
    await run(seen, async () => {
      seen.push('end');
    });
    expect(seen).toEqual(['a', 'b', 'end', 'a-after']);
  });

  it('stops when a step does not call next', async () => {
    const seen: string[] = [];
    const run = compose<string[]>([
      async (ctx) => void ctx.push('only'),
      async (ctx) => void ctx.push('never'),
    ]);
    await run(seen, async () => void seen.push('end'));
    expect(seen).toEqual(['only']);
  });

  it('fails loudly when a step calls next twice', async () => {
    const run = compose<object>([
      async (_ctx, next) => {
        await next();
        await next();
      },
    ]);
    await expect(run({}, async () => undefined)).rejects.toMatchObject({ code: 'PIPELINE_NEXT_TWICE' });
  });
});
