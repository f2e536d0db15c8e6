/**
 * The pieces every filtered, paged list screen (orders, SKU mapping) shares: filters kept in the URL so a list can
 * be linked and reloaded, a search box, and the "N items · page X of Y" footer. One copy, so the screens behave alike.
 */
import { Form, useSearchParams } from "@remix-run/react";
import { Box, Button, InlineStack, Pagination, Text, TextField } from "@shopify/polaris";
import { useCallback, useState } from "react";
import { plural } from "./format";

/**
 * Sets or clears (null / "") URL search params. Any change other than the page itself goes back to page 1: the old
 * page number may not exist in the new result.
 */
export function useListParams(): [URLSearchParams, (changes: Record<string, string | null>) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === "") next.delete(k);
        else next.set(k, v);
      }
      if (!("page" in changes)) next.delete("page");
      setParams(next);
    },
    [params, setParams],
  );
  return [params, set];
}

/** A GET search form handled client-side: submitting sets `q` (trimmed, cleared when empty). */
export function ListSearch(props: { initial: string; label: string; labelHidden?: boolean; placeholder: string; minWidth: string; onSearch: (q: string | null) => void; clearable?: boolean }) {
  const { initial, label, labelHidden, placeholder, minWidth, onSearch, clearable } = props;
  const [search, setSearch] = useState(initial);
  const clear = clearable
    ? {
        clearButton: true,
        onClearButtonClick: () => {
          setSearch("");
          onSearch(null);
        },
      }
    : {};
  return (
    <Form
      method="get"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(search.trim() || null);
      }}
    >
      <InlineStack gap="200" blockAlign="end">
        <Box minWidth={minWidth}>
          <TextField label={label} labelHidden={labelHidden} value={search} onChange={setSearch} autoComplete="off" placeholder={placeholder} {...clear} />
        </Box>
        <Button submit>Search</Button>
      </InlineStack>
    </Form>
  );
}

/** "12 orders · page 1 of 2" and the previous/next buttons under a list. */
export function ListFooter({ total, noun, page, pageCount, onPage }: { total: number; noun: string; page: number; pageCount: number; onPage: (page: string) => void }) {
  return (
    <Box padding="300">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" tone="subdued">
          {`${plural(total, noun)} · page ${page} of ${pageCount}`}
        </Text>
        <Pagination hasPrevious={page > 1} onPrevious={() => onPage(String(page - 1))} hasNext={page < pageCount} onNext={() => onPage(String(page + 1))} />
      </InlineStack>
    </Box>
  );
}
