/** "1 Rechnung", "2 Rechnungen", "0 Rechnungen": the count with the right German noun form. */
export function plural(count: number, singular: string, pluralForm: string): string {
  return `${count.toLocaleString("de-DE")} ${count === 1 ? singular : pluralForm}`;
}
