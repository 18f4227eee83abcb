// The "./parser" entry: the browser-safe chunk parser, free of Node built-ins.
export { ChunkParser, DEFAULT_MAX_LINE_BYTES, type ChunkParserOptions, type LinePrefilter, type ParsedLine } from "./chunk-parser.js";
export { parseJsonl, type ParsedText } from "./parse-text.js";
export { InvalidLineError, type InvalidLine, type InvalidLineKind } from "./invalid-line.js";
