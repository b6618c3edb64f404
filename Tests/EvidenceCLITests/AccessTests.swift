import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Wrong passphrases are recorded, told at the next unlock and listed by `evidence access`")
struct AccessTests {
  /// The wrong passphrase of these tests: no byte run of it may appear anywhere in the vault.
  static let canary = "canary-Wr0ngPass-7f3e"

  /// Tests/Support/validate_json.py.
  private static let validator = EvidenceRunner.packageRoot.appendingPathComponent("Tests/Support/validate_json.py")

  /// Runs `arguments` with the wrong passphrase `count` times; each must fail as a wrong passphrase does.
  private func failToUnlock(
    _ vault: TestVault, _ arguments: [String] = ["list"], times count: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try vault.writePassphrases([Self.canary])
    for _ in 0..<count {
      let result = try vault.run(arguments)
      expectCleanFailure(
        result, exitCode: 3, messageContains: ["passphrase is wrong"], sourceLocation: sourceLocation)
    }
    try vault.writePassphrases([TestVault.passphrase])
  }

  private func inboxItems(_ vault: TestVault) -> [URL] {
    let inbox = vault.folder.appendingPathComponent("inbox")
    return ((try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []).sorted()
      .filter { $0.hasSuffix(".item") }.map { inbox.appendingPathComponent($0) }
  }

  @Test("Three wrong passphrases, then the right one: the notice comes first and names three attempts with their times")
  func threeWrongThenRight() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 22:30", title: "Threats", narrative: "He said he would find me.")
    try failToUnlock(vault, times: 3)
    let items = inboxItems(vault)
    #expect(items.count == 3, "one sealed item per wrong passphrase")
    for item in items {
      let bytes = [UInt8](try Data(contentsOf: item))
      #expect(Array(bytes.prefix(5)) == Array("EJIN".utf8) + [3], "a kind 3 item")
    }
    // A quick note waiting too: its notice comes after the one about the passphrases.
    let noted = try EvidenceRunner.run(
      vault.binary, ["note", "--vault", vault.folder.path], stdin: Data("He was outside again.".utf8))
    #expect(noted.exitCode == 0, "\(noted)")

    let listed = try vault.succeed(["list"])
    let lines = listed.stderr.split(separator: "\n").map(String.init)
    #expect(
      lines.first
        == "evidence: Someone typed a wrong passphrase 3 times since you last opened your journal: 30 Nov 12:00, 12:00, 12:00.",
      "\(listed)")
    #expect(lines.contains { $0.contains("1 quick note was added") }, "\(listed)")
    #expect(inboxItems(vault).isEmpty, "every item was taken in")

    // Told once: the next unlock has nothing to say about it.
    let again = try vault.succeed(["list"])
    #expect(!again.stderr.contains("wrong passphrase"), "\(again)")

    try failToUnlock(vault, ["person", "add", "Ana"], times: 1)
    let once = try vault.succeed(["list"])
    #expect(
      once.stderr.hasPrefix(
        "evidence: Someone typed a wrong passphrase once since you last opened your journal: 30 Nov 12:00.\n"),
      "\(once)")

    let access = try vault.succeed(["access"])
    #expect(access.stdoutLines.filter { $0.hasPrefix("2026-11-30 12:00  ") }.count == 4, "\(access)")
    #expect(access.stdoutLines.contains { $0.contains("person add") && $0.contains("file descriptor") }, "\(access)")
    let verified = try vault.succeed(["verify"])
    #expect(verified.stdout.contains("OK"), "\(verified)")
  }

  @Test("Neither the sealed items nor any file of the vault holds any part of the wrong passphrase")
  func noCanaryAnywhere() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try failToUnlock(vault, times: 2)
    // passwd reads the new passphrase (twice) before it unlocks with the current one.
    try vault.writePassphrases([Self.canary, "lila elefanter dansar", "lila elefanter dansar"])
    expectCleanFailure(try vault.run(["passwd"]), exitCode: 3, messageContains: ["passphrase is wrong"])
    try vault.writePassphrases([TestVault.passphrase])
    let canary = [UInt8](Self.canary.utf8)
    // Any 6-byte run of it would be a part of it.
    let parts = (0...(canary.count - 6)).map { Array(canary[$0..<($0 + 6)]) }
    func expectClean(_ files: [String: Data], _ when: String) {
      for (path, data) in files {
        let bytes = [UInt8](data)
        for part in parts where bytes.count >= part.count {
          let found = (0...(bytes.count - part.count)).contains { bytes[$0..<($0 + part.count)].elementsEqual(part) }
          #expect(!found, "\(when): \(path) holds \"\(String(decoding: part, as: UTF8.self))\"")
        }
      }
    }
    expectClean(try vault.snapshot(), "before intake")
    #expect(inboxItems(vault).count == 3)
    try vault.succeed(["list"])
    expectClean(try vault.snapshot(), "after intake")
    let json = try vault.succeed(["access", "--json"])
    #expect(!json.stdout.contains("Wr0ng"))
  }

  @Test("access --json validates against its schema and carries when, which command and how")
  func accessJSONValidates() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let empty = try vault.succeed(["access", "--json"])
    #expect(try JSONSerialization.jsonObject(with: Data(empty.stdout.utf8)) as? [Any] != nil)
    let none = try vault.succeed(["access"])
    #expect(none.stdout.contains("No wrong passphrase has been recorded."), "\(none)")

    try failToUnlock(vault, times: 1)
    try failToUnlock(vault, ["export", "--out", vault.root.appendingPathComponent("out").path], times: 1)
    let result = try vault.succeed(["access", "--json"])
    let python = try #require(EvidenceRunner.onPath("python3"), "python3 is needed to validate JSON output")
    let file = vault.root.appendingPathComponent("access-list.output.json")
    try Data(result.stdout.utf8).write(to: file)
    let check = try EvidenceRunner.run(python, [Self.validator.path, "access-list.schema.json", file.path])
    #expect(check.exitCode == 0, "access-list.schema.json rejects the output: \(check)\n\(result.stdout)")

    let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    try #require(items.count == 2, "\(result)")
    #expect(items.map { $0["command"] as? String } == ["list", "export"])
    #expect(items.allSatisfy { $0["entry"] as? String == "descriptor" })
    #expect(items.allSatisfy { $0["failedAt"] as? String == EvidenceRunner.now })
    #expect(items.allSatisfy { $0["type"] as? String == "access" })
    #expect(items.allSatisfy { ($0["intake"] as? [String: Any])?["via"] as? String == "failed-unlock" })
    #expect(Set(items[0].keys) == ["command", "entry", "failedAt", "id", "intake", "recordedAt", "salt", "type"])
  }

  /// A vault with one entry, two wrong passphrases taken in, and its records.json `records` after `export`.
  private func exportedVault(
    _ extra: [String], lang: String = "en"
  ) throws -> (vault: TestVault, out: URL, dossier: String, records: [[String: Any]], manifest: [String: Any]) {
    let vault = try TestVault()
    try vault.addEntry(when: "igår 22:30", title: "Threats", narrative: "He said he would find me.")
    try failToUnlock(vault, times: 1)
    try failToUnlock(vault, ["show", "1"], times: 1)
    let out = vault.root.appendingPathComponent("dossier")
    try vault.succeed(["export", "--out", out.path, "--lang", lang] + extra)
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    let recordsFile = try JSONSerialization.jsonObject(
      with: Data(contentsOf: out.appendingPathComponent("records.json")))
    let records = try #require((recordsFile as? [String: Any])?["records"] as? [[String: Any]])
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        as? [String: Any])
    return (vault, out, dossier, records, manifest)
  }

  private func expectVerifies(_ out: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let verified = try EvidenceRunner.run(try EvidenceRunner.binary(), ["verify-export", out.path, "--lang", "en"])
    #expect(verified.exitCode == 0, "\(verified)", sourceLocation: sourceLocation)
    #expect(verified.stdout.hasPrefix("INTACT"), "\(verified)", sourceLocation: sourceLocation)
    #expect(!verified.stdout.contains("not compared"), "\(verified)", sourceLocation: sourceLocation)
    let python = try #require(EvidenceRunner.onPath("python3"), "python3 is needed to validate JSON output")
    let check = try EvidenceRunner.run(
      python, [Self.validator.path, "export-manifest.schema.json", out.appendingPathComponent("manifest.json").path])
    #expect(check.exitCode == 0, "\(check)", sourceLocation: sourceLocation)
  }

  @Test("export --include-access lists the attempts in the dossier (en and sv), and verify-export remakes it")
  func exportWithAccess() throws {
    let (vault, out, dossier, records, manifest) = try exportedVault(["--include-access"])
    defer { vault.remove() }
    #expect(dossier.contains("Failed attempts to open the journal"), "\(dossier)")
    #expect(
      dossier.contains(#"  - 30 November 2026, 12:00: wrong passphrase to the command "list", given on"#),
      "\(dossier)")
    #expect(dossier.contains(#"wrong passphrase to the command "show""#), "\(dossier)")
    let access = records.filter { ($0["json"] as? String)?.contains(#""type":"access""#) ?? false }
    #expect(access.count == 2, "both access records are included: \(records)")
    #expect((manifest["dossier"] as? [String: Any])?["includeAccess"] as? Bool == true)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("dossier.pdf").path))
    try expectVerifies(out)

    let (svVault, svOut, svDossier, _, _) = try exportedVault(["--include-access", "--format", "txt"], lang: "sv")
    defer { svVault.remove() }
    #expect(svDossier.contains("Misslyckade försök att öppna dagboken"), "\(svDossier)")
    #expect(svDossier.contains(#"fel lösenfras till kommandot "list""#), "\(svDossier)")
    #expect(svDossier.contains(#"kommandot "show""#), "\(svDossier)")
    try expectVerifies(svOut)
  }

  @Test("Without --include-access the attempts are withheld (their leaves kept) and verify-export passes")
  func exportWithoutAccess() throws {
    let (vault, out, dossier, records, manifest) = try exportedVault([])
    defer { vault.remove() }
    #expect(!dossier.contains("Failed attempts to open the journal"), "\(dossier)")
    #expect(!dossier.contains("wrong passphrase"), "\(dossier)")
    #expect(records.count == 3, "the entry and both access records, by their leaves: \(records)")
    #expect(records.filter { $0["json"] != nil }.count == 1, "only the entry is included: \(records)")
    #expect((manifest["dossier"] as? [String: Any])?["includeAccess"] == nil)
    try expectVerifies(out)
  }

  @Test("A wrong passphrase where the record cannot be written still exits 3 with the usual message")
  func unwritableInbox() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let inbox = vault.folder.appendingPathComponent("inbox")
    try FileManager.default.removeItem(at: inbox)
    try Data("not a folder".utf8).write(to: inbox)
    try vault.writePassphrases([Self.canary])
    let result = try vault.run(["list"])
    expectCleanFailure(result, exitCode: 3, messageContains: ["passphrase is wrong"])
    #expect(
      result.stderr.split(separator: "\n").count == 2, "the error and its hint, nothing about the record: \(result)")
    #expect(try Data(contentsOf: inbox) == Data("not a folder".utf8))
  }

  @Test("A wrong passphrase typed at the terminal's prompt is recorded as typed there, and told first")
  func typedAtTheTerminal() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-access-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, text) = try EvidenceRunner.session("access_session.py", [folder.appendingPathComponent("vault").path])
    #expect(status == 0, "\(text)")
    #expect(text.contains("access session: ok"))
  }

  @Test(
    "A wrong passphrase on a read-only disk exits 3 with the usual message and writes nothing",
    .enabled(if: TmpfsDisk.canMount, "mounting a tmpfs needs root"))
  func readOnlyDisk() throws {
    let disk = try TmpfsDisk()
    defer { disk.unmount() }
    let vault = try TestVault()
    defer { vault.remove() }
    let folder = disk.folder.appendingPathComponent("vault")
    try FileManager.default.copyItem(at: vault.folder, to: folder)
    try disk.remountReadOnly()
    let before = try TestVault.snapshot(of: folder)
    try vault.writePassphrases([Self.canary])
    let result = try vault.run(["list"], vault: folder)
    expectCleanFailure(result, exitCode: 3, messageContains: ["passphrase is wrong"])
    #expect(result.stderr.split(separator: "\n").count == 2, "\(result)")
    #expect(try TestVault.snapshot(of: folder) == before)
  }
}

/// A small tmpfs that can be remounted read-only (needs root).
struct TmpfsDisk {
  let folder: URL

  static let canMount: Bool = {
    guard getuid() == 0, let disk = try? TmpfsDisk() else { return false }
    disk.unmount()
    return true
  }()

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-disk-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Self.run("/bin/mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", folder.path)
  }

  func remountReadOnly() throws { try Self.run("/bin/mount", "-o", "remount,ro", folder.path) }

  func unmount() {
    try? Self.run("/bin/umount", folder.path)
    try? FileManager.default.removeItem(at: folder)
  }

  private static func run(_ arguments: String...) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
  }
}
