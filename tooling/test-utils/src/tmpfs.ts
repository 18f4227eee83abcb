// A real size-limited tmpfs for disk-full tests. Mounting needs root (or
// CAP_SYS_ADMIN); callers skip with the returned reason where it cannot run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TmpfsHandle {
  readonly dir: string;
  unmount(): void;
}

/** Mounts a tmpfs of `sizeBytes`; returns the handle, or a string saying why it cannot. */
export function withTmpfs(sizeBytes: number): TmpfsHandle | string {
  const dir = mkdtempSync(join(tmpdir(), "telemetry-tmpfs-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes}`, "tmpfs", dir], { stdio: "pipe" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return `needs permission to mount a tmpfs (root or CAP_SYS_ADMIN): ${detail}`;
  }
  let mounted = true;
  return {
    dir,
    unmount() {
      if (!mounted) return;
      mounted = false;
      execFileSync("umount", ["-l", dir], { stdio: "pipe" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
