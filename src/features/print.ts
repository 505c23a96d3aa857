// How the spreadsheets people file print: A4 landscape, every column on the page's width (never a column on a page of
// its own), as many pages down as the rows need.
import type ExcelJS from 'exceljs';

/** The page set-up, with the left and right margins in inches (the rest fixed). */
export function a4LandscapeFittingWidth(left: number, right: number): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left, right, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
}
