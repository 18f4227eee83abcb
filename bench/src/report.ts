// One shape for every benchmark area: rows that set our figure beside a
// baseline from the same run, and goals that say whether they were met.

export interface BenchRow {
  /** What was measured, e.g. "durable events/s, 100 producers". */
  readonly name: string;
  readonly ours: number;
  readonly baseline: number;
  /** Who the baseline is, e.g. "raw fsync limit". */
  readonly baselineName: string;
  readonly unit: string;
}

export interface BenchGoal {
  readonly description: string;
  readonly met: boolean;
  /** The measured figures behind the verdict, or the measured cause of a gap. */
  readonly detail: string;
}

export interface BenchSection {
  readonly title: string;
  readonly rows: readonly BenchRow[];
  readonly goals: readonly BenchGoal[];
  readonly notes?: readonly string[];
}

export interface BenchContext {
  /** Tiny sizes: a smoke run that proves the suite still works (CI). */
  readonly quick: boolean;
  /** A scratch directory on the disk being measured; removed after the run. */
  readonly dir: string;
}

export type BenchArea = (context: BenchContext) => Promise<BenchSection>;

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString("en-US");
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function ratio(row: BenchRow): string {
  if (row.baseline === 0) return "n/a";
  const r = row.ours / row.baseline;
  // Latency ratios can be tiny (0.0003x) and throughput ratios large (150x): keep 3 significant digits.
  return `${r >= 100 ? Math.round(r).toLocaleString("en-US") : r.toPrecision(3)}x`;
}

export function sectionToMarkdown(section: BenchSection): string {
  const lines = [`### ${section.title}`, "", "| measurement | ours | baseline | baseline is | ratio (ours / baseline) |", "| --- | ---: | ---: | --- | ---: |"];
  for (const row of section.rows) {
    lines.push(`| ${row.name} | ${formatNumber(row.ours)} ${row.unit} | ${formatNumber(row.baseline)} ${row.unit} | ${row.baselineName} | ${ratio(row)} |`);
  }
  if (section.goals.length > 0) {
    lines.push("", "| goal | met | measured |", "| --- | --- | --- |");
    for (const goal of section.goals) lines.push(`| ${goal.description} | ${goal.met ? "yes" : "**no**"} | ${goal.detail} |`);
  }
  for (const note of section.notes ?? []) lines.push("", note);
  return lines.join("\n");
}

export function sectionToText(section: BenchSection): string {
  const header = ["measurement", "ours", "baseline", "baseline is", "ratio"];
  const body = section.rows.map((r) => [r.name, `${formatNumber(r.ours)} ${r.unit}`, `${formatNumber(r.baseline)} ${r.unit}`, r.baselineName, ratio(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const out = [`== ${section.title} ==`, fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt)];
  for (const goal of section.goals) out.push(`${goal.met ? "[met]    " : "[NOT MET]"} ${goal.description}: ${goal.detail}`);
  for (const note of section.notes ?? []) out.push(`note: ${note}`);
  return out.join("\n");
}
