import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { services } from "./context.server";

export const streamTimeout = 5000;

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  // CSP frame-ancestors and the other headers Shopify requires of embedded apps.
  const s = services();
  s.shopify.addDocumentResponseHeaders(request, responseHeaders);
  // The library preloads App Bridge whenever ?shop= is present; outside the admin (demo) it is never used.
  if (s.env.DEV_SIGN_IN) responseHeaders.delete("Link");
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";
  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        if (error instanceof Error) process.stderr.write(`${error.stack ?? error.message}\n`);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
