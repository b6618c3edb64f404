import Foundation
import Testing

/// What a command leaves behind on a shared computer besides the vault: values in the shell's history, and the
/// program's own name on the screen.
@Suite struct ShellTraceTests {
  static let warningStart = "evidence: warning: What you gave as "

  @Test func namesAndPlacesTypedAsOptionsAreWarnedAboutOnceInOneLine() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let saved = try vault.succeed(
      ["add", "--when", "2026-11-29 10:00", "--title", "Marko", "--where", "Storgatan 5", "--narrative-file", "-"],
      stdin: "He hit me.\n")
    let warnings = saved.stderr.split(separator: "\n").filter { $0.hasPrefix(Self.warningStart) }
    #expect(warnings.count == 1, "\(saved.stderr)")
    #expect(
      warnings.first?.contains("--title and --where on the command line is now in this terminal's history") == true)
    #expect(warnings.first?.contains("Marko") == false, "the warning does not repeat the value")
  }

  @Test func aCommandThatGivesNothingIdentifyingOnItsCommandLineIsNotWarnedAbout() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    for arguments in [["list", "--from", "2026-11-01", "--to", "2026-11-30"], ["verify"], ["messages"]] {
      let result = try vault.succeed(arguments)
      #expect(!result.stderr.contains(Self.warningStart), "\(arguments): \(result.stderr)")
    }
  }

  @Test func aPersonsNameAndNumberAsArgumentsAreWarnedAbout() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let added = try vault.succeed(["person", "add", "Marko", "--phone", "070-123 45 67"])
    #expect(added.stderr.contains(Self.warningStart + "a name and --phone on the command line"), "\(added.stderr)")
  }

  @Test func copiedUnderAnotherNameItsHelpErrorsAndHintsSayThatName() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let notes = folder.appendingPathComponent("notes")
    try FileManager.default.copyItem(at: try EvidenceRunner.binary(), to: notes)

    let help = try EvidenceRunner.run(notes, ["--help"])
    #expect(help.exitCode == 0 && help.stdout.contains("USAGE: notes <subcommand>"), "\(help)")
    let attachHelp = try EvidenceRunner.run(notes, ["attach", "--help"])
    #expect(attachHelp.stdout.contains("notes attach 12 photo.jpg"), "\(attachHelp)")
    #expect(!attachHelp.stdout.contains("evidence attach"), "\(attachHelp)")

    let missing = folder.appendingPathComponent("no-vault").path
    let failed = try EvidenceRunner.run(
      notes, ["list", "--vault", missing, "--passphrase-fd", "0"], stdin: Data("x\n".utf8))
    #expect(failed.exitCode == 6, "\(failed)")
    #expect(failed.stderr.contains("notes: error: There is no vault at"), "\(failed)")
    #expect(failed.stderr.contains("`notes init`"), "\(failed)")
    #expect(!failed.stderr.contains("evidence"), "\(failed)")
  }
}
