import express from "express";
import compression from "compression";
import path from "node:path";
import type { Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { logger } from "../lib/logger";

const log = logger.child({ module: "http" });

/**
 * The app's HTTP server: the Remix build behind express, static assets from build/client.
 * Remix routes reach the database and jobs through app/context.server.ts.
 */
export async function startHttpServer(opts: { port: number; host?: string; buildDir: string }): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const serverBuildPath = path.join(opts.buildDir, "server/index.js");
  const build = (await import(/* @vite-ignore */ serverBuildPath)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/assets", express.static(path.join(opts.buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(opts.buildDir, "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: build.mode }));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port, opts.host ?? "0.0.0.0", () => resolve(s));
    s.on("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const url = `http://localhost:${port}`;
  log.info("http listening", { url });
  return {
    server,
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
