/** The answer of both API doors when a suspended instance's own users reach beyond what stays open to them. */
export function suspendedMessage(reason: string | null) {
  return `Ihre Instanz ist gesperrt${reason ? `: ${reason}` : ""}. Bitte wenden Sie sich an den Support.`;
}
