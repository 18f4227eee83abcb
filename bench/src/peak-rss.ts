// How a measured child process reports its own peak RSS.
//
// Not getrusage's maxRSS: on Linux a child starts as a fork of the bench
// process, and exec carries the parent's RSS at fork time into the child's
// maxRSS, so every child would report the bench's own footprint (118 MB after
// the reader's full reads, 223 MB after the server area) whatever it used
// itself. VmHWM is the peak of the child's own address space, which exec
// creates afresh; maxRSS is the fallback where /proc is missing.

/** ES module source that defines `peakRssKb()` (kB) for a child program to call, e.g. on exit. */
export const PEAK_RSS_KB_SOURCE = `import { readFileSync as readProcFile } from "node:fs";
  const peakRssKb = () => {
    try {
      const hwm = /^VmHWM:\\s+(\\d+) kB/m.exec(readProcFile("/proc/self/status", "utf8"));
      if (hwm) return Number(hwm[1]);
    } catch {}
    return process.resourceUsage().maxRSS;
  };`;
