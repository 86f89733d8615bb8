/**
 * The invoice font: Inter (regular and bold), embedded into every invoice PDF. PDF/A forbids
 * the unembedded standard fonts (Helvetica) that react-pdf uses by default.
 *
 * Source: the npm package `@expo-google-fonts/inter` (TrueType files of Google Fonts' Inter).
 * Licence: SIL Open Font License 1.1 (`LICENSE_FONT` in the package), which allows embedding
 * the font in documents; the documents themselves are not covered by the licence.
 */
import { createRequire } from "node:module";
import path from "node:path";

export const INVOICE_FONT = "Inter";

/** Paths of the two TrueType files, resolved from the project's node_modules. */
export function invoiceFontFiles() {
  const require = createRequire(path.join(process.cwd(), "package.json"));
  const dir = path.dirname(require.resolve("@expo-google-fonts/inter/package.json"));
  return {
    regular: path.join(dir, "400Regular", "Inter_400Regular.ttf"),
    bold: path.join(dir, "700Bold", "Inter_700Bold.ttf"),
  };
}

let registered = false;

/** Registers Inter with react-pdf once per process (its font store is global). */
export function registerInvoiceFont(font: { register: (input: { family: string; fonts: { src: string; fontWeight: number }[] }) => void }) {
  if (registered) return;
  const files = invoiceFontFiles();
  font.register({ family: INVOICE_FONT, fonts: [{ src: files.regular, fontWeight: 400 }, { src: files.bold, fontWeight: 700 }] });
  registered = true;
}
