import Foundation
import Testing

@Suite("Mistakes and refusals: one clear error line, the right exit code, nothing changed")
struct ErrorTests {
  /// A vault holding a person (Marko, alias M) and one entry.
  private func makeVault() throws -> TestVault {
    let vault = try TestVault()
    try vault.succeed(["person", "add", "Marko", "--alias", "M"])
    try vault.addEntry(when: "igår 22:30", title: "Threats", narrative: "He said he would find me.")
    return vault
  }

  /// Runs `arguments` and checks the failure, then that no file of the vault changed (journal.log included).
  private func expectRefused(
    _ vault: TestVault, _ arguments: [String], stdin: String? = nil, passphraseFile: URL? = nil, exitCode: Int32,
    messageContains: [String], hintContains: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let before = try vault.snapshotOutsideInbox()
    let journal = try vault.journalBytes()
    let result = try vault.run(arguments, stdin: stdin, passphraseFile: passphraseFile)
    expectCleanFailure(result, exitCode: exitCode, messageContains: messageContains, sourceLocation: sourceLocation)
    if let hintContains {
      #expect(
        result.stderr.split(separator: "\n").contains { $0.hasPrefix("evidence: hint: ") && $0.contains(hintContains) },
        "no hint mentioning \"\(hintContains)\": \(result)", sourceLocation: sourceLocation)
    }
    #expect(try vault.journalBytes() == journal, "journal.log changed", sourceLocation: sourceLocation)
    let after = try vault.snapshotOutsideInbox()
    #expect(after.files == before.files, "the vault's files changed", sourceLocation: sourceLocation)
    // A wrong passphrase leaves one sealed record of itself in inbox/, and nothing else anywhere.
    #expect(
      after.inboxFiles == before.inboxFiles + (exitCode == 3 ? 1 : 0), "inbox/ changed", sourceLocation: sourceLocation)
  }

  /// Rewrites one field of vault.json in place (text replacement, so nothing else changes).
  private func editHeader(_ vault: TestVault, field: String, to value: String) throws {
    let text = try String(contentsOf: vault.headerURL, encoding: .utf8)
    let pattern = try Regex("\"\(field)\"\\s*:\\s*[0-9]+")
    let edited = text.replacing(pattern, with: "\"\(field)\" : \(value)")
    try #require(edited != text, "vault.json has no numeric \"\(field)\": \(text)")
    try Data(edited.utf8).write(to: vault.headerURL)
  }

  @Test("A wrong passphrase is refused with exit 3")
  func wrongPassphrase() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    let wrong = vault.root.appendingPathComponent("wrong-passphrase")
    try Data("correct horse battery stapler\n".utf8).write(to: wrong)
    for command in [
      ["list"], ["show", "1"], ["verify"], ["add", "--when", "igår 10:00", "--title", "x", "--narrative-file", "-"],
    ] {
      try expectRefused(
        vault, command, stdin: "text", passphraseFile: wrong, exitCode: 3, messageContains: ["passphrase is wrong"])
    }
  }

  @Test("An empty folder is not a vault (exit 6) and is left empty")
  func emptyFolderIsNotAVault() throws {
    let vault = try TestVault(initialize: false)
    defer { vault.remove() }
    let empty = vault.root.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
    for command in [["list"], ["verify"], ["person", "list"]] {
      let result = try vault.run(command, vault: empty)
      expectCleanFailure(result, exitCode: 6, messageContains: ["not an evidence vault"])
      #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty, "\(command) left files behind")
    }
  }

  @Test("A folder of other files is not a vault (exit 6) and is left as it was")
  func folderOfOtherFilesIsNotAVault() throws {
    let vault = try TestVault(initialize: false)
    defer { vault.remove() }
    let other = vault.root.appendingPathComponent("photos")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: false)
    try Data("not a vault".utf8).write(to: other.appendingPathComponent("notes.txt"))
    try Data([0xff, 0xd8, 0xff, 0xe0]).write(to: other.appendingPathComponent("IMG_0001.jpg"))
    let before = try TestVault.snapshot(of: other)
    let result = try vault.run(["list"], vault: other)
    expectCleanFailure(result, exitCode: 6, messageContains: ["not an evidence vault"])
    #expect(try TestVault.snapshot(of: other) == before)
  }

  @Test("Init refuses a folder that already holds files (exit 2), a vault included")
  func initOnNonEmptyFolder() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    let other = vault.root.appendingPathComponent("documents")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: false)
    try Data("keep me".utf8).write(to: other.appendingPathComponent("letter.txt"))
    let before = try TestVault.snapshot(of: other)
    let result = try vault.run(["init", "--kdf", "interactive"], vault: other)
    expectCleanFailure(result, exitCode: 2, messageContains: ["already holds files"])
    #expect(try TestVault.snapshot(of: other) == before)

    try expectRefused(
      vault, ["init", "--kdf", "interactive"], exitCode: 2, messageContains: ["already holds files"],
      hintContains: "already a vault")
  }

  @Test("An unparseable date is refused with exit 2")
  func unparseableDate() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try expectRefused(
      vault, ["add", "--when", "next blursday", "--title", "Threats", "--narrative-file", "-"], stdin: "text",
      exitCode: 2, messageContains: ["next blursday"])
  }

  @Test("A date in the future is refused with exit 2")
  func futureDate() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: EvidenceRunner.timeZoneName)
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    let later = formatter.string(from: EvidenceRunner.nowDate.addingTimeInterval(3 * 3600))
    let before = try vault.snapshot()
    let result = try vault.run(
      ["add", "--when", later, "--title", "Threats", "--narrative-file", "-"], stdin: "text")
    expectCleanFailure(result, exitCode: 2, messageContains: [later, "in the future"])
    #expect(try vault.snapshot() == before)
  }

  @Test("An unknown entry number is refused with exit 2")
  func unknownEntry() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try expectRefused(vault, ["show", "99"], exitCode: 2, messageContains: ["#99"], hintContains: "evidence list")
    try expectRefused(vault, ["amend", "99", "--injuries", "none"], exitCode: 2, messageContains: ["#99"])
  }

  @Test("An unknown person in add --person is refused with exit 2 and a hint to add them")
  func unknownPerson() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try expectRefused(
      vault, ["add", "--when", "igår 10:00", "--title", "Threats", "--person", "Dragan", "--narrative-file", "-"],
      stdin: "text", exitCode: 2, messageContains: ["Dragan"], hintContains: "evidence person add")
  }

  @Test("An unknown category is refused with exit 2 and the list of categories")
  func unknownCategory() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try expectRefused(
      vault, ["add", "--when", "igår 10:00", "--title", "Threats", "--category", "blursing", "--narrative-file", "-"],
      stdin: "text", exitCode: 2, messageContains: ["blursing", "not a category"], hintContains: "physical-violence")
  }

  @Test("A header with an unknown format version is refused with exit 6, naming the version")
  func unknownVersion() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try editHeader(vault, field: "version", to: "3")
    try expectRefused(vault, ["list"], exitCode: 6, messageContains: ["version 3"])
    try expectRefused(vault, ["verify"], exitCode: 6, messageContains: ["version 3"])
  }

  @Test("A header asking for 1000 Argon2 passes is refused before any key derivation, with exit 1")
  func hostileOpsLimit() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try editHeader(vault, field: "opsLimit", to: "1000")
    try expectRefused(vault, ["list"], exitCode: 1, messageContains: ["beyond safe limits", "1000", "not attempted"])
  }

  @Test("A header asking for 1 TiB of memory is refused before any key derivation, with exit 1")
  func hostileMemLimit() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try editHeader(vault, field: "memLimitBytes", to: "\(UInt64(1) << 40)")
    try expectRefused(vault, ["list"], exitCode: 1, messageContains: ["beyond safe limits", "not attempted"])
  }

  @Test("add with no options and no terminal says there is nothing to save, with exit 2")
  func addWithoutOptionsOrTerminal() throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try expectRefused(
      vault, ["add"], stdin: "", exitCode: 2, messageContains: ["Nothing to save"], hintContains: "--when")
  }

  /// README.md: "2 a mistake in what was typed …; Errors are one sentence on stderr (`evidence: error: …`)".
  @Test(
    "A mistake in the command line itself exits 2 with one `evidence: error:` line",
    arguments: [
      ["show", "0"],
      ["list", "--no-such-option"],
      ["add", "--when", "igår 10:00", "--title", "x", "--narrative", "a", "--narrative-file", "-"],
      ["passwd", "--kdf", "fast"],
    ])
  func commandLineMistake(arguments: [String]) throws {
    let vault = try makeVault()
    defer { vault.remove() }
    try expectRefused(vault, arguments, stdin: "text", exitCode: 2, messageContains: [])
  }
}
