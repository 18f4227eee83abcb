import { browserSafe, config } from "@telemetry/eslint-config";

export default [...config, ...browserSafe];
