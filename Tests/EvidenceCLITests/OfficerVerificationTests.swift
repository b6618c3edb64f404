import Foundation
import Testing

/// The officer's check, end to end: the card the person hands over, and `verify-export` with its fingerprint or
/// anchor code, against the real package and against one made from another vault under the same name.
@Suite("The officer's verification: card, fingerprint, anchor codes, exit codes")
struct OfficerVerificationTests {
  static func fingerprint(inCard card: String) throws -> String {
    let line = try #require(card.split(separator: "\n").first { $0.hasPrefix("Fingerprint:") })
    return line.dropFirst("Fingerprint:".count).trimmingCharacters(in: .whitespaces)
  }

  static func exported(_ vault: TestVault, title: String) throws -> URL {
    try vault.addEntry(when: "igår 22:30", title: title, narrative: "Han sa att han vet var min syster bor.")
    let out = vault.root.appendingPathComponent("dossier")
    try vault.succeed(["export", "--out", out.path, "--lang", "sv", "--zip", "--name", "Anna Andersson"])
    return vault.root.appendingPathComponent("dossier.zip")
  }

  @Test("The card's fingerprint confirms the real export and rejects one from another vault under the same name")
  func theCardsFingerprintConfirmsTheRealExportOnly() throws {
    let person = try TestVault()
    defer { person.remove() }
    let real = try Self.exported(person, title: "Hot i trapphuset")
    let card = try person.succeed(["card", "--lang", "en"]).stdout
    #expect(card.contains("Anchor code:    none yet"), "\(card)")
    let fingerprint = try Self.fingerprint(inCard: card)
    let cardSv = try person.succeed(["card", "--lang", "sv"]).stdout
    #expect(cardSv.contains("Fingeravtryck:  \(fingerprint)"), "\(cardSv)")

    let binary = try EvidenceRunner.binary()
    let confirmed = try EvidenceRunner.run(binary, ["verify-export", real.path, "--fingerprint", fingerprint])
    #expect(confirmed.exitCode == 0, "\(confirmed)")
    #expect(confirmed.stdout.hasPrefix("OFÖRÄNDRAT OCH BEKRÄFTAT"), "\(confirmed)")
    let english = try EvidenceRunner.run(
      binary, ["verify-export", real.path, "--fingerprint", fingerprint, "--lang", "en"])
    #expect(english.stdout.hasPrefix("INTACT AND CONFIRMED"), "\(english)")

    // Someone makes a second vault, writes a false journal under the same name and exports it.
    let forger = try TestVault()
    defer { forger.remove() }
    let forged = try Self.exported(forger, title: "Hot i trapphuset")
    let rejected = try EvidenceRunner.run(
      binary, ["verify-export", forged.path, "--fingerprint", fingerprint, "--lang", "en"])
    #expect(rejected.exitCode == 1, "\(rejected)")
    #expect(rejected.stdout.contains("It was signed by a different key"), "\(rejected)")
    let unconfirmed = try EvidenceRunner.run(binary, ["verify-export", forged.path, "--lang", "en"])
    #expect(unconfirmed.exitCode == 0, "\(unconfirmed)")
    #expect(unconfirmed.stdout.hasPrefix("INTACT, SIGNER NOT CONFIRMED"), "\(unconfirmed)")
  }

  @Test("An anchor code from the card confirms the key; a mistyped or swapped one is a mistake (exit 2)")
  func anchorCodesFromTheCard() throws {
    let person = try TestVault()
    defer { person.remove() }
    try person.addEntry(when: "igår 22:30", title: "Hot", narrative: "Han hotade mig.")
    let code = String(try person.succeed(["anchor"]).stdout.split(separator: "\n")[0])
    let card = try person.succeed(["card", "--lang", "en"]).stdout
    #expect(card.contains("Anchor code:    \(code)"), "\(card)")
    let out = person.root.appendingPathComponent("dossier")
    try person.succeed(["export", "--out", out.path, "--lang", "en", "--format", "txt"])
    let binary = try EvidenceRunner.binary()

    let confirmed = try EvidenceRunner.run(binary, ["verify-export", out.path, "--anchor", code])
    #expect(confirmed.exitCode == 0, "\(confirmed)")
    #expect(confirmed.stdout.hasPrefix("INTACT AND CONFIRMED"), "\(confirmed)")

    var changed = Array(code)
    let position = changed.count - 4
    changed[position] = changed[position] == "Q" ? "R" : "Q"
    var swapped = Array(code)
    let left = swapped.count - 3
    if swapped[left] == swapped[left + 1] { swapped.swapAt(left - 1, left) } else { swapped.swapAt(left, left + 1) }
    for typo in [String(changed), String(swapped)] {
      let result = try EvidenceRunner.run(binary, ["verify-export", out.path, "--anchor", typo])
      expectCleanFailure(result, exitCode: 2, messageContains: ["mistyped"])
      #expect(result.stdout.isEmpty, "nothing is checked with a mistyped code: \(result)")
    }
    let badFingerprint = try EvidenceRunner.run(binary, ["verify-export", out.path, "--fingerprint", "5b44 19c0"])
    expectCleanFailure(badFingerprint, exitCode: 2, messageContains: ["is not a vault fingerprint"])
    let noSuchPath = try EvidenceRunner.run(binary, ["verify-export", person.root.appendingPathComponent("nope").path])
    expectCleanFailure(noSuchPath, exitCode: 2, messageContains: ["There is no file or folder"])
    let notAPackage = try EvidenceRunner.run(binary, ["verify-export", person.root.path, "--lang", "sv"])
    expectCleanFailure(notAPackage, exitCode: 2, messageContains: ["är inget bevispaket"])
  }

  @Test("A PDF-only export says that the report's text was not compared with the records, and why")
  func aPDFOnlyExportSaysItWasNotCompared() throws {
    let person = try TestVault()
    defer { person.remove() }
    try person.addEntry(when: "igår 22:30", title: "Hot", narrative: "Han hotade mig.")
    let out = person.root.appendingPathComponent("dossier")
    try person.succeed(["export", "--out", out.path, "--lang", "en", "--format", "pdf"])
    let verified = try EvidenceRunner.run(try EvidenceRunner.binary(), ["verify-export", out.path])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.contains("dossier.pdf was not compared with the records"), "\(verified)")
  }
}
