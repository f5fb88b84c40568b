/**
 * The website funnel (issue: SPEC §9 funnel): the fixture site and its capture-only backend, the
 * journey defined once, its Playwright and Puppeteer page objects, the safety rails and the checks
 * on what the page sent. See each module's header for usage.
 */
export * from './selectors.js';
export * from './safety.js';
export * from './driver.js';
export * from './journey.js';
export * from './verify.js';
export { startFunnelSite, FUNNEL_PATH, type FunnelSite, type FunnelSiteOptions, type SiteEmail } from '../../standins/website/site.js';
export { startCaptureStub, type CaptureStub, type ReceivedWebhook, type StubEmail } from '../../standins/website/capture-stub.js';
export { playwrightDriver } from './drivers/playwright.js';
export { puppeteerDriver } from './drivers/puppeteer.js';
export { openBrowser, chromiumExecutable, type BrowserSession } from './browsers.js';
