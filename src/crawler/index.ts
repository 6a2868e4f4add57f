/** The crawler's public surface: one safe fetch, its record, its errors and its overrides. */
export { createCrawler, loadCaFile, parseCrawlUrl, isHtmlContentType, CRAWLER_DEFAULTS } from './crawler.js';
export type { Crawler, CrawlerOptions, FetchOptions } from './crawler.js';
export type { FetchRecord, HttpExchange, RedirectHop, RedirectKind, TlsDetails, FetchTimings, CharsetSource } from './types.js';
export { CrawlError, isCrawlError, CRAWL_ERROR_ACTIONS } from './crawlErrors.js';
export type { CrawlErrorCode, CrawlErrorInfo } from './crawlErrors.js';
export { classifyAddress, isPublicAddress } from './addressGuard.js';
export type { AddressClass, AllowedAddress } from './addressGuard.js';
export { parseResolveRule, parseConnectToRule, systemResolver, dnsServerResolver } from './hostResolution.js';
export type { HostResolver, ResolveRule, ConnectToRule } from './hostResolution.js';
export { decodeBody, detectCharset } from './charset.js';
