/**
 * Runs the official e-invoice validation (`../shared/einvoice-validation/validate.sh`: UBL 2.1 / CII D16B
 * XSD, CEN EN 16931 Schematron, KoSIT XRechnung 3.0 Schematron, PDF/A-3 + Factur-X structure checks) on
 * many files in one call and parses its machine-readable SUMMARY lines. The kit stays where it is (beside
 * the project); it is never copied in.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const projectRoot = path.resolve(__dirname, "../..");
export const VALIDATE_SH = path.resolve(projectRoot, "../shared/einvoice-validation/validate.sh");

export type ValidationSummary = {
  file: string;
  type: string;
  xsdFatal: number;
  enFatal: number;
  enWarn: number;
  xrFatal: number;
  xrWarn: number;
  xrDeclared: boolean;
  pdfChecksFailed: boolean;
  /** The finding lines of this file, each with its layer: "en16931: [warning] BR-… message (at …)", "pdf: FAIL …". */
  findings: string[];
};

const num = (value: string | undefined) => (value === undefined || value === "-" ? Number.NaN : Number(value));

/** Parses validate.sh's output: one SUMMARY line per file, the findings in the block before it. */
export function parseValidation(stdout: string): ValidationSummary[] {
  const results: ValidationSummary[] = [];
  let findings: string[] = [];
  let layer = "file";
  for (const line of stdout.split("\n")) {
    if (line.startsWith("== ")) {
      findings = [];
      layer = "file";
    } else if (/^ {2}(PDF checks|XSD|EN16931|XRechnung)\b/.test(line)) {
      layer = ({ "PDF checks": "pdf", XSD: "xsd", EN16931: "en16931", XRechnung: "xrechnung" } as Record<string, string>)[/^ {2}(PDF checks|XSD|EN16931|XRechnung)/.exec(line)![1]!]!;
    } else if (/^\s+\[[^\]]+\] /.test(line) || /^\s+FAIL /.test(line) || /^\s+FATAL/.test(line)) findings.push(`${layer}: ${line.trim()}`);
    if (!line.startsWith("SUMMARY\t")) continue;
    const [, file, type, xsd, enF, enW, xrF, xrW, declared] = line.split("\t");
    results.push({
      file: file!,
      type: type!,
      xsdFatal: num(xsd),
      enFatal: num(enF),
      enWarn: num(enW),
      xrFatal: num(xrF),
      xrWarn: num(xrW),
      xrDeclared: (declared ?? "").startsWith("yes"),
      pdfChecksFailed: (declared ?? "").includes("pdf-checks-failed"),
      findings,
    });
  }
  return results;
}

export function validatorAvailable(): string | null {
  if (!existsSync(VALIDATE_SH)) return `${VALIDATE_SH} fehlt`;
  if (!existsSync(saxonJar())) return "Saxon-HE fehlt (apt-get install libsaxonhe-java)";
  return null;
}

const saxonJar = () => process.env.SAXON_JAR ?? "/usr/share/java/Saxon-HE.jar";

/**
 * validate.sh starts Java twice per document (EN 16931 and XRechnung Schematron), and a Saxon start
 * costs more CPU than the validation itself. The kit is used as it is; only the JVM is tuned through
 * JAVA_TOOL_OPTIONS, which changes no finding: the quick C1 compiler only (short runs never reach
 * C2), the serial collector, no JVM log lines (they would mix into Saxon's findings on stdout), and
 * a class-data archive of Saxon's loaded classes, written once by validating the kit's own sample and
 * shared by every later Java start. Measured on this machine: 3.0 s → 1.25 s CPU per Java start.
 */
function javaOptions(): string {
  const tuning = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable"];
  const archive = path.join(tmpdir(), `manage-portal-saxon-${createHash("sha256").update(readFileSync(saxonJar())).digest("hex").slice(0, 12)}.jsa`);
  if (!existsSync(archive)) {
    const sample = path.resolve(VALIDATE_SH, "../samples/cii-br-de-1-test.xml");
    const partial = `${archive}.${process.pid}`;
    spawnSync("bash", [VALIDATE_SH, sample], { env: { ...process.env, JAVA_TOOL_OPTIONS: [...tuning, `-XX:ArchiveClassesAtExit=${partial}`].join(" ") }, stdio: "ignore", timeout: 5 * 60_000 });
    if (existsSync(partial)) renameSync(partial, archive);
  }
  // Without the archive (or with a stale one) Java simply starts without it (-Xshare:auto).
  return [...tuning, ...(existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`] : [])].join(" ");
}

/** One call of validate.sh on all files (each layer compiled once and cached). */
export function validate(files: string[]): { status: number | null; stdout: string; results: ValidationSummary[] } {
  const env = { ...process.env, JAVA_TOOL_OPTIONS: [process.env.JAVA_TOOL_OPTIONS, javaOptions()].filter(Boolean).join(" ") };
  const run = spawnSync("bash", [VALIDATE_SH, ...files], { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
  if (run.error) throw run.error;
  if (run.status === 2) throw new Error(`validate.sh: falscher Aufruf oder fehlende Werkzeuge: ${run.stderr}`);
  return { status: run.status, stdout: run.stdout, results: parseValidation(run.stdout) };
}

/** 0 fatal in every layer that binds the document, and the PDF checks green. */
export function isAccepted(r: ValidationSummary) {
  return r.xsdFatal === 0 && r.enFatal === 0 && (!r.xrDeclared || r.xrFatal === 0) && !r.pdfChecksFailed && r.type !== "unknown" && r.type !== "PDF-no-xml";
}
