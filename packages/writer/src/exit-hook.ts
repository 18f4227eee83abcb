// One process "exit" listener shared by every open writer, so events emitted
// without awaiting still reach the file when the process exits normally or
// through process.exit(). Exit listeners must be synchronous.

const hooks = new Set<() => void>();

function runHooks(): void {
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // The process is exiting; one writer's failure must not stop the others.
    }
  }
}

/** Runs `hook` synchronously when the process exits, until removed. */
export function addExitHook(hook: () => void): void {
  if (hooks.size === 0) process.on("exit", runHooks);
  hooks.add(hook);
}

export function removeExitHook(hook: () => void): void {
  hooks.delete(hook);
  if (hooks.size === 0) process.off("exit", runHooks);
}
