import Foundation

/// `HOW-TO-VERIFY.txt` and `HUR-DU-KONTROLLERAR.txt`: the three ways to check a package, in plain words, for someone
/// who has never seen this program: with our verifier; by hand with `sha256sum` (or `certutil`, `Get-FileHash`) and
/// `openssl`; by eye for one exhibit.
///
/// The texts never tell the reader to compare the fingerprint with one printed in the package itself: whoever
/// forged the package would have printed their own. The fingerprint to compare with comes from the person, by
/// another route (`evidence card`).
enum HowToVerify {
  static let englishName = "HOW-TO-VERIFY.txt"
  static let swedishName = "HUR-DU-KONTROLLERAR.txt"

  static func text(swedish: Bool) -> String {
    swedish ? swedishText : englishText
  }

  private static let englishText = """
    HOW TO CHECK THIS EVIDENCE PACKAGE

    This folder was exported from an encrypted evidence journal. It holds the report (dossier.txt, dossier.pdf),
    the original files (exhibits/), the journal's records (records.json) and a list of every file with its
    SHA-256 hash (manifest.json, and the same hashes in SHA256SUMS). manifest.json is signed with the journal's
    own key (manifest.sig; the public key is signing-key.pem).

    A check answers two questions:
      1. Was anything changed since the package was signed?
      2. Whose key signed it? Anyone can make a journal and sign a package. Only a fingerprint (or an anchor code)
         that you got from the person, or their advocate, by another route (in person, by phone, from a card they
         made with `evidence card`) tells you it was theirs. Do not compare with a fingerprint printed in this
         package: a forger would print their own.

    WAY 1: WITH THE VERIFIER (recommended)
      evidence verify-export FOLDER-OR-ZIP --fingerprint "xxxx xxxx xxxx xxxx xxxx xxxx xxxx xxxx"
      evidence verify-export FOLDER-OR-ZIP --anchor CODE
    It needs no passphrase and changes nothing. It says one of three things:
      INTACT AND CONFIRMED          nothing was changed, and the key is the one you were given;
      INTACT, SIGNER NOT CONFIRMED  nothing was changed, but you gave no fingerprint or anchor code to confirm
                                    the key: get one from the person and run it again;
      NOT INTACT                    something differs, and it says what.
    `evidence` is free software: the person or their advocate can give you a copy, or it can be built from its
    source code with Swift (`swift build -c release`).

    WAY 2: BY HAND, WITH STANDARD TOOLS
    In a terminal, in this folder (for a .zip, unpack it first):
      a) The signature:
           openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in manifest.json -sigfile manifest.sig
         must print "Signature Verified Successfully".
      b) Whose key: the fingerprint is the first 32 characters of
           openssl pkey -pubin -in signing-key.pem -outform DER | tail -c 32 | sha256sum
         (macOS: shasum -a 256 instead of sha256sum). Compare them, in groups of four, with the fingerprint the
         person gave you.
      c) The list of hashes: find SHA256SUMS in manifest.json (the "sha256" line after "path" : "SHA256SUMS") and
         compare it with the output of
           sha256sum SHA256SUMS
      d) Every file:
           sha256sum -c SHA256SUMS
         (macOS: shasum -a 256 -c SHA256SUMS) must say OK for every line.
    On Windows (PowerShell), for one file:
           Get-FileHash exhibits\\01-photo.jpg -Algorithm SHA256
       or, in the command prompt:
           certutil -hashfile exhibits\\01-photo.jpg SHA256
    and compare with that file's line in SHA256SUMS. openssl is included in Git for Windows.

    WAY 3: BY EYE, FOR ONE EXHIBIT
    The report lists every exhibit with its SHA-256. Compute the hash of the file in exhibits/ with one of the
    commands above and compare it with the one in the report: they must be the same, character by character.
    This shows the file is the one the report describes; ways 1 and 2 show whose journal the report came from.

    """

  private static let swedishText = """
    SÅ KONTROLLERAR DU DETTA BEVISPAKET

    Mappen är exporterad från en krypterad bevisdagbok. Den innehåller rapporten (dossier.txt, dossier.pdf),
    originalfilerna (exhibits/), dagbokens poster (records.json) och en lista över varje fil med dess
    SHA-256-kontrollsumma (manifest.json, och samma summor i SHA256SUMS). manifest.json är signerad med
    dagbokens egen nyckel (manifest.sig; den publika nyckeln är signing-key.pem).

    En kontroll besvarar två frågor:
      1. Har något ändrats sedan paketet signerades?
      2. Vems nyckel signerade det? Vem som helst kan skapa en dagbok och signera ett paket. Bara ett
         fingeravtryck (eller en ankarkod) som du har fått av personen, eller av hens ombud, på annan väg
         (personligen, per telefon, från ett kort som hen gjort med `evidence card`) visar att det var hens.
         Jämför inte med ett fingeravtryck som står i detta paket: en förfalskare skulle skriva sitt eget.

    SÄTT 1: MED KONTROLLPROGRAMMET (rekommenderas)
      evidence verify-export MAPP-ELLER-ZIP --fingerprint "xxxx xxxx xxxx xxxx xxxx xxxx xxxx xxxx" --lang sv
      evidence verify-export MAPP-ELLER-ZIP --anchor KOD --lang sv
    Det behöver ingen lösenfras och ändrar ingenting. Det säger ett av tre besked:
      OFÖRÄNDRAT OCH BEKRÄFTAT         inget har ändrats, och nyckeln är den du fick;
      OFÖRÄNDRAT, AVSÄNDAREN EJ BEKRÄFTAD  inget har ändrats, men du angav inget fingeravtryck eller ingen
                                       ankarkod som bekräftar nyckeln: be personen om en och kör igen;
      INTE GODKÄNT                     något skiljer sig, och det står vad.
    `evidence` är fri programvara: personen eller hens ombud kan ge dig en kopia, eller så kan det byggas från
    källkoden med Swift (`swift build -c release`).

    SÄTT 2: FÖR HAND, MED VANLIGA VERKTYG
    I ett terminalfönster, i denna mapp (packa först upp en .zip):
      a) Signaturen:
           openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in manifest.json -sigfile manifest.sig
         ska skriva "Signature Verified Successfully".
      b) Vems nyckel: fingeravtrycket är de första 32 tecknen av
           openssl pkey -pubin -in signing-key.pem -outform DER | tail -c 32 | sha256sum
         (macOS: shasum -a 256 i stället för sha256sum). Jämför dem, fyra tecken i taget, med fingeravtrycket
         som personen gav dig.
      c) Listan över summor: leta upp SHA256SUMS i manifest.json (raden "sha256" efter "path" : "SHA256SUMS")
         och jämför den med vad som skrivs ut av
           sha256sum SHA256SUMS
      d) Varje fil:
           sha256sum -c SHA256SUMS
         (macOS: shasum -a 256 -c SHA256SUMS) ska säga OK på varje rad.
    I Windows (PowerShell), för en fil:
           Get-FileHash exhibits\\01-photo.jpg -Algorithm SHA256
       eller i kommandotolken:
           certutil -hashfile exhibits\\01-photo.jpg SHA256
    och jämför med filens rad i SHA256SUMS. openssl följer med Git for Windows.

    SÄTT 3: MED ÖGAT, FÖR ETT BEVISFÖREMÅL
    Rapporten listar varje bevisföremål med dess SHA-256. Räkna ut summan för filen i exhibits/ med ett av
    kommandona ovan och jämför med den i rapporten: de ska vara lika, tecken för tecken. Det visar att filen är
    den som rapporten beskriver; sätt 1 och 2 visar vems dagbok rapporten kommer från.

    """
}
