import { IntegrationError } from "@workway/core"

/** The first Notion-Version with data sources. */
export const dataSourcesVersion = "2025-09-03"

/** The first Notion-Version that names the trash `in_trash` rather than `archived`. */
export const inTrashVersion = "2026-03-11"

/** Whether a Notion-Version (`YYYY-MM-DD`) is `since` or later. */
export const atLeast = (version: string, since: string): boolean => version >= since

/** The failure of a data source call made with a Notion-Version before data sources. */
export const withoutDataSources = (call: string, version: string): IntegrationError =>
  new IntegrationError({
    service: "notion",
    call,
    reason: "Invalid",
    attempts: 0,
    code: "version_without_data_sources",
    detail:
      `data sources need Notion-Version ${dataSourcesVersion} or later, and this client ` +
      `sends ${version}; use databases.query, or set NOTION_VERSION`
  })
