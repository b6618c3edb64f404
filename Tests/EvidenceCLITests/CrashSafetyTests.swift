import Foundation
import Testing

@Suite("Saving safely when the disk fills up or the process dies")
struct CrashSafetyTests {
  /// About 20 KB of text, different each time.
  private func largeNarrative() -> String {
    var lines: [String] = []
    var counter = 0
    while lines.reduce(0, { $0 + $1.utf8.count + 1 }) < 20_000 {
      counter += 1
      lines.append("Rad \(counter): han ringde igen och sa att skulden växer. \(UUID().uuidString)")
    }
    return lines.joined(separator: "\n")
  }

  @Test(
    "add on a full disk (ulimit -f just above the journal) fails with one error line and leaves the journal as it was")
  func diskFull() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 08:00", title: "First incident", narrative: "He took my phone.")
    let journal = try vault.journalBytes()
    let before = try vault.snapshot()

    // dash's ulimit -f counts 512-byte blocks: allow the journal to grow by less than the new record's frame.
    let blocks = journal.count / 512 + 1
    #expect(blocks * 512 > journal.count && blocks * 512 < journal.count + 20_000)
    let result = try vault.run(
      ["add", "--when", "igår 09:00", "--title", "A long account", "--narrative-file", "-"], stdin: largeNarrative(),
      shellPrefix: "trap '' XFSZ; ulimit -f \(blocks);")
    #expect(result.exitCode != 0, "\(result)")
    expectCleanFailure(result, exitCode: 5)
    #expect(!result.stdout.contains("Saved"), "\(result)")
    #expect(try vault.journalBytes() == journal, "journal.log must be cut back to exactly what it was")
    #expect(try vault.snapshot() == before, "no file of the vault changed, and no temporary file was left")

    let verified = try vault.run(["verify"])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.contains("OK: 1 record verifies"), "\(verified)")

    // With room again, the same entry saves.
    try vault.addEntry(when: "igår 09:00", title: "A long account", narrative: largeNarrative())
  }

  /// Copies a vault folder with `cp -a`, keeping modes.
  private func copyVault(_ source: URL, to destination: URL) throws {
    let cp = try #require(EvidenceRunner.onPath("cp"))
    let result = try EvidenceRunner.run(cp, ["-a", source.path, destination.path])
    try #require(result.exitCode == 0, "cp -a failed: \(result)")
  }

  /// One series of runs of `evidence add` under strace, killed at the Nth call of `syscall`, N = 1, 2, 3, …
  ///
  /// Every run starts from a fresh copy of the same one-entry vault, so the Nth call is the same call in every
  /// run whatever earlier runs left behind (each leftover is reported on stderr, which is itself a write).
  private func killSeries(syscall: String, strace: URL) throws {
    let template = try TestVault()
    defer { template.remove() }
    try template.addEntry(when: "igår 08:00", title: "Existing entry", narrative: "It was there before the crashes.")

    var killedBeforeSaved = 0
    var killedAfterSaved = 0
    var finishedNormally = false
    for n in 1...60 {
      let copy = template.root.appendingPathComponent("run-\(n)", isDirectory: true)
      try copyVault(template.folder, to: copy)
      defer { try? FileManager.default.removeItem(at: copy) }
      let narrative = "Crash test \(syscall) #\(n): han sa att han vet var jag bor. \(UUID().uuidString)"
      let result = try EvidenceRunner.run(
        strace,
        [
          "-f", "-o", "/dev/null", "-e", "inject=\(syscall):signal=SIGKILL:when=\(n)", template.binary.path,
          "add", "--when", "igår 10:00", "--title", "Crash \(syscall) \(n)", "--narrative-file", "-",
          "--vault", copy.path, "--passphrase-fd", "3",
        ],
        passphraseFile: template.passphraseFile, stdin: Data(narrative.utf8))
      let number = savedEntryNumber(result.stdout)
      if result.signal != nil || result.exitCode == 128 + SIGKILL {
        if number == nil { killedBeforeSaved += 1 } else { killedAfterSaved += 1 }
      } else {
        #expect(result.exitCode == 0, "\(syscall) run \(n) was neither killed nor successful: \(result)")
        #expect(number == 2, "\(syscall) run \(n) finished without saving entry #2: \(result)")
        expectNoCrashText(result)
        finishedNormally = true
      }

      let verified = try template.run(["verify"], vault: copy)
      #expect(
        verified.exitCode == 0,
        "after the kill at \(syscall) #\(n), verify reports damage: \(verified)\nthe run: \(result)")
      #expect(verified.stdout.contains("OK: "), "\(verified)")
      #expect(!verified.stdout.contains("DAMAGED"), "\(verified)")
      expectNoCrashText(verified)
      if let number {
        let shown = try template.run(["show", "\(number)"], vault: copy)
        #expect(
          shown.exitCode == 0,
          "entry #\(number) was reported saved by \(syscall) run \(n) but cannot be shown: \(shown)")
        #expect(shown.stdout.contains(narrative), "entry #\(number) lost its narrative: \(shown)")
      }
      if verified.exitCode != 0 { break }
      if finishedNormally { break }

      // Whatever the crash left, the vault takes the next entry.
      let next = try template.run(
        ["add", "--when", "igår 11:00", "--title", "After the crash", "--narrative-file", "-"],
        stdin: "Written after the crash.", vault: copy)
      #expect(next.exitCode == 0, "after the kill at \(syscall) #\(n), add fails: \(next)")
      #expect(savedEntryNumber(next.stdout) != nil, "\(next)")
      let listed = try template.run(["list"], vault: copy)
      #expect(
        listed.exitCode == 0 && listed.stdout.contains("Existing entry") && listed.stdout.contains("After the crash"),
        "\(listed)")
    }
    #expect(
      finishedNormally,
      "no run of the \(syscall) series finished within 60 injections (\(killedBeforeSaved) killed before Saved, \(killedAfterSaved) after)"
    )
    #expect(killedBeforeSaved >= 1, "no \(syscall) run was killed before saying Saved: the injection exercised nothing")
  }

  @Test(
    "Killed at each write, fsync or rename of add, the vault still verifies and every entry reported saved is there",
    arguments: ["write", "fsync", "rename"])
  func killedMidSave(syscall: String) throws {
    guard let strace = EvidenceRunner.onPath("strace") else {
      Issue.record(
        "strace is not installed, so the crash-safety series cannot run. Install it (apt-get install strace; .ci/run does)."
      )
      return
    }
    try killSeries(syscall: syscall, strace: strace)
  }

  @Test(
    "Killed at each write, fsync or rename of an import, the vault verifies and holds all of its messages or none",
    arguments: ["write", "fsync", "rename"])
  func killedMidImport(syscall: String) throws {
    guard let strace = EvidenceRunner.onPath("strace") else {
      Issue.record("strace is not installed, so the import crash series cannot run (apt-get install strace).")
      return
    }
    let template = try TestVault()
    defer { template.remove() }
    try template.addEntry(when: "igår 08:00", title: "Existing entry", narrative: "It was there before the crashes.")
    let mbox = template.root.appendingPathComponent("threats.mbox")
    let mails = (1...3).map { number in
      """
      From marko@example.com Sat Nov 28 22:0\(number):00 2026
      From: Marko <marko@example.com>
      To: me@example.se
      Subject: Varning \(number)
      Date: Sat, 28 Nov 2026 22:0\(number):00 +0100
      Message-ID: <\(number)@example.com>

      Betala nu, annars. Nummer \(number).

      """
    }
    try Data(mails.joined(separator: "\n").utf8).write(to: mbox)

    var killed = 0
    var cutOff = 0
    var finishedNormally = false
    for n in 1...60 {
      let copy = template.root.appendingPathComponent("import-run-\(n)", isDirectory: true)
      try copyVault(template.folder, to: copy)
      defer { try? FileManager.default.removeItem(at: copy) }
      let result = try EvidenceRunner.run(
        strace,
        [
          "-f", "-o", "/dev/null", "-e", "inject=\(syscall):signal=SIGKILL:when=\(n)", template.binary.path,
          "import", "email", mbox.path, "--vault", copy.path, "--passphrase-fd", "3",
        ],
        passphraseFile: template.passphraseFile)
      if result.signal != nil || result.exitCode == 128 + SIGKILL {
        killed += 1
      } else {
        #expect(result.exitCode == 0, "\(syscall) run \(n) was neither killed nor successful: \(result)")
        finishedNormally = true
      }
      let verified = try template.run(["verify"], vault: copy)
      #expect(
        verified.exitCode == 0 && !verified.stdout.contains("DAMAGED"),
        "after the kill at \(syscall) #\(n) of the import, verify reports damage: \(verified)\nthe run: \(result)")
      let quarantine = copy.appendingPathComponent("quarantine").path
      if ((try? FileManager.default.contentsOfDirectory(atPath: quarantine)) ?? []).contains(where: {
        $0.hasPrefix("unfinished-write-")
      }) {
        cutOff += 1
        #expect(
          verified.stdout.contains(
            "Note: A save of several records (an import, or an entry with its attachments) was interrupted"),
          "\(verified)")
      }
      let listed = try template.run(["messages", "--json"], vault: copy)
      let count = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [Any])?.count ?? -1
      #expect(count == 0 || count == 3, "after the kill at \(syscall) #\(n), \(count) of 3 messages are in the vault")
      if finishedNormally {
        #expect(count == 3)
        break
      }
      // Whatever the crash left, importing the file again brings in every message once.
      let again = try template.run(["import", "email", mbox.path], vault: copy)
      #expect(again.exitCode == 0, "after the kill at \(syscall) #\(n), the import fails: \(again)")
      let relisted = try template.run(["messages", "--json"], vault: copy)
      #expect(
        (try? JSONSerialization.jsonObject(with: Data(relisted.stdout.utf8)) as? [Any])?.count == 3,
        "after the kill at \(syscall) #\(n) and a second import: \(again)\n\(relisted)")
    }
    #expect(finishedNormally, "no run of the \(syscall) import series finished within 60 injections")
    #expect(killed >= 1, "no \(syscall) run of the import was killed: the injection exercised nothing")
    if syscall == "fsync" {
      #expect(cutOff >= 1, "no kill left written but unsynced import records for the next open to cut off")
    }
  }
}
