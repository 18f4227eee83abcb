// `pnpm bench [--quick] [--only writer,reader,compat,import]`: runs every area in one
// process on one disk, prints a table per area and writes bench/RESULTS.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sectionToMarkdown, sectionToText, type BenchArea, type BenchSection } from "./report.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string" },
  },
});

const areas: Record<string, () => Promise<BenchArea>> = {
  writer: async () => (await import("./writer-bench.js")).writerBench,
  reader: async () => (await import("./reader-bench.js")).readerBench,
  compat: async () => (await import("./compat-bench.js")).compatBench,
  import: async () => (await import("./compat-bench.js")).legacyImportBench,
  server: async () => (await import("./server-bench.js")).serverBench,
};

const selected = values.only ? values.only.split(",") : Object.keys(areas);
const dataRoot = new URL("../.data/", import.meta.url).pathname;
mkdirSync(dataRoot, { recursive: true });

function filesystemOf(dir: string): string {
  try {
    return execFileSync("df", ["-T", dir], { encoding: "utf8" }).trim().split("\n")[1]?.split(/\s+/)[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

const sections: BenchSection[] = [];
const started = Date.now();
for (const name of selected) {
  const load = areas[name];
  if (!load) throw new Error(`unknown bench area "${name}" (known: ${Object.keys(areas).join(", ")})`);
  const dir = mkdtempSync(join(dataRoot, `${name}-`));
  try {
    const area = await load();
    const section = await area({ quick: values.quick, dir });
    sections.push(section);
    console.log(`\n${sectionToText(section)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const machine = [
  `- date: ${new Date().toISOString()}`,
  `- node: ${process.version}`,
  `- cpu: ${cpus()[0]?.model ?? "unknown"} x ${cpus().length}`,
  `- filesystem: ${filesystemOf(dataRoot)} (${dataRoot})`,
  `- mode: ${values.quick ? "--quick (smoke sizes; figures are not meaningful)" : "full"}`,
  `- duration: ${((Date.now() - started) / 1000).toFixed(1)} s`,
].join("\n");
const markdown = `# Benchmark results\n\nProduced by \`pnpm bench\`. Every row sets our figure beside a baseline measured in the same run on the same disk.\n\n${machine}\n\n${sections.map(sectionToMarkdown).join("\n\n")}\n`;
// Only a full run of every area may replace the committed bench/RESULTS.md.
const partial = values.quick || values.only !== undefined;
const outPath = values.out ?? (partial ? join(dataRoot, values.quick ? "RESULTS.quick.md" : "RESULTS.partial.md") : new URL("../RESULTS.md", import.meta.url).pathname);
writeFileSync(outPath, markdown);
console.log(`\nwrote ${outPath}`);
const unmet = sections.flatMap((s) => s.goals.filter((g) => !g.met));
if (unmet.length > 0) console.log(`${unmet.length} goal(s) not met; see the table for the measured cause.`);
