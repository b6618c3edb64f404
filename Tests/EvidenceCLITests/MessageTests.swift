import Foundation
import Testing

@Suite("Saved messages: typed in, imported, listed")
struct MessageTests {
  static let validator = EvidenceRunner.packageRoot.appendingPathComponent("Tests/Support/validate_json.py")

  static let email = """
    From: =?UTF-8?Q?Marko_=C3=85berg?= <Marko@Example.se>\r
    To: anna@example.se\r
    Subject: =?UTF-8?B?RHUgc2thIGJldGFsYQ==?=\r
    Date: Sat, 28 Nov 2026 22:31:05 +0100\r
    Message-ID: <threat-1@example.se>\r
    \r
    Betala 2500 kr till fredag. Annars vet du vad som händer.\r

    """

  @Test("message add saves the exact words, linked to the person by number, and messages --json validates")
  func typedMessage() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.succeed(["person", "add", "Marko", "--phone", "070-123 45 67"])
    let text = "Du ska betala. 😠\nAnnars…\n"
    let saved = try vault.succeed(
      ["message", "add", "--channel", "sms", "--from", "0701234567", "--at", "igår 22:31", "--text-file", "-"],
      stdin: text)
    #expect(saved.stdout.contains("Saved message M1."))
    let listed = try vault.succeed(["messages", "--person", "Marko"])
    #expect(listed.stdout.contains("From: Marko (+46701234567)"))
    #expect(listed.stdout.contains("| Du ska betala. 😠"))
    let json = try vault.succeed(["messages", "--json"]).stdout
    let file = vault.root.appendingPathComponent("messages.json")
    try Data(json.utf8).write(to: file)
    let python = try #require(EvidenceRunner.onPath("python3"))
    let validated = try EvidenceRunner.run(python, [Self.validator.path, "message-list.schema.json", file.path])
    #expect(validated.exitCode == 0, "\(validated)")
    let items = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    let message = try #require(items.first?["message"] as? [String: Any])
    #expect(message["text"] as? String == "Du ska betala. 😠\nAnnars…")
    #expect((message["from"] as? [String: Any])?["address"] as? String == "+46701234567")
    try vault.addEntry(when: "igår 22:00", title: "Threats by SMS", narrative: "He kept writing.")
    try vault.succeed(
      [
        "message", "add", "--channel", "sms", "--from", "Marko", "--at", "igår 22:40", "--entry", "1", "--text-file",
        "-",
      ],
      stdin: "Sista varningen.")
    let shown = try vault.succeed(["show", "1"]).stdout
    #expect(shown.contains("Messages:") && shown.contains("| Sista varningen."), "\(shown)")
    #expect(!shown.contains("Du ska betala"), "a message of no entry was shown under #1: \(shown)")
    // A new number for Marko: a message from it is his from then on.
    let amended = try vault.succeed(["person", "amend", "Marko", "--phone", "073-555 12 34", "--alias", "M"])
    #expect(amended.stdout.contains("+46735551234"), "\(amended)")
    try vault.succeed(
      ["message", "add", "--channel", "sms", "--from", "0735551234", "--at", "igår 23:00", "--text-file", "-"],
      stdin: "Ny telefon.")
    let fromNewNumber = try vault.succeed(["messages", "--person", "M"]).stdout
    #expect(fromNewNumber.contains("From: Marko (+46735551234)") && fromNewNumber.contains("| Ny telefon."))
    let unchanged = try vault.run(["person", "amend", "Marko", "--phone", "0735551234"])
    expectCleanFailure(unchanged, exitCode: 2, messageContains: ["Nothing was changed"])
    let bad = try vault.run(["message", "add", "--channel", "pigeon", "--at", "igår", "--text-file", "-"], stdin: "x")
    expectCleanFailure(bad, exitCode: 2, messageContains: ["--channel"])
  }

  @Test("An e-mail import keeps the message and the file, adds nothing the second time, and a bad file changes nothing")
  func emailImport() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let mail = vault.root.appendingPathComponent("threat.eml")
    try Data(Self.email.utf8).write(to: mail)
    let first = try vault.succeed(["import", "email", mail.path, "--create-people"])
    #expect(first.stdout.contains("1 new, 0 already in the vault, 0 skipped by filter."), "\(first)")
    #expect(first.stdout.contains("Added Marko Åberg"), "\(first)")
    let second = try vault.succeed(["import", "email", mail.path])
    #expect(second.stdout.contains("0 new, 1 already in the vault, 0 skipped by filter."), "\(second)")
    let listed = try vault.succeed(["messages", "--channel", "email"])
    #expect(listed.stdout.contains("Subject: Du ska betala"))
    #expect(listed.stdout.contains("From: Marko Åberg (marko@example.se)"))
    #expect(listed.stdout.contains("| Betala 2500 kr till fredag. Annars vet du vad som händer."))
    let exhibits = try vault.succeed(["attachments"]).stdout
    #expect(exhibits.contains("threat.eml"), "\(exhibits)")

    let before = try vault.snapshot()
    let garbage = vault.root.appendingPathComponent("garbage.eml")
    try Data("this is not an e-mail\n".utf8).write(to: garbage)
    let refused = try vault.run(["import", "email", garbage.path])
    expectCleanFailure(refused, exitCode: 2, messageContains: ["garbage.eml", "not an e-mail header"])
    #expect(refused.stderr.contains("Nothing was imported"))
    #expect(try vault.snapshot() == before)
  }
}
