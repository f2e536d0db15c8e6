import path from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startStack, type Stack, type StackOptions } from "../demo/stack";
import { freePort, launchBrowser, newMerchantPage, screenshot, watchConsole } from "./browser";

/** What a browser test works with once its stack is up and the merchant is signed in. */
export interface E2eSession {
  readonly stack: Stack;
  readonly browser: Browser;
  /** One page for the whole file: tests in a file are steps of one journey and continue where the last one stopped. */
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far; tests assert it is empty (a broken page must not pass). */
  readonly problems: string[];
}

export type E2eStackOptions = Partial<Omit<StackOptions, "appPort" | "miraklPort" | "shopifyPort">>;

const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);

/**
 * The set-up every e2e file shares, registered as the file's hooks (call it once, at the top level of the file):
 * before all tests, the whole stack on free ports and an in-memory database (`options` override the defaults),
 * then `seed` (the file's own data, before any page is open), then Chromium with one merchant page watching the
 * console, signed in to the demo shop. A failing test leaves a screenshot named after the file and the test in
 * test-results/. After all tests, the browser and the stack are closed, whatever failed.
 */
export function withE2eStack(options: E2eStackOptions = {}, seed?: (stack: Stack) => Promise<void>): E2eSession {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let problems: string[] | undefined;
  let file = "e2e";

  beforeAll(async (suite) => {
    file = slug(path.basename(suite.file.name).replace(/\.e2e\.test\.ts$/, ""));
    stack = await startStack({
      appPort: await freePort(),
      miraklPort: await freePort(),
      shopifyPort: await freePort(),
      databaseUrl: "pglite:memory",
      logLevel: "warn",
      ...options,
    });
    await seed?.(stack);
    browser = await launchBrowser();
    page = await newMerchantPage(browser);
    problems = watchConsole(page);
    const res = await page.goto(stack.signInUrl);
    if (!res?.ok()) {
      await screenshot(page, `${file}-sign-in-failed`);
      throw new Error(`signing in at ${stack.signInUrl} answered HTTP ${res?.status() ?? "nothing"}`);
    }
  });

  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      // Best effort: a page that crashed cannot be photographed, and that must not hide the test's own error.
      if (page && !page.isClosed()) await screenshot(page, `${file}-failed-${slug(ctx.task.name)}`).catch(() => undefined);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e ${what} is not ready: its set-up (beforeAll) did not finish`);
    return value;
  };
  return {
    get stack() {
      return ready(stack, "stack");
    },
    get browser() {
      return ready(browser, "browser");
    },
    get page() {
      return ready(page, "page");
    },
    get problems() {
      return ready(problems, "console watch");
    },
  };
}
