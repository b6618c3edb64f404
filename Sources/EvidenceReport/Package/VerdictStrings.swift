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

  // MARK: - What differs (the lines under "not intact")

  var noManifest: String {
    pick(
      "INTE GODKÄNT: manifest.json saknas eller är inte ett bevispakets manifest.",
      "NOT INTACT: manifest.json is missing or is not an evidence package manifest.")
  }

  func manifestUnreadable(_ why: String) -> String {
    pick("INTE GODKÄNT: manifest.json kan inte läsas: \(why).", "NOT INTACT: manifest.json cannot be read: \(why).")
  }

  func impossibleManifest(_ why: String) -> String {
    pick(
      "INTE GODKÄNT: manifest.json är inte ett bevispakets manifest (\(why)).",
      "NOT INTACT: manifest.json is not an evidence package manifest: \(why).")
  }

  var badManifestSignature: String {
    pick(
      "manifest.sig är ingen giltig signatur av manifest.json: manifestet har ändrats eller förfalskats.",
      "manifest.sig is not a valid signature of manifest.json: the manifest was changed or forged.")
  }

  var badHeadSignature: String {
    pick(
      "Signaturen av dagbokens senaste post i manifest.json är inte giltig: den har ändrats eller förfalskats.",
      "The signature of the journal's head in manifest.json is not valid: the head was changed or forged.")
  }

  var noRecords: String {
    pick("records.json saknas eller kan inte läsas.", "records.json is missing or cannot be read.")
  }

  var sumsDisagree: String {
    pick(
      "SHA256SUMS listar inte samma filer och kontrollsummor som manifest.json.",
      "SHA256SUMS does not list the same files and hashes as manifest.json.")
  }

  var pemDisagrees: String {
    pick(
      "signing-key.pem är inte den nyckel som manifest.json anger.",
      "signing-key.pem is not the key that manifest.json names.")
  }

  func missing(_ path: String) -> String { pick("\(path) saknas.", "\(path) is missing.") }

  func changed(_ path: String) -> String {
    pick("\(path) har ändrats (dess SHA-256 skiljer sig).", "\(path) was changed (its SHA-256 differs).")
  }

  func unreadable(_ path: String, _ why: String) -> String {
    pick("\(path) kan inte läsas: \(why).", "\(path) cannot be read: \(why).")
  }

  func added(_ path: String) -> String {
    pick("\(path) har lagts till: den finns inte i manifestet.", "\(path) was added: it is not in the manifest.")
  }

  func recordChanged(_ sequence: UInt64) -> String {
    pick(
      "Post \(sequence) i records.json stämmer inte med sin kontrollsumma: den har ändrats.",
      "Record \(sequence) in records.json does not match its leaf: it was changed.")
  }

  var chainBroken: String {
    pick(
      "Posterna hänger inte ihop fram till den signerade senaste posten: poster har lagts till, tagits bort eller hämtats från en annan dagbok.",
      "The records do not chain to the signed head: records were added, removed or taken from another vault.")
  }

  func dossierDiffers(_ place: String) -> String {
    pick(
      "dossier.txt säger inte vad posterna i records.json säger\(place).",
      "dossier.txt does not say what the records in records.json say\(place).")
  }

  func place(page: Int, line: Int?) -> String {
    if let line { return pick(", först på sida \(page), rad \(line)", ", first on page \(page), line \(line)") }
    return pick(", först på sida \(page)", ", first on page \(page)")
  }

  func notACode(_ text: String) -> String {
    pick(
      "\"\(text)\" är ingen ankarkod (den ser ut som 17-R2H5Y-AMC00-SFHCY-VVE1R-HGKAQ-41E7N).",
      "\"\(text)\" is not an anchor code (it looks like 17-R2H5Y-AMC00-SFHCY-VVE1R-HGKAQ-41E7N).")
  }

  func anchorBeyond(_ code: String, _ sequence: UInt64, _ last: UInt64) -> String {
    pick(
      "Ankarkoden \(code) stämmer inte: den omfattar \(sequence) poster, men dagboken hade \(last) när den exporterades.",
      "Anchor \(code) does not match: it covers \(sequence) records but the journal had \(last) when exported.")
  }

  func anchorDamaged(_ code: String, _ sequence: UInt64) -> String {
    pick(
      "Ankarkoden \(code) kan inte kontrolleras: post \(sequence), där den slutar, är skadad i dagboken och finns inte i detta utdrag.",
      "Anchor \(code) cannot be checked: record \(sequence), where it ends, is damaged in the vault and not in this export."
    )
  }

  func anchorDiffers(_ code: String, _ sequence: UInt64) -> String {
    pick(
      "Ankarkoden \(code) stämmer inte: dagboken fram till post \(sequence) skiljer sig från när koden skapades, eller så kommer koden från en annan dagbok.",
      "Anchor \(code) does not match: the journal up to record \(sequence) differs from when the code was made, or the code is from another vault."
    )
  }
}
