import { enableMapSet } from 'immer';

// Immer is configured once, at start-up (the server, the command line and the tests call this): Map and
// Set drafts on. Auto-freeze stays on: a frozen state is not only protected, it is also cheaper to move
// forward, because immer skips frozen subtrees when it finalises the next state.
export function configureImmer(): void {
  enableMapSet();
}
