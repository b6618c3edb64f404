import Foundation
import Testing

@Suite("JSON outputs match their schemas")
struct JSONOutputTests {
  /// Tests/Support/validate_json.py, next to this test folder.
  private static let validator = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // EvidenceCLITests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Support/validate_json.py")

  /// Writes `json` to a file and validates it with `python3 validate_json.py schema file`.
  private func expectValid(
    _ json: String, schema: String, in vault: TestVault, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let python = try #require(EvidenceRunner.onPath("python3"), "python3 is needed to validate JSON output")
    try #require(
      FileManager.default.fileExists(atPath: Self.validator.path),
      "the schema validator is missing at \(Self.validator.path)",
      sourceLocation: sourceLocation)
    let file = vault.root.appendingPathComponent(schema.replacingOccurrences(of: ".schema", with: ".output"))
    try Data(json.utf8).write(to: file)
    let result = try EvidenceRunner.run(python, [Self.validator.path, schema, file.path])
    #expect(result.exitCode == 0, "\(schema) rejects the output: \(result)\n\(json)", sourceLocation: sourceLocation)
  }

  private func object(_ json: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(json.utf8))
  }

  @Test("list --json, show 1 --json and person list --json validate, and carry the right values")
  func outputsValidate() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.succeed(["person", "add", "Marko", "--phone", "070-123 45 67", "--alias", "M", "--relation", "recruiter"])
    try vault.succeed(["person", "add", "Ana", "--email", "ana@example.se"])
    try vault.addEntry(
      when: "igår 22:30", title: "Threats in the stairwell", narrative: "He said I owe him.",
      extra: [
        "--where", "Storgatan 5, Malmö", "--category", "threat", "--person", "M", "--witness", "Ana",
        "--amount", "demanded:2500", "--tag", "stairwell", "--ended", "igår 22:45",
      ])
    try vault.addEntry(
      when: "igår 10:00", title: "Passport kept", narrative: "He kept my passport.", extra: ["--approx"])
    try vault.succeed(["amend", "1", "--injuries", "bruised arm", "--police-ref", "5000-K123456-26"])

    let list = try vault.succeed(["list", "--json"])
    try expectValid(list.stdout, schema: "entry-list.schema.json", in: vault)
    let items = try #require(try object(list.stdout) as? [[String: Any]], "\(list)")
    try #require(items.count == 2, "\(list)")
    #expect(items[0]["number"] as? Int == 2, "the earlier incident first: \(list)")
    #expect(items[1]["number"] as? Int == 1)
    #expect(items[1]["amended"] as? Bool == true)
    #expect(items[1]["versionCount"] as? Int == 2)
    #expect(items[0]["amended"] as? Bool == false)
    let listed = try #require(items[1]["entry"] as? [String: Any])
    #expect(listed["title"] as? String == "Threats in the stairwell")
    #expect(listed["injuries"] as? String == "bruised arm")
    #expect(listed["location"] as? String == "Storgatan 5, Malmö")

    let show = try vault.succeed(["show", "1", "--json"])
    try expectValid(show.stdout, schema: "entry-history.schema.json", in: vault)
    let history = try #require(try object(show.stdout) as? [String: Any], "\(show)")
    #expect(history["number"] as? Int == 1)
    let versions = try #require(history["versions"] as? [[String: Any]])
    try #require(versions.count == 2, "\(show)")
    #expect(versions[0]["title"] as? String == "Threats in the stairwell")
    #expect(versions[0]["narrative"] as? String == "He said I owe him.")
    #expect(versions[0]["injuries"] == nil)
    #expect(versions[1]["injuries"] as? String == "bruised arm")
    #expect(versions[1]["supersedes"] as? String == versions[0]["id"] as? String)

    let people = try vault.succeed(["person", "list", "--json"])
    try expectValid(people.stdout, schema: "person-list.schema.json", in: vault)
    let persons = try #require(try object(people.stdout) as? [[String: Any]], "\(people)")
    let marko = try #require(persons.first { $0["name"] as? String == "Marko" }, "\(people)")
    #expect(marko["phones"] as? [String] == ["+46701234567"])
    #expect(marko["aliases"] as? [String] == ["M"])
    #expect(persons.first { $0["name"] as? String == "Ana" }?["emails"] as? [String] == ["ana@example.se"])

    // The people in entry 1 are these people, by id.
    let participants = try #require(versions[1]["people"] as? [[String: Any]])
    #expect(
      participants.contains {
        $0["person"] as? String == marko["id"] as? String && $0["role"] as? String == "perpetrator"
      })

    // An empty journal and an empty list of people are valid too.
    let empty = try TestVault()
    defer { empty.remove() }
    let noEntries = try empty.succeed(["list", "--json"])
    try expectValid(noEntries.stdout, schema: "entry-list.schema.json", in: empty)
    let noPeople = try empty.succeed(["person", "list", "--json"])
    try expectValid(noPeople.stdout, schema: "person-list.schema.json", in: empty)
  }

  @Test("The validator rejects output that breaks the schema (so the checks above mean something)")
  func validatorRejects() throws {
    let python = try #require(EvidenceRunner.onPath("python3"))
    try #require(FileManager.default.fileExists(atPath: Self.validator.path), "missing \(Self.validator.path)")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-json-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("bad.json")
    try Data(#"[{"number": "one"}]"#.utf8).write(to: file)
    let result = try EvidenceRunner.run(python, [Self.validator.path, "entry-list.schema.json", file.path])
    #expect(result.exitCode == 1, "\(result)")
  }

  @Test("backup --to --json and backup --check --json validate, and carry the right values")
  func backupOutputsValidate() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 22:30", title: "Threats", narrative: "He said I owe him.")
    let usb = vault.root.appendingPathComponent("usb")
    try FileManager.default.createDirectory(at: usb, withIntermediateDirectories: true)
    let written = try vault.succeed(["backup", "--to", usb.path, "--json"])
    try expectValid(written.stdout, schema: "backup-report.schema.json", in: vault)
    let report = try #require(try object(written.stdout) as? [String: Any])
    #expect(report["recordCount"] as? Int == 1 && report["intact"] as? Bool == true)
    #expect((report["written"] as? [String: Any])?["startedNewSet"] as? Bool == true)
    try vault.addEntry(when: "igår 23:00", title: "Later", narrative: "Again.")
    let checked = try vault.succeed(["backup", "--check", usb.path, "--json"])
    try expectValid(checked.stdout, schema: "backup-report.schema.json", in: vault)
    let check = try #require(try object(checked.stdout) as? [String: Any])
    #expect(check["recordsNotInBackup"] as? Int == 1 && check["written"] == nil)
  }
}
