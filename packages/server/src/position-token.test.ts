import { describe, expect, it } from "vitest";
import { InvalidPositionTokenError } from "./errors.js";
import { canonicalJson, decodePositionToken, encodePositionToken } from "./position-token.js";

describe("position tokens", () => {
  it("give back every source's checkpoint, whatever the order the sources were added in", () => {
    const checkpoint = { file: { dev: "1", ino: "2", head: "eyJldmVudCI6" }, offset: 10, line: 1 };
    const a = encodePositionToken(new Map<string, unknown>([["b.jsonl", checkpoint], ["a.jsonl", null]]));
    const b = encodePositionToken(new Map<string, unknown>([["a.jsonl", null], ["b.jsonl", { ...checkpoint }]]));
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = decodePositionToken(a);
    expect([...decoded]).toEqual([["a.jsonl", null], ["b.jsonl", checkpoint]]);
    // What indexes the replay buffer survives the round trip.
    expect(canonicalJson(decoded.get("b.jsonl"))).toBe(canonicalJson(checkpoint));
  });

  it("refuses a value that is not a token with a typed error naming it", () => {
    for (const bad of ["", "not a token!", Buffer.from('{"v":2,"p":[]}').toString("base64url"), Buffer.from("[1]").toString("base64url")]) {
      expect(() => decodePositionToken(bad)).toThrow(InvalidPositionTokenError);
    }
    try {
      decodePositionToken("abc");
    } catch (error) {
      expect((error as InvalidPositionTokenError).code).toBe("POSITION_TOKEN_INVALID");
      expect((error as Error).message).toContain('"abc"');
    }
  });
});
