import { AppError } from '../../core/errors';
import type { Core } from '../../core/core';
import { escapeHtml } from './template-engine';

/** Debian's Chromium, used for print-to-PDF outside Electron (CLI, tests, benchmarks). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The footer printed on every PDF page: report id, classification, the
 * custody checkpoint in one line (so a single printed page still names what
 * to verify) and "page X of Y". Chromium's header/footer templates fill `pageNumber` and
 * `totalPages`; Electron's printToPDF uses the same template language.
 */
export function footerHtml(reportId: string, tlpLabel: string, custodyNote: string | null = null): string {
  const style =
    'font-family: DejaVu Sans, Arial, sans-serif; font-size: 7.5pt; color: #5a6270; width: 100%; margin: 0 16mm; display: flex; justify-content: space-between;';
  return `<div style="${style}"><span>Report ${escapeHtml(reportId)} · ${escapeHtml(tlpLabel)}${custodyNote ? ` · ${escapeHtml(custodyNote)}` : ''}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

/**
 * Prints self-contained report HTML to PDF: with Electron's printToPDF in the
 * app (`core.printToPdf`), otherwise with headless Chromium through
 * playwright-core. JavaScript is disabled and every network request is
 * refused, so the page renders exactly the HTML it was given.
 */
export async function htmlToPdf(core: Pick<Core, 'printToPdf' | 'env'>, html: string, footer: string): Promise<Buffer> {
  if (core.printToPdf) return Buffer.from(await core.printToPdf(html, { footerHtml: footer }));
  const { chromium } = await import('playwright-core');
  const executablePath = core.env.LARIAT_CHROMIUM ?? CHROMIUM_PATH;
  let browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new AppError(
      'pdf-unavailable',
      `Lariat could not start Chromium (${executablePath}) to print the PDF: ${(err as Error).message.split('\n')[0]}.`,
      'Install Chromium (Debian: apt-get install chromium) or set LARIAT_CHROMIUM to its path; the HTML report works without it.',
      { cause: err },
    );
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footer,
      margin: { top: '18mm', bottom: '20mm', left: '16mm', right: '16mm' },
    });
    return pdf;
  } finally {
    await browser.close();
  }
}
