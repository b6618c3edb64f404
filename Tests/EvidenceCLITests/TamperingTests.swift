import Foundation
import Testing

@Suite("Damage and tampering, as the person sees it through the CLI")
struct TamperingTests {
  /// A vault with two entries: records 1 and 2 of the journal.
  private func makeVault() throws -> TestVault {
    let vault = try TestVault()
    try vault.addEntry(when: "igår 08:00", title: "First incident", narrative: "He took my phone.")
    try vault.addEntry(when: "igår 09:00", title: "Second incident", narrative: "He pushed me against the wall.")
    return vault
  }

  @Test(
    "One flipped byte in record 2: verify names record 2 (exit 1), list still shows #1 with a warning, add is refused")
  func flippedByte() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    var journal = try vault.journalBytes()
    let frames = journalFrames(journal)
    try #require(frames.count == 2, "expected two frames, found \(frames)")
    try #require(frames[1].offset + frames[1].length == journal.count)
    let middle = frames[1].offset + frames[1].length / 2
    journal[middle] ^= 0x01
    try journal.write(to: vault.journalURL)

    let verified = try vault.run(["verify"])
    expectCleanFailure(verified, exitCode: 1, messageContains: ["does not verify"])
    #expect(verified.stdout.contains("Record 2"), "\(verified)")
    #expect(verified.stdout.contains("DAMAGED"), "\(verified)")
    #expect(!verified.stdout.contains("OK:"), "\(verified)")

    let listed = try vault.run(["list"])
    #expect(listed.exitCode == 0, "\(listed)")
    #expect(listed.stdoutLines.count == 1, "\(listed)")
    #expect(listed.stdout.contains("#1") && listed.stdout.contains("First incident"), "\(listed)")
    #expect(!listed.stdout.contains("Second incident"), "\(listed)")
    #expect(listed.stderr.contains("evidence: warning: "), "\(listed)")
    #expect(listed.stderr.contains("Record 2"), "\(listed)")
    expectNoCrashText(listed)

    let shown = try vault.run(["show", "1"])
    #expect(shown.exitCode == 0, "\(shown)")
    #expect(shown.stdout.contains("He took my phone."), "\(shown)")

    let added = try vault.run(
      ["add", "--when", "igår 10:00", "--title", "Third", "--narrative-file", "-"], stdin: "More.")
    expectCleanFailure(added, exitCode: 1, messageContains: ["nothing new can be written"])
    #expect(!added.stdout.contains("Saved"), "\(added)")
    #expect(try vault.journalBytes() == journal, "journal.log must stay exactly as found")

    let person = try vault.run(["person", "add", "Marko"])
    expectCleanFailure(person, exitCode: 1, messageContains: ["nothing new can be written"])
    #expect(try vault.journalBytes() == journal)
  }

  @Test(
    "One flipped byte in record 2 of 3 costs record 2 only: verify names it, list and export --salvage still give records 1 and 3"
  )
  func damageStaysLocal() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 10:00", title: "Third incident", narrative: "He waited outside the door.")
    var journal = try vault.journalBytes()
    let frames = journalFrames(journal)
    try #require(frames.count == 3, "expected three frames, found \(frames)")
    journal[frames[1].offset + frames[1].length / 2] ^= 0x01
    try journal.write(to: vault.journalURL)

    let verified = try vault.run(["verify"])
    expectCleanFailure(verified, exitCode: 1, messageContains: ["does not verify"])
    #expect(verified.stdout.contains("Record 2 of the journal is damaged"), "\(verified)")
    let listed = try vault.run(["list"])
    #expect(listed.exitCode == 0, "\(listed)")
    #expect(listed.stdout.contains("First incident") && listed.stdout.contains("Third incident"), "\(listed)")
    #expect(!listed.stdout.contains("Second incident"), "\(listed)")
    #expect(listed.stderr.contains("Record 2"), "\(listed)")

    let out = vault.root.appendingPathComponent("dossier")
    try vault.succeed(["export", "--out", out.path, "--salvage", "--lang", "en", "--format", "txt"])
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(dossier.contains("He took my phone.") && dossier.contains("He waited outside the door."))
    #expect(dossier.contains("Record 2 of the journal is damaged"), "the integrity section names the gap")
    let checked = try EvidenceRunner.run(try EvidenceRunner.binary(), ["verify-export", out.path])
    #expect(checked.exitCode == 0, "\(checked)")
    #expect(checked.stdout.contains("Record 2 is damaged in the vault and not in this export"), "\(checked)")
    #expect(
      dossier.contains("One record of the journal could not be read (it is damaged or gone): number 2."), "\(dossier)")

    // In Swedish too, and the verifier makes the same sentence again from records.json.
    let swedish = vault.root.appendingPathComponent("dossier-sv")
    try vault.succeed(["export", "--out", swedish.path, "--salvage", "--lang", "sv", "--format", "txt"])
    let svenska = try String(contentsOf: swedish.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(svenska.contains("En post i dagboken kunde inte läsas (den är skadad eller borta): nummer 2."))
    let checkedSwedish = try EvidenceRunner.run(try EvidenceRunner.binary(), ["verify-export", swedish.path])
    #expect(checkedSwedish.exitCode == 0, "\(checkedSwedish)")
  }

  @Test(
    "A journal cut short by 10 bytes after record 2 was saved: list still shows #1 and warns, nothing is moved or cut, verify names record 2 (exit 1)"
  )
  func truncatedAcknowledgedRecord() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    let original = try vault.journalBytes()
    let frames = journalFrames(original)
    try #require(frames.count == 2)
    let cut = original.prefix(original.count - 10)
    try cut.write(to: vault.journalURL)
    let before = try vault.snapshot()

    let listed = try vault.run(["list"])
    #expect(listed.exitCode == 0, "\(listed)")
    expectNoCrashText(listed)
    #expect(listed.stdoutLines.count == 1, "\(listed)")
    #expect(listed.stdout.contains("First incident"), "\(listed)")
    #expect(!listed.stdout.contains("Second incident"), "\(listed)")
    #expect(listed.stderr.contains("evidence: warning: "), "\(listed)")
    #expect(listed.stderr.contains("Record 2"), "\(listed)")
    // The signed head says record 2 was saved: its remains are evidence, left exactly where they are.
    #expect(try vault.snapshot() == before, "opening changed the vault")
    #expect(!FileManager.default.fileExists(atPath: vault.folder.appendingPathComponent("quarantine").path))

    let verified = try vault.run(["verify"])
    expectCleanFailure(verified, exitCode: 1, messageContains: ["does not verify"])
    #expect(verified.stdout.contains("DAMAGED: Record 2"), "\(verified)")
    #expect(verified.stdout.contains("incomplete"), "\(verified)")
    #expect(!verified.stdout.contains("OK:"), "\(verified)")

    let added = try vault.run(
      ["add", "--when", "igår 10:00", "--title", "Third", "--narrative-file", "-"], stdin: "More.")
    expectCleanFailure(added, exitCode: 1, messageContains: ["nothing new can be written"])
    #expect(try vault.snapshot() == before)
  }

  @Test(
    "An unfinished save beyond the signed head is moved to quarantine/ at the next open, and the vault then verifies")
  func unfinishedSaveIsQuarantined() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 08:00", title: "First incident", narrative: "He took my phone.")
    let headURL = vault.folder.appendingPathComponent("head.json")
    let firstHead = try Data(contentsOf: headURL)
    try vault.addEntry(when: "igår 09:00", title: "Second incident", narrative: "He pushed me against the wall.")
    // As if the process died while appending record 2: its frame only partly written, the head not yet replaced.
    let original = try vault.journalBytes()
    let frames = journalFrames(original)
    try #require(frames.count == 2)
    let cut = original.prefix(original.count - 10)
    try cut.write(to: vault.journalURL)
    try firstHead.write(to: headURL)
    let quarantine = vault.folder.appendingPathComponent("quarantine")

    let listed = try vault.run(["list"])
    #expect(listed.exitCode == 0, "\(listed)")
    expectNoCrashText(listed)
    #expect(listed.stderr.contains("unfinished save"), "\(listed)")
    #expect(listed.stderr.contains("quarantine/"), "\(listed)")
    #expect(!listed.stderr.contains("warning"), "an unacknowledged save is no damage: \(listed)")
    #expect(listed.stdout.contains("First incident"), "\(listed)")
    #expect(!listed.stdout.contains("Second incident"), "\(listed)")

    let moved = try FileManager.default.contentsOfDirectory(atPath: quarantine.path)
    try #require(moved.count == 1, "expected one file in quarantine/, found \(moved)")
    let kept = try Data(contentsOf: quarantine.appendingPathComponent(moved[0]))
    #expect(kept == cut.suffix(from: frames[1].offset), "quarantine/ holds exactly the unfinished frame's bytes")
    #expect(try vault.journalBytes() == original.prefix(frames[1].offset), "the journal was cut back to record 1")

    let verified = try vault.run(["verify"])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.contains("OK: 1 record verifies"), "\(verified)")

    // The vault is writable again, and the quarantined bytes stay.
    let number = try vault.addEntry(when: "igår 09:00", title: "Second incident, again", narrative: "He pushed me.")
    #expect(number == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: quarantine.path) == moved)
  }

  @Test("The last record cut away whole: the signed head shows it was removed (verify exit 1), and writing is refused")
  func lastRecordRemoved() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    let original = try vault.journalBytes()
    let frames = journalFrames(original)
    try #require(frames.count == 2)
    let shortened = original.prefix(frames[1].offset)
    try shortened.write(to: vault.journalURL)

    let listed = try vault.run(["list"])
    #expect(listed.exitCode == 0, "\(listed)")
    #expect(listed.stdout.contains("First incident") && !listed.stdout.contains("Second incident"), "\(listed)")
    #expect(listed.stderr.contains("removed"), "\(listed)")

    let verified = try vault.run(["verify"])
    expectCleanFailure(verified, exitCode: 1, messageContains: ["does not verify"])
    #expect(verified.stdout.contains("removed"), "\(verified)")
    #expect(verified.stdout.contains("DAMAGED"), "\(verified)")

    let added = try vault.run(
      ["add", "--when", "igår 10:00", "--title", "Third", "--narrative-file", "-"], stdin: "More.")
    expectCleanFailure(added, exitCode: 1, messageContains: ["nothing new can be written"])
    #expect(try vault.journalBytes() == shortened)
  }
}
