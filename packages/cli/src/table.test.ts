import { describe, expect, it } from "vitest";
import { createColors } from "./color.js";
import { renderTable } from "./table.js";

describe("renderTable", () => {
  it("pads every column to its widest cell and right-aligns numbers", () => {
    const table = renderTable(
      [{ header: "model" }, { header: "calls", align: "right" }, { header: "cost", align: "right" }],
      [
        ["gpt-4o", "3", "$0.1200"],
        ["claude-3.5-sonnet", "12", "$1.0000"],
      ],
    );
    expect(table.split("\n")).toEqual([
      "model              calls     cost",
      "-----------------  -----  -------",
      "gpt-4o                 3  $0.1200",
      "claude-3.5-sonnet     12  $1.0000",
    ]);
  });

  it("measures non-ASCII text in characters so columns stay aligned", () => {
    const lines = renderTable([{ header: "agent" }, { header: "n", align: "right" }], [["café", "1"], ["ab", "22"]]).split("\n");
    expect(lines[2]).toBe("café    1");
    expect(lines[3]).toBe("ab     22");
  });

  it("keeps alignment when the header is colored", () => {
    const colors = createColors({ stream: { write: () => true, isTTY: true }, env: {}, flag: "auto" });
    const lines = renderTable([{ header: "a" }, { header: "b" }], [["xxx", "y"]], colors).split("\n");
    expect(lines[0]).toBe("\u001b[1ma    b\u001b[22m");
    expect(lines[2]).toBe("xxx  y");
  });

  it("renders a header and rule for an empty table", () => {
    expect(renderTable([{ header: "run" }], [])).toBe("run\n---");
  });
});
