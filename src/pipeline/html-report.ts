// The HTML report on disk: thumbnails of every sample's images (the edge), the page rendered
// from them (pure), written as `<artifact-name>.html` for an unzipped upload.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HTML_REPORT_BOUND, renderHtmlReport, type ReportSample } from '../report/html/index.ts';
import type { ReportInput } from '../report/model.ts';
import type { RunIO } from './io.ts';
import { sampleThumbnails, type ThumbnailSources } from './thumbnails.ts';

export interface HtmlReportSources extends ThumbnailSources {
  /** Every planned sample with its scores and failure. */
  readonly samples: readonly ReportSample[];
  /** `dreambench-action <version>`. */
  readonly generator: string;
}

const MAX_NAMED = 5;

export async function writeHtmlReport(
  report: ReportInput,
  sources: HtmlReportSources,
  file: string,
  io: RunIO,
): Promise<string> {
  const unreadable: string[] = [];
  const thumbnails = await sampleThumbnails(sources.samples, sources, (f) => unreadable.push(f));
  if (unreadable.length > 0) {
    const named = unreadable.slice(0, MAX_NAMED).join(', ');
    const more = unreadable.length > MAX_NAMED ? ` and ${unreadable.length - MAX_NAMED} more` : '';
    io.log.warning(
      `HTML report: ${unreadable.length} image(s) could not be read and are shown as placeholders: ${named}${more}`,
    );
  }
  const html = renderHtmlReport({
    report,
    samples: sources.samples,
    thumbnails,
    byteBound: HTML_REPORT_BOUND,
    generator: sources.generator,
  });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, html);
  io.log.info(
    `HTML report: ${file} (${sources.samples.length} samples, ${Buffer.byteLength(html)} bytes)`,
  );
  return file;
}
