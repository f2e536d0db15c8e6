/**
 * Downloads a file served by one of the app's resource routes. Fetched (not a plain link) so that inside the
 * Shopify admin the request carries the session token App Bridge adds to fetch(); the name comes from the
 * route's Content-Disposition.
 */
export async function downloadFromApp(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const disposition = res.headers.get("content-disposition") ?? "";
  const objectUrl = URL.createObjectURL(await res.blob());
  const link = Object.assign(document.createElement("a"), {
    href: objectUrl,
    download: /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName,
  });
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}
