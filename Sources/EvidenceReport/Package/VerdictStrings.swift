import Foundation

/// The verdict of `verify-export` in Swedish and English, in words an officer understands: what was checked and
/// whose key it was, without the words of the format ("leaf", "signed head"), which go into the details.
struct VerdictStrings {
  let language: DossierModel.Language

  private func pick(_ swedish: String, _ english: String) -> String { language == .sv ? swedish : english }

  func confirmed(_ fingerprint: String) -> String {
    pick(
      "OFÖRÄNDRAT OCH BEKRÄFTAT: inget i detta paket har ändrats sedan det signerades, och nyckeln som signerade det är den du angav (fingeravtryck \(fingerprint)).",
      "INTACT AND CONFIRMED: nothing in this package was changed since it was signed, and the key that signed it is the one you gave (fingerprint \(fingerprint))."
    )
  }

  var unconfirmed: [String] {
    [
      pick(
        "OFÖRÄNDRAT, AVSÄNDAREN EJ BEKRÄFTAD: inget i detta paket har ändrats sedan det signerades, men vem som helst kan signera ett paket, och inget du angav bekräftar vems nyckel som signerade detta.",
        "INTACT, SIGNER NOT CONFIRMED: nothing in this package was changed since it was signed, but anyone can sign a package, and nothing you gave confirms whose key signed this one."
      ),
      pick(
        "Så bekräftar du det: be personen eller hens ombud om dagbokens fingeravtryck eller en ankarkod på annan väg (personligen, per telefon; `evidence card` skriver ut båda) och kör kontrollen igen med --fingerprint \"…\" eller --anchor KOD. Jämför inte med ett fingeravtryck som står i själva paketet.",
        "To confirm it: get the journal's fingerprint or an anchor code from the person or their advocate by another route (in person, by phone; `evidence card` prints both), then run this again with --fingerprint \"…\" or --anchor CODE. Do not compare with a fingerprint printed in the package itself."
      ),
    ]
  }

  func notIntact(_ count: Int) -> String {
    pick(
      "INTE GODKÄNT: \(count == 1 ? "1 avvikelse" : "\(count) avvikelser") hittades; vad som skiljer sig står nedan.",
      "NOT INTACT: \(count == 1 ? "1 problem" : "\(count) problems") found; what differs is listed below.")
  }

  func differentKey(signer: String, expected: String) -> String {
    pick(
      "Det signerades av en annan nyckel: dess fingeravtryck är \(signer), inte \(expected) som du angav. Det kommer inte från den dagbok du väntade dig.",
      "It was signed by a different key: its fingerprint is \(signer), not \(expected) as given. It was not made from the journal you expected."
    )
  }

  var details: String { pick("Detaljer (på engelska):", "Details:") }

  func noSuchPath(_ path: String) -> String {
    pick(
      "Det finns ingen fil eller mapp \(path): kontrollera sökvägen och försök igen.",
      "There is no file or folder \(path): check the path and try again.")
  }

  func notAPackageFolder(_ path: String) -> String {
    pick(
      "\(path) är inget bevispaket: mappen innehåller ingen manifest.json, records.json eller dossier.txt. Ange mappen som exporten skrev, eller dess .zip.",
      "\(path) is not an evidence package: it holds no manifest.json, records.json or dossier.txt. Give the folder that export wrote, or its .zip."
    )
  }

  func notAPackageFile(_ path: String) -> String {
    pick(
      "\(path) är inget bevispaket: det är varken en paketmapp eller ett zip-arkiv.",
      "\(path) is not an evidence package: it is neither a package folder nor a zip archive.")
  }
}
