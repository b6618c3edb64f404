import EvidenceVault
import Foundation

/// `evidence card`: what the person hands, apart from the export, to whoever will check it (an officer, a lawyer,
/// a support worker): the journal's fingerprint and the latest anchor code, and the one command that uses them.
///
/// It is meant to travel by another route than the export (on paper, read out on the phone, in a separate
/// message), so that a forged package cannot bring its own.
public enum CardText {
  /// The card in `language`. `anchor` is the latest anchor code with the number of records written after it.
  public static func render(
    fingerprint: String, anchor: (code: String, madeAt: String, recordsAfter: Int)?, language: DossierModel.Language,
    timeZone: TimeZone
  ) -> String {
    let strings = DossierStrings(language: language)
    let sv = language == .sv
    var lines = [
      sv ? "BEVISDAGBOK – KONTROLLUPPGIFTER" : "EVIDENCE JOURNAL – DETAILS FOR CHECKING AN EXPORT",
      "",
      sv
        ? "Ge detta till den som ska kontrollera din export (polisen, ditt ombud, en stödperson), på annat sätt än exporten: på papper, per telefon eller i ett eget meddelande."
        : "Give this to whoever will check your export (the police, your lawyer, a support worker), by another route than the export itself: on paper, by phone, or in a separate message.",
      "",
      (sv ? "Fingeravtryck:  " : "Fingerprint:    ") + fingerprint,
    ]
    if let anchor {
      let date = WhenFormatter.parseRFC3339UTC(anchor.madeAt).map {
        strings.date($0, precision: .minute, timeZone: timeZone)
      }
      lines.append((sv ? "Ankarkod:       " : "Anchor code:    ") + anchor.code)
      if let date { lines.append((sv ? "                skapad " : "                made ") + date) }
      if anchor.recordsAfter > 0 {
        lines.append(
          sv
            ? "                (\(anchor.recordsAfter) poster har skrivits efter den; `evidence anchor` gör en ny)"
            : "                (\(anchor.recordsAfter) \(anchor.recordsAfter == 1 ? "record was" : "records were") written after it; `evidence anchor` makes a new one)"
        )
      }
    } else {
      lines.append(
        sv
          ? "Ankarkod:       ingen ännu (`evidence anchor` gör en)"
          : "Anchor code:    none yet (`evidence anchor` makes one)")
    }
    lines += [
      "",
      sv ? "Så kontrollerar mottagaren exporten:" : "How the recipient checks the export:",
      "  evidence verify-export dossier.zip --fingerprint \"\(fingerprint)\"" + (sv ? " --lang sv" : ""),
      sv
        ? "Besked \"OFÖRÄNDRAT OCH BEKRÄFTAT\": inget har ändrats, och exporten kommer från denna dagbok. Utan programmet: se HUR-DU-KONTROLLERAR.txt i exporten."
        : "\"INTACT AND CONFIRMED\" means nothing was changed and the export comes from this journal. Without the program: see HOW-TO-VERIFY.txt in the export.",
    ]
    return lines.joined(separator: "\n") + "\n"
  }
}
