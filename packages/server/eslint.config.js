import { config } from "@telemetry/eslint-config";

export default config;
