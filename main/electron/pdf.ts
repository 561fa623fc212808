import { BrowserWindow } from 'electron';

/** Renders self-contained report HTML to PDF in a hidden window with JavaScript disabled. */
export async function printToPdf(html: string, options: { footerHtml: string }): Promise<Uint8Array> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  try {
    await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    const pdf = await win.webContents.printToPDF({
      printBackground: true,
      pageSize: 'A4',
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: options.footerHtml,
      margins: { top: 0.6, bottom: 0.7, left: 0.6, right: 0.6 },
    });
    return new Uint8Array(pdf);
  } finally {
    win.destroy();
  }
}
