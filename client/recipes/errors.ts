// Recipe failures: one class with stable codes. ZooKeeper errors from the
// client pass through unchanged (they carry their own definite/indefinite
// classification); these are the outcomes that belong to a recipe itself.
export type RecipeErrorCode =
  /** The wait ended before the recipe's condition held (the recipe cleaned up after itself). */
  | 'TIMEOUT'
  /** The session expired (or the client was closed) while the recipe needed it: what it held is gone. */
  | 'SESSION_LOST'
  /** The recipe was used in a state that does not allow the call (release without a hold, start twice…). */
  | 'ILLEGAL_STATE'
  /** An outcome the recipe could not resolve (e.g. a dequeue whose receipt vanished with its session). */
  | 'INDEFINITE';

export class RecipeError extends Error {
  constructor(readonly code: RecipeErrorCode, readonly recipe: string, detail: string) {
    super(`${recipe}: ${code}: ${detail}`);
    this.name = 'RecipeError';
  }
}

export function isRecipeError(e: unknown, code?: RecipeErrorCode): e is RecipeError {
  return e instanceof RecipeError && (code === undefined || e.code === code);
}
