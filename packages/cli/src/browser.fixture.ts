// Debian's chromium driven by playwright-core (no browser download: these
// machines cannot reach one), for the tests that check the page as a person
// sees it; screenshots go where the READMEs show them.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
export const CHROMIUM_MISSING = CHROMIUM === undefined ? "no chromium at /usr/bin/chromium; apt-get install chromium" : undefined;
const ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const SCREENSHOTS = fileURLToPath(new URL("../../web/screenshots/", import.meta.url));

export function launchBrowser(): Promise<Browser> {
  if (CHROMIUM === undefined) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A page the size of a laptop screen that fails the test if event text ever runs as script. */
export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("dialog", () => {
    throw new Error("a dialog opened: event text ran as script");
  });
  return page;
}
