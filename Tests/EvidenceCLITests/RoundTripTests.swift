import Foundation
import Testing

@Suite("A journal kept with the evidence command")
struct RoundTripTests {
  @Test("Init, a person, two entries, list in order of happening, show, amend with history, and verify")
  func roundTrip() throws {
    let vault = try TestVault(initialize: false)
    defer { vault.remove() }

    let created = try vault.run(["init", "--kdf", "interactive"])
    #expect(created.exitCode == 0, "\(created)")
    #expect(created.stdout.contains("Created a new vault at \(vault.folder.path)"), "\(created)")
    #expect(created.stdout.contains("Vault fingerprint: "), "\(created)")

    let person = try vault.succeed(
      ["person", "add", "Marko", "--phone", "070-123 45 67", "--alias", "M", "--relation", "recruiter"])
    #expect(person.stdout.contains("Saved Marko."), "\(person)")

    // Written first, but it happened later (yesterday evening) than the second entry (yesterday morning).
    let yesterday = yesterdayDate()
    let narrative =
      "Han sa att jag är skyldig honom 20 000 kr.\nHe said I owe him and that he knows where my sister lives."
    let first = try vault.addEntry(
      when: "\(yesterday) 22:30", title: "Threats in the stairwell", narrative: narrative + "\n",
      extra: ["--where", "Storgatan 5, Malmö", "--category", "threat", "--person", "M"])
    #expect(first == 1)
    let second = try vault.addEntry(
      when: "igår 10:00", title: "Passport kept at the office", narrative: "He would not give my passport back.",
      extra: ["--category", "documents-taken"])
    #expect(second == 2)

    let listed = try vault.succeed(["list"])
    let lines = listed.stdoutLines
    try #require(lines.count == 2, "\(listed)")
    #expect(lines[0].hasPrefix("#2 "), "the earlier incident comes first: \(listed)")
    #expect(lines[0].contains("\(yesterday) 10:00"), "\(listed)")
    #expect(lines[0].contains("Passport kept at the office"), "\(listed)")
    #expect(lines[1].hasPrefix("#1 "), "\(listed)")
    #expect(lines[1].contains("\(yesterday) 22:30"), "\(listed)")
    #expect(lines[1].contains("Threats in the stairwell — Storgatan 5, Malmö"), "\(listed)")
    #expect(!listed.stdout.contains("(amended)"), "\(listed)")

    let shown = try vault.succeed(["show", "1"])
    #expect(shown.stdout.hasPrefix("#1  Threats in the stairwell"), "\(shown)")
    #expect(shown.stdout.contains("Happened:     \(yesterday) 22:30"), "\(shown)")
    #expect(shown.stdout.contains("Place:        Storgatan 5, Malmö"), "\(shown)")
    #expect(shown.stdout.contains("Marko (did it)"), "\(shown)")
    #expect(shown.stdout.contains(narrative), "the narrative comes back exactly: \(shown)")
    #expect(!shown.stdout.contains("Injuries:"), "\(shown)")

    let amended = try vault.succeed(["amend", "1", "--injuries", "bruised left arm"])
    #expect(amended.stdout.contains("Saved the amendment to entry #1"), "\(amended)")

    let relisted = try vault.succeed(["list"])
    let newLines = relisted.stdoutLines
    try #require(newLines.count == 2, "\(relisted)")
    #expect(newLines[0].hasPrefix("#2 ") && !newLines[0].contains("(amended)"), "\(relisted)")
    #expect(newLines[1].hasPrefix("#1 ") && newLines[1].hasSuffix("(amended)"), "\(relisted)")

    let current = try vault.succeed(["show", "1"])
    #expect(current.stdout.contains("Injuries:     bruised left arm"), "\(current)")
    #expect(current.stdout.contains("this is version 2"), "\(current)")

    let history = try vault.succeed(["show", "1", "--history"])
    #expect(history.stdout.contains("Injuries:     bruised left arm"), "\(history)")
    #expect(history.stdout.contains("--- Version 1 of 2"), "\(history)")
    #expect(
      history.stdout.components(separatedBy: narrative).count - 1 == 2,
      "both versions, each with the narrative: \(history)")
    #expect(
      history.stdout.components(separatedBy: "Injuries:").count - 1 == 1,
      "only the new version has injuries: \(history)")
    // The current version comes first, then the original.
    let currentAt = try #require(history.stdout.range(of: "Injuries:     bruised left arm"))
    let originalAt = try #require(history.stdout.range(of: "--- Version 1 of 2"))
    #expect(currentAt.lowerBound < originalAt.lowerBound, "\(history)")

    let verified = try vault.run(["verify"])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.contains("OK: 4 records verify"), "person, two entries and an amendment: \(verified)")
    #expect(!verified.stdout.contains("DAMAGED"), "\(verified)")
    #expect(verified.stderr.isEmpty, "\(verified)")
  }
}
