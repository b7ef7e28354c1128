/**
 * The closed loop: the most turns a second each contender sustains with `people` people who each
 * wait for the reply before sending the next message (bench/support/load.ts). Every contender
 * runs a warm-up round, then `runs` rounds; within a round the contenders take turns in a
 * rotating order, so a slow moment of the machine does not land on one of them only.
 */
import { collectGarbage } from './load';
import { type RunRecord, type VariantFigures, figuresOf } from './results';

/** Something measured `people` x `turns` at a time: a pipeline variant or the baseline. */
export interface Contender<Key extends string = string> {
  readonly key: Key;
  readonly label: string;
  run(round: string): Promise<RunRecord>;
}

export async function measureClosedLoop<Key extends string>(
  contenders: readonly Contender<Key>[],
  options: { readonly runs: number; readonly people: number },
  progress: (line: string) => void,
): Promise<Partial<Record<Key, VariantFigures>>> {
  const records = new Map<Key, RunRecord[]>(contenders.map((c) => [c.key, []]));
  for (const contender of contenders) {
    progress(`closed loop, warm-up: ${contender.label}`);
    await contender.run('warmup');
    collectGarbage();
  }
  for (let run = 1; run <= options.runs; run++) {
    const order = contenders.map((_, index) => contenders[(index + run) % contenders.length]!);
    for (const contender of order) {
      progress(`closed loop, run ${run}/${options.runs}: ${contender.label}`);
      records.get(contender.key)!.push(await contender.run(`run${run}`));
      collectGarbage();
    }
  }
  return Object.fromEntries(
    contenders.map((c) => [c.key, figuresOf(c.label, records.get(c.key)!, options.people)]),
  ) as Partial<Record<Key, VariantFigures>>;
}
