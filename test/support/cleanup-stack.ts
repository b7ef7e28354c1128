/**
 * Set-up steps register their undo as they succeed; after each test the undos run in reverse,
 * whatever part of the set-up got done. Call once at the top of a test file.
 */
export function cleanupStack(): (undo: () => Promise<void>) => void {
  const undos: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const undo of undos.splice(0).reverse()) await undo();
  });
  return (undo) => {
    undos.push(undo);
  };
}
